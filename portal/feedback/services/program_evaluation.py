"""A program's own evaluation: which forms every run gets (Kirkpatrick L1, L2, L3), attached automatically.

The program's owner (or an admin) picks a source form per level: the L1 evaluation, the L2 pre- and post-test, the
L3 follow-ups of the participant and of the supervisor, and the follow-up delay in days. A source is a saved
template (``is_template``, e.g. made from the library gallery) or a form the editor owns, of the right purpose.
When a run joins the program (``assign_workshop``, or a workshop created with origin ``evaluasi:<program id>``
through ``workshops.workshop-created``), each defined form the run does not have yet is copied to it as a draft,
linked to the workshop, so the organizer only checks and opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackForm, FormPurpose, Program, ProgramEvaluation, program_workshops
from portal.feedback.services.building import clone_form
from portal.feedback.services.common import AnalysisError, can_analyse
from portal.feedback.services.lookups import forms_of_workshop

if TYPE_CHECKING:
    from portal.workshops.models import Workshop

ORIGIN_PREFIX = "evaluasi:"  # workshops.workshop-created: the new workshop is the program's next run
FOLLOWUP_DAYS_MIN, FOLLOWUP_DAYS_MAX = 1, 730

# the ProgramEvaluation column -> the purpose its source form must have, in the order the forms are attached
SOURCES: dict[str, FormPurpose] = {
    "l1_form_id": FormPurpose.EVALUATION,
    "pre_test_form_id": FormPurpose.PRE_TEST,
    "post_test_form_id": FormPurpose.POST_TEST,
    "participant_form_id": FormPurpose.FOLLOWUP_PARTICIPANT,
    "supervisor_form_id": FormPurpose.FOLLOWUP_SUPERVISOR,
}
FOLLOWUP_SOURCES = ("participant_form_id", "supervisor_form_id")


def can_edit_program(user: Actor, program: Program) -> bool:
    return can_analyse(user) and (bool(getattr(user, "is_admin", False)) or program.owner_id == user.id)


def require_edit(user: Actor, program: Program) -> None:
    if not can_edit_program(user, program):
        raise PermissionDenied("feedback.program")


@dataclass
class EvaluationInput:
    l1_form_id: int | None = None
    pre_test_form_id: int | None = None
    post_test_form_id: int | None = None
    participant_form_id: int | None = None
    supervisor_form_id: int | None = None
    followup_days: int | None = None


def source_forms(actor: Actor, purpose: FormPurpose) -> list[FeedbackForm]:
    """The forms the actor may use as a program's source for ``purpose``: saved templates and own forms
    (an admin: any), not the copies attached to runs, newest first."""
    stmt = select(FeedbackForm).where(FeedbackForm.purpose == purpose)
    if not getattr(actor, "is_admin", False):
        stmt = stmt.where(or_(FeedbackForm.is_template.is_(True), FeedbackForm.owner_id == actor.id))
    return list(db.session.scalars(stmt.order_by(FeedbackForm.is_template.desc(), FeedbackForm.id.desc())))


def evaluation_input(program: Program) -> EvaluationInput:
    current = program.evaluation
    if current is None:
        return EvaluationInput()
    return EvaluationInput(**{name: getattr(current, name) for name in (*SOURCES, "followup_days")})


def _validated(actor: Actor, data: EvaluationInput) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, purpose in SOURCES.items():
        chosen = getattr(data, name)
        if chosen is not None and chosen not in {f.id for f in source_forms(actor, purpose)}:
            raise AnalysisError(_l("Pilih formulir dari daftar."), name)
        values[name] = chosen
    days = data.followup_days
    if days is not None and not FOLLOWUP_DAYS_MIN <= days <= FOLLOWUP_DAYS_MAX:
        raise AnalysisError(
            _l("Jeda tindak lanjut %(min)d–%(max)d hari.", min=FOLLOWUP_DAYS_MIN, max=FOLLOWUP_DAYS_MAX),
            "followup_days",
        )
    if days is None and any(values[name] for name in FOLLOWUP_SOURCES):
        raise AnalysisError(_l("Isi jeda tindak lanjut L3 (hari setelah pelatihan selesai)."), "followup_days")
    values["followup_days"] = days
    return values


def save_evaluation(actor: Actor, program: Program, data: EvaluationInput) -> ProgramEvaluation:
    """Set the program's evaluation; runs already in the program keep their forms (only new runs get copies)."""
    require_edit(actor, program)
    values = _validated(actor, data)
    evaluation = program.evaluation
    if evaluation is None:
        evaluation = ProgramEvaluation(program_id=program.id)
        program.evaluation = evaluation
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "feedback.program_evaluation",
        program,
        label=program.name,
        forms=sorted(name for name in SOURCES if values[name]),
        followup_days=values["followup_days"],
    )
    db.session.commit()
    return evaluation


def attach_to_run(program: Program, workshop: Workshop, owner_id: int) -> list[FeedbackForm]:
    """Copy the program's evaluation forms to the run, as drafts linked to it: every purpose the run has no form
    for yet. Flushes, does not commit (the caller's unit of work: assigning a run, creating a workshop)."""
    evaluation = program.evaluation
    if evaluation is None:
        return []
    present = {form.purpose for form in forms_of_workshop(workshop.id)}
    copies = []
    for name, purpose in SOURCES.items():
        source_id = getattr(evaluation, name)
        source = db.session.get(FeedbackForm, source_id) if source_id else None
        if source is None or purpose in present:
            continue
        days = evaluation.followup_days if name in FOLLOWUP_SOURCES else None
        title = f"{source.title}: {workshop.title}" if source.workshop_id is None else source.title
        copies.append(clone_form(source, owner_id, title, workshop_id=workshop.id, followup_days=days))
    return copies


def workshop_created(workshop: Workshop, actor: Actor, origin: str = "", **_kwargs: Any) -> None:
    """``workshops.workshop-created``: origin "evaluasi:<program id>" makes the new workshop a run of that program
    (when the creator may edit it) and attaches the program's evaluation forms. In the sender's transaction."""
    if not origin.startswith(ORIGIN_PREFIX) or not origin.removeprefix(ORIGIN_PREFIX).isdigit():
        return
    program = db.session.get(Program, int(origin.removeprefix(ORIGIN_PREFIX)))
    if program is None or not can_edit_program(actor, program):
        return
    taken = db.session.scalar(
        select(program_workshops.c.program_id).where(program_workshops.c.workshop_id == workshop.id)
    )
    if taken is not None:
        return
    program.workshops.append(workshop)
    db.session.flush()
    attach_to_run(program, workshop, actor.id)
