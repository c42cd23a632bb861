"""Looking forms up: by id, the ones a person manages, a workshop's forms and its evaluation, questions and
sections in the order respondents see them, response counts, and whether a form takes answers now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FormPurpose,
    FormSection,
    FormStatus,
    Question,
    QuestionOption,
    Response,
)
from portal.feedback.services.common import PAGE_SIZE, WORKSHOP_PURPOSES, _require_build, can_manage
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

# ---------------------------------------------------------------- lookups


def get_form(form_id: int) -> FeedbackForm | None:
    return db.session.get(FeedbackForm, form_id)


def get_managed(user: User, form_id: int) -> FeedbackForm | None:
    """The form if the user may manage it; None otherwise (someone else's form looks missing)."""
    form = get_form(form_id)
    return form if form is not None and can_manage(user, form) else None


def get_question(form: FeedbackForm, question_id: int) -> Question | None:
    question = db.session.get(Question, question_id)
    return question if question is not None and question.form_id == form.id else None


def get_section(form: FeedbackForm, section_id: int) -> FormSection | None:
    section = db.session.get(FormSection, section_id)
    return section if section is not None and section.form_id == form.id else None


def questions_in_order(form: FeedbackForm) -> list[Question]:
    """Every question of the form in the order respondents see them, options loaded."""
    stmt = (
        select(Question)
        .where(Question.form_id == form.id)
        .order_by(Question.position, Question.id)
        .options(selectinload(Question.options).joinedload(QuestionOption.competency))
    )
    return list(db.session.scalars(stmt))


def sections_in_order(form: FeedbackForm) -> list[FormSection]:
    stmt = select(FormSection).where(FormSection.form_id == form.id).order_by(FormSection.position, FormSection.id)
    return list(db.session.scalars(stmt))


@dataclass
class Block:
    """A run of questions: the unsectioned ones at the top (``section`` None), or one section's."""

    section: FormSection | None
    questions: list[Question]


def blocks(form: FeedbackForm, include_empty: bool = False) -> list[Block]:
    """The form as respondents see it; ``include_empty`` keeps sections without questions (the builder)."""
    questions = questions_in_order(form)
    result = [Block(None, [q for q in questions if q.section_id is None])]
    for section in sections_in_order(form):
        result.append(Block(section, [q for q in questions if q.section_id == section.id]))
    return [b for b in result if b.questions or (include_empty and b.section is not None)]


def response_counts(form_ids: Sequence[int]) -> dict[int, int]:
    """Submitted responses per form, in one query."""
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(Response.form_id, func.count()).where(Response.form_id.in_(form_ids)).group_by(Response.form_id)
    )
    return {form_id: total for form_id, total in rows.all()}  # noqa: C416 - rows, not tuples


def has_responses(form: FeedbackForm) -> bool:
    return db.session.scalar(select(Response.id).where(Response.form_id == form.id).limit(1)) is not None


def is_open(form: FeedbackForm, now: datetime | None = None) -> bool:
    """Whether the form accepts answers now: status OPEN and inside its opening and closing dates."""
    now = now or utcnow()
    if form.status != FormStatus.OPEN:
        return False
    if form.opens_at is not None and now < form.opens_at:
        return False
    return form.closes_at is None or now < form.closes_at


def forms_of_workshop(workshop_id: int) -> list[FeedbackForm]:
    """The forms attached to a workshop: evaluation, tests, follow-ups (in that order), oldest first."""
    forms = db.session.scalars(
        select(FeedbackForm).where(FeedbackForm.workshop_id == workshop_id).order_by(FeedbackForm.id)
    )
    order = {purpose: index for index, purpose in enumerate(WORKSHOP_PURPOSES)}
    return sorted(forms, key=lambda f: order.get(f.purpose, len(order)))


def evaluation_of(workshop_id: int) -> FeedbackForm | None:
    """The workshop's L1 evaluation that is or was open: the open one, else the latest closed one."""
    return db.session.scalar(
        select(FeedbackForm)
        .where(
            FeedbackForm.workshop_id == workshop_id,
            FeedbackForm.purpose == FormPurpose.EVALUATION,
            FeedbackForm.status.in_((FormStatus.OPEN, FormStatus.CLOSED)),
        )
        .order_by(
            (FeedbackForm.status == FormStatus.OPEN).desc(), FeedbackForm.published_at.desc(), FeedbackForm.id.desc()
        )
        .limit(1)
    )


@dataclass
class FormFilters:
    status: FormStatus | None = None
    purpose: FormPurpose | None = None


def managed_forms(actor: User, filters: FormFilters, page: int) -> Page[FeedbackForm]:
    """The forms the actor manages (admins: all), newest change first."""
    _require_build(actor)
    stmt = select(FeedbackForm).order_by(FeedbackForm.updated_at.desc(), FeedbackForm.id.desc())
    if not actor.is_admin:
        own_workshops = select(Workshop.id).where(Workshop.organizer_id == actor.id)
        stmt = stmt.where((FeedbackForm.owner_id == actor.id) | FeedbackForm.workshop_id.in_(own_workshops))
    if filters.status:
        stmt = stmt.where(FeedbackForm.status == filters.status)
    if filters.purpose:
        stmt = stmt.where(FeedbackForm.purpose == filters.purpose)
    stmt = stmt.options(joinedload(FeedbackForm.workshop), joinedload(FeedbackForm.owner))
    return paginate(stmt, page, PAGE_SIZE)


def attachable_forms(actor: Actor) -> list[FeedbackForm]:
    """The actor's own forms that can still be attached to a workshop: unattached and never answered."""
    _require_build(actor)
    answered = select(Response.form_id)
    stmt = (
        select(FeedbackForm)
        .where(
            FeedbackForm.owner_id == actor.id,
            FeedbackForm.workshop_id.is_(None),
            FeedbackForm.is_template.is_(False),
            FeedbackForm.id.not_in(answered),
        )
        .order_by(FeedbackForm.updated_at.desc())
    )
    return list(db.session.scalars(stmt))


def workshop_choices(actor: User) -> list[Workshop]:
    """Workshops the actor may attach forms to (not cancelled)."""
    return [w for w in workshops.managed_workshops(actor) if w.status != WorkshopStatus.CANCELLED]
