"""Program review (Kirkpatrick L1-L3 per run).

**Programs.** A program's runs are its workshops that were not cancelled, oldest first. For each run: L1 mean,
L2 gain and L3 change share as defined in :mod:`portal.feedback.services.results`. A program is flagged for review when
the latest run with evaluations has an L1 mean below the program's threshold, or when the latest run with
follow-ups has at least :data:`MIN_L3_RESPONSES` follow-up responses and fewer than half of them report change.
Review decisions are a history: added, never edited.

Contract for the learning dashboard (a stable name, no permission check: the caller decides who sees it):
:func:`flagged_programs` -> list of :class:`ProgramSummary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    Program,
    ProgramReview,
    ReviewDecision,
    program_workshops,
)
from portal.feedback.services.common import AnalysisError, _require_analyse
from portal.feedback.services.comparison import program_id_of
from portal.feedback.services.program_evaluation import attach_to_run
from portal.feedback.services.program_evaluation import can_edit_program as can_edit_program
from portal.feedback.services.program_evaluation import require_edit as _require_edit
from portal.feedback.services.scores import ChangeShare, Mean, TestGain, l1_by_workshop, l2_by_workshop, l3_by_workshop
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

MIN_L3_RESPONSES = 5
L3_NO_CHANGE = 0.5  # a change share below this (with enough responses) flags the program
NAME_MIN, NAME_MAX, DESCRIPTION_MAX, NOTE_MIN, NOTE_MAX = 3, 200, 5000, 5, 2000
THRESHOLD_MIN, THRESHOLD_MAX, DEFAULT_THRESHOLD = 1.0, 5.0, 3.5


DECISION_LABELS: dict[ReviewDecision, Any] = {
    ReviewDecision.KEEP: _l("Pertahankan"),
    ReviewDecision.CHANGE_METHOD: _l("Ubah metode"),
    ReviewDecision.CHANGE_MATERIAL: _l("Ubah materi"),
    ReviewDecision.RETIRE: _l("Hentikan program"),
}


# ---------------------------------------------------------------- programs: summaries


@dataclass(frozen=True)
class RunSummary:
    workshop: Workshop
    l1: Mean
    l2: TestGain
    l3: ChangeShare

    @property
    def l1_mean(self) -> float | None:
        return self.l1.value

    @property
    def l2_gain(self) -> float | None:
        return self.l2.gain

    @property
    def l3_change_share(self) -> float | None:
        return self.l3.share


@dataclass
class ProgramSummary:
    """Contract: ``program``, ``runs`` (list of :class:`RunSummary`, oldest first), ``l1_mean`` (latest run with
    evaluations), ``l2_gain`` (latest run with both tests), ``l3_change_share`` (latest run with follow-ups),
    ``reasons`` (why it is flagged, readable), ``flagged``."""

    program: Program
    runs: list[RunSummary]
    l1_mean: float | None
    l2_gain: float | None
    l3_change_share: float | None
    reasons: list[str]
    flagged: bool

    @property
    def latest_review(self) -> ProgramReview | None:
        return self.program.reviews[0] if self.program.reviews else None

    @property
    def retired(self) -> bool:
        review = self.latest_review
        return review is not None and review.decision == ReviewDecision.RETIRE

    @property
    def decided(self) -> bool:
        """A decision was recorded after the latest run that has ended (so it answers the current figures)."""
        review = self.latest_review
        if review is None:
            return False
        ended = [run.workshop.ends_at for run in self.runs if run.workshop.ends_at <= utcnow()]
        return not ended or review.created_at >= max(ended)

    @property
    def needs_review(self) -> bool:
        """ "Perlu ditinjau": flagged and no decision taken since; once decided, the page shows the decision."""
        return self.flagged and not self.decided


def _number(value: float, fmt: str = "#,##0.00") -> str:
    return format_decimal(value, fmt)


def _latest(runs: Sequence[RunSummary], has_value: Any) -> RunSummary | None:
    return next((run for run in reversed(runs) if has_value(run)), None)


def _summary(program: Program, runs: list[RunSummary]) -> ProgramSummary:
    l1_run = _latest(runs, lambda run: run.l1_mean is not None)
    l2_run = _latest(runs, lambda run: run.l2_gain is not None)
    l3_run = _latest(runs, lambda run: run.l3.responses > 0)
    reasons = []
    if l1_run is not None and l1_run.l1_mean is not None and l1_run.l1_mean < program.l1_threshold:
        reasons.append(
            _(
                "Rata-rata L1 pelaksanaan terakhir (%(run)s) %(mean)s, di bawah ambang %(threshold)s.",
                run=l1_run.workshop.title,
                mean=_number(l1_run.l1_mean),
                threshold=_number(program.l1_threshold),
            )
        )
    share = l3_run.l3.share if l3_run is not None else None  # a share when there are responses
    if l3_run is not None and share is not None and l3_run.l3.responses >= MIN_L3_RESPONSES and share < L3_NO_CHANGE:
        reasons.append(
            _(
                "L3 tidak menunjukkan perubahan: hanya %(share)s%% dari %(n)d tanggapan tindak lanjut (%(run)s) "
                "melaporkan perubahan; ambangnya 50%%.",
                share=_number(share * 100, "#,##0"),
                n=l3_run.l3.responses,
                run=l3_run.workshop.title,
            )
        )
    return ProgramSummary(
        program=program,
        runs=runs,
        l1_mean=l1_run.l1_mean if l1_run else None,
        l2_gain=l2_run.l2_gain if l2_run else None,
        l3_change_share=l3_run.l3_change_share if l3_run else None,
        reasons=reasons,
        flagged=bool(reasons),
    )


def summarize(programs: Sequence[Program]) -> list[ProgramSummary]:
    """Every program's runs and flags, with three queries for all runs together."""
    runs_of = {p.id: [w for w in p.workshops if w.status != WorkshopStatus.CANCELLED] for p in programs}
    ids = [w.id for runs in runs_of.values() for w in runs]
    l1, l2, l3 = l1_by_workshop(ids), l2_by_workshop(ids), l3_by_workshop(ids)
    no_l1, no_l2, no_l3 = Mean(None, 0), TestGain(None, 0, None, 0), ChangeShare(None, 0)
    summaries = []
    for program in programs:
        runs = [
            RunSummary(w, l1.get(w.id, no_l1), l2.get(w.id, no_l2), l3.get(w.id, no_l3))
            for w in sorted(runs_of[program.id], key=lambda w: (w.starts_at, w.id))
        ]
        summaries.append(_summary(program, runs))
    return summaries


def _programs() -> list[Program]:
    stmt = (
        select(Program).order_by(Program.name).options(selectinload(Program.workshops), selectinload(Program.reviews))
    )
    return list(db.session.scalars(stmt))


def list_programs(viewer: Actor, flagged_only: bool = False) -> list[ProgramSummary]:
    _require_analyse(viewer)
    summaries = summarize(_programs())
    return [s for s in summaries if s.flagged] if flagged_only else summaries


def program_summary(viewer: Actor, program: Program) -> ProgramSummary:
    _require_analyse(viewer)
    return summarize([program])[0]


def flagged_programs() -> list[ProgramSummary]:
    """Contract for the learning dashboard: programs flagged for review, not retired by their latest decision,
    those without a decision since their latest run first, then by name."""
    flagged = [s for s in summarize(_programs()) if s.flagged and not s.retired]
    return sorted(flagged, key=lambda s: (s.decided, s.program.name.casefold()))


# ---------------------------------------------------------------- programs: editing


@dataclass
class ProgramInput:
    name: str
    description: str = ""
    l1_threshold: float | None = DEFAULT_THRESHOLD


def get_program(program_id: int) -> Program | None:
    return db.session.get(Program, program_id)


def _validated(data: ProgramInput, exclude_id: int | None = None) -> dict[str, Any]:
    name = " ".join((data.name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise AnalysisError(_l("Nama program %(min)d–%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    same = select(Program.id).where(func.lower(Program.name) == name.lower())
    if exclude_id is not None:
        same = same.where(Program.id != exclude_id)
    if db.session.scalar(same) is not None:
        raise AnalysisError(_l("Sudah ada program dengan nama ini."), "name")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise AnalysisError(_l("Deskripsi paling banyak %(max)d karakter.", max=DESCRIPTION_MAX), "description")
    threshold = data.l1_threshold
    if threshold is None or threshold != threshold or not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
        raise AnalysisError(_l("Ambang L1 harus angka antara 1 dan 5."), "l1_threshold")
    return {"name": name, "description": description, "l1_threshold": round(float(threshold), 2)}


def create_program(actor: Actor, data: ProgramInput) -> Program:
    _require_analyse(actor)
    program = Program(owner_id=actor.id, **_validated(data))
    db.session.add(program)
    db.session.flush()
    audit.record(actor, "feedback.program_create", program, label=program.name, threshold=program.l1_threshold)
    db.session.commit()
    return program


def update_program(actor: User, program: Program, data: ProgramInput) -> Program:
    _require_edit(actor, program)
    values = _validated(data, exclude_id=program.id)
    changed = {key: value for key, value in values.items() if getattr(program, key) != value}
    for key, value in changed.items():
        setattr(program, key, value)
    if changed:
        audit.record(actor, "feedback.program_update", program, label=program.name, changed=sorted(changed))
    db.session.commit()
    return program


def assignable_workshops(actor: User) -> list[Workshop]:
    """Workshops the actor manages that are not cancelled and not in any program yet, newest first."""
    taken = set(db.session.scalars(select(program_workshops.c.workshop_id)))
    return [w for w in workshops.managed_workshops(actor) if w.status != WorkshopStatus.CANCELLED and w.id not in taken]


def assign_workshop(actor: User, program: Program, workshop_id: int | None) -> Workshop:
    """Add a run to the program: a workshop the actor manages and that belongs to no other program."""
    _require_edit(actor, program)
    workshop = workshops.get(workshop_id) if workshop_id else None
    if workshop is None or not workshops.can_manage(actor, workshop) or workshop.status == WorkshopStatus.CANCELLED:
        raise AnalysisError(_l("Pilih pelatihan yang Anda kelola."), "workshop_id")
    current = program_id_of(workshop.id)
    if current is not None:
        raise AnalysisError(_l("Pelatihan ini sudah termasuk sebuah program."), "workshop_id")
    program.workshops.append(workshop)
    try:
        db.session.flush()
    except IntegrityError:  # assigned elsewhere at the same moment
        db.session.rollback()
        raise AnalysisError(_l("Pelatihan ini sudah termasuk sebuah program."), "workshop_id") from None
    attached = attach_to_run(program, workshop, actor.id)
    audit.record(
        actor,
        "feedback.program_assign",
        program,
        label=program.name,
        workshop_id=workshop.id,
        forms_attached=len(attached),
    )
    db.session.commit()
    return workshop


def unassign_workshop(actor: User, program: Program, workshop_id: int) -> None:
    _require_edit(actor, program)
    workshop = next((w for w in program.workshops if w.id == workshop_id), None)
    if workshop is None:
        raise AnalysisError(_l("Pelatihan ini tidak termasuk program ini."), "workshop_id")
    program.workshops.remove(workshop)
    audit.record(actor, "feedback.program_unassign", program, label=program.name, workshop_id=workshop.id)
    db.session.commit()


def decision_owners() -> list[User]:
    """Who may own a decision: the active, verified people who organize (organizers, admins), by name."""
    ids = accounts.active_ids_with(Permission.ORGANIZE)
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name))) if ids else []


def upcoming_runs(program: Program, now: datetime | None = None) -> list[Workshop]:
    """The program's runs that have not started yet (a decision may name one as its next run)."""
    now = now or utcnow()
    return [w for w in program.workshops if w.status != WorkshopStatus.CANCELLED and w.starts_at > now]


@dataclass
class DecisionInput:
    decision: str | None
    note: str
    owner_id: int | None = None
    due_on: date | None = None
    next_workshop_id: int | None = None


def record_review(actor: User, program: Program, data: DecisionInput, now: datetime | None = None) -> ProgramReview:
    """Add a review decision to the program's history (never edited afterwards): its kind, the reason, who carries
    it out by when, and the run it applies to (chosen among the upcoming runs, else the first run after it)."""
    _require_edit(actor, program)
    now = now or utcnow()
    try:
        choice = ReviewDecision(data.decision or "")
    except ValueError:
        raise AnalysisError(_l("Pilih keputusan tinjauan."), "decision") from None
    owner = db.session.get(User, data.owner_id) if data.owner_id else None
    if owner is None or owner.id not in accounts.active_ids_with(Permission.ORGANIZE):
        raise AnalysisError(_l("Pilih penanggung jawab keputusan."), "owner_id")
    if data.due_on is None:
        raise AnalysisError(_l("Isi tenggat keputusan."), "due_on")
    if data.due_on < to_local(now).date():
        raise AnalysisError(_l("Tenggat tidak boleh sebelum hari ini."), "due_on")
    next_run = None
    if data.next_workshop_id is not None:
        next_run = next((w for w in upcoming_runs(program, now) if w.id == data.next_workshop_id), None)
        if next_run is None:
            raise AnalysisError(_l("Pilih pelaksanaan berikutnya dari daftar."), "next_workshop_id")
    note = data.note
    note = (note or "").strip()
    if not NOTE_MIN <= len(note) <= NOTE_MAX:
        raise AnalysisError(
            _l("Catatan tinjauan %(min)d–%(max)d karakter: tulis alasan keputusan.", min=NOTE_MIN, max=NOTE_MAX),
            "note",
        )
    review = ProgramReview(
        program_id=program.id,
        decision=choice,
        note=note,
        decided_by_id=actor.id,
        owner_id=owner.id,
        due_on=data.due_on,
        next_workshop_id=next_run.id if next_run else None,
        created_at=now,
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        actor,
        "feedback.program_review",
        program,
        label=program.name,
        decision=choice.value,
        owner_id=owner.id,
        due_on=data.due_on.isoformat(),
        next_workshop_id=review.next_workshop_id,
    )
    db.session.commit()
    db.session.refresh(program)
    return review
