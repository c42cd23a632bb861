"""Competency needs analysis (AKPK) from needs surveys, and program review (Kirkpatrick L1-L3 per run).

**Needs.** Needs surveys (purpose NEEDS_SURVEY) tie grid items and choice options to competencies. A grid item
gives its 1-5 need score; in a choice question, choosing a competency counts as 5 and leaving it unchosen (while
answering the question) as 1. Per competency: the mean need score, the share of scores 4-5 ("high need") and the
number of responses that scored it; ranked by mean, then high share, then respondents. Per unit the same, shown
only where a unit has at least ``MIN_GROUP`` responses (surveys may be anonymous).

**Programs.** A program's runs are its workshops that were not cancelled, oldest first. For each run: L1 mean,
L2 gain and L3 change share as defined in :mod:`portal.feedback.results`. A program is flagged for review when
the latest run with evaluations has an L1 mean below the program's threshold, or when the latest run with
follow-ups has at least :data:`MIN_L3_RESPONSES` follow-up responses and fewer than half of them report change.
Review decisions are a history: added, never edited.

Contract for the learning dashboard (stable names, no permission check: the caller decides who sees them):
:func:`top_needs` -> list of :class:`NeedRow`, :func:`flagged_programs` -> list of :class:`ProgramSummary`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.forms import RuleError
from portal.core.permissions import Permission, PermissionDenied, has_permission, require
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback import results
from portal.feedback import services as forms
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormPurpose,
    FormStatus,
    NeedLink,
    Program,
    ProgramReview,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    ReviewDecision,
    program_workshops,
)
from portal.feedback.results import MIN_GROUP, ChangeShare, Mean, TestGain
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

HIGH_NEED = 4
CHOSEN, NOT_CHOSEN = 5.0, 1.0
MATRIX_COMPETENCIES = 8  # columns of the unit x competency matrix
MIN_L3_RESPONSES = 5
L3_NO_CHANGE = 0.5  # a change share below this (with enough responses) flags the program
NAME_MIN, NAME_MAX, DESCRIPTION_MAX, NOTE_MIN, NOTE_MAX = 3, 200, 5000, 5, 2000
THRESHOLD_MIN, THRESHOLD_MAX, DEFAULT_THRESHOLD = 1.0, 5.0, 3.5
PLANNABLE = (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED)

DECISION_LABELS: dict[ReviewDecision, Any] = {
    ReviewDecision.KEEP: _l("Pertahankan"),
    ReviewDecision.CHANGE_METHOD: _l("Ubah metode"),
    ReviewDecision.CHANGE_MATERIAL: _l("Ubah materi"),
    ReviewDecision.RETIRE: _l("Hentikan program"),
}


class AnalysisError(RuleError):
    """A needs-analysis or program-review rule was broken."""


def can_analyse(user: Any) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def _require_analyse(user: Any) -> None:
    require(user, Permission.ORGANIZE)


# ---------------------------------------------------------------- needs: collecting scores


@dataclass
class _Tally:
    total: float = 0.0
    count: int = 0
    high: int = 0
    responses: set[int] = field(default_factory=set)

    def add(self, response_id: int, score: float) -> None:
        self.total += score
        self.count += 1
        self.high += score >= HIGH_NEED
        self.responses.add(response_id)


@dataclass(frozen=True)
class NeedRow:
    """One competency's need. Contract: ``competency``, ``mean_need`` (1-5), ``high_share`` (0-1, scores 4-5),
    ``respondents`` (responses that scored it)."""

    competency: Competency
    mean_need: float
    high_share: float
    respondents: int


@dataclass
class _Scores:
    overall: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_unit: dict[int | None, dict[int, _Tally]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(_Tally))
    )
    unit_responses: dict[int | None, set[int]] = field(default_factory=lambda: defaultdict(set))
    responses: set[int] = field(default_factory=set)

    def add(self, response_id: int, unit_id: int | None, competency_id: int, score: float) -> None:
        self.overall[competency_id].add(response_id, score)
        self.by_unit[unit_id][competency_id].add(response_id, score)
        self.unit_responses[unit_id].add(response_id)
        self.responses.add(response_id)


def _scope(survey_id: int | None, year: int | None) -> list[Any]:
    conditions = [FeedbackForm.purpose == FormPurpose.NEEDS_SURVEY, FeedbackForm.is_template.is_(False)]
    if survey_id is not None:
        conditions.append(Response.form_id == survey_id)
    elif year is not None:
        start, end = results.year_bounds(year)
        conditions += [Response.submitted_at >= start, Response.submitted_at < end]
    return conditions


def _answers(*conditions: Any) -> Select[Any]:
    return (
        select(Response.id, Response.unit_id, Answer.question_id, Answer.option_id, Answer.value_number)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(*conditions)
    )


def _collect(survey_id: int | None, year: int | None) -> _Scores:
    scores = _Scores()
    scope = _scope(survey_id, year)
    grid = _answers(*scope, Question.kind == QuestionKind.GRID, Answer.value_number.is_not(None)).add_columns(
        QuestionOption.competency_id
    )
    grid = grid.join(QuestionOption, QuestionOption.id == Answer.option_id).where(
        QuestionOption.competency_id.is_not(None)
    )
    for response_id, unit_id, _question, _option, value, competency_id in db.session.execute(grid):
        scores.add(response_id, unit_id, competency_id, value)
    choice_questions = (
        select(QuestionOption.question_id)
        .join(Question, Question.id == QuestionOption.question_id)
        .where(Question.kind.in_(forms.CHOICE_KINDS), QuestionOption.competency_id.is_not(None))
    )
    chosen: dict[tuple[int, int | None, int], set[int]] = defaultdict(set)
    for response_id, unit_id, question_id, option_id, _value in db.session.execute(
        _answers(*scope, Answer.question_id.in_(choice_questions))
    ):
        chosen[(response_id, unit_id, question_id)].add(option_id)
    options: dict[int, list[tuple[int, int]]] = defaultdict(list)
    question_ids = {question_id for _r, _u, question_id in chosen}
    if question_ids:
        stmt = select(QuestionOption.question_id, QuestionOption.id, QuestionOption.competency_id).where(
            QuestionOption.question_id.in_(question_ids), QuestionOption.competency_id.is_not(None)
        )
        for question_id, option_id, competency_id in db.session.execute(stmt):
            options[question_id].append((option_id, competency_id))
    for (response_id, unit_id, question_id), picked in chosen.items():
        for option_id, competency_id in options[question_id]:
            scores.add(response_id, unit_id, competency_id, CHOSEN if option_id in picked else NOT_CHOSEN)
    return scores


def _ranked(tallies: dict[int, _Tally], min_respondents: int = 1) -> list[NeedRow]:
    known = competencies.by_ids(tallies)
    rows = [
        NeedRow(known[cid], tally.total / tally.count, tally.high / tally.count, len(tally.responses))
        for cid, tally in tallies.items()
        if cid in known and tally.count and len(tally.responses) >= min_respondents
    ]
    return sorted(rows, key=lambda r: (-r.mean_need, -r.high_share, -r.respondents, r.competency.code))


def needs_surveys() -> list[FeedbackForm]:
    """Needs surveys that were published (open or closed), newest first."""
    stmt = (
        select(FeedbackForm)
        .where(
            FeedbackForm.purpose == FormPurpose.NEEDS_SURVEY,
            FeedbackForm.is_template.is_(False),
            FeedbackForm.status != FormStatus.DRAFT,
        )
        .order_by(FeedbackForm.published_at.desc(), FeedbackForm.id.desc())
    )
    return list(db.session.scalars(stmt))


def needs_years() -> list[int]:
    """Years (WIB) with needs-survey responses, newest first."""
    stmt = (
        select(func.min(Response.submitted_at), func.max(Response.submitted_at))
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(*_scope(None, None))
    )
    first, last = db.session.execute(stmt).one()
    if first is None:
        return []
    return list(range(to_local(last).year, to_local(first).year - 1, -1))


def top_needs(limit: int = 5, unit_id: int | None = None, year: int | None = None) -> list[NeedRow]:
    """Contract for the learning dashboard: the highest competency needs of ``year`` (WIB; None: the latest year
    with needs-survey responses), of one unit when given. Rows of a unit are left out when fewer than
    ``MIN_GROUP`` of its responses scored that competency."""
    if year is None:
        years = needs_years()
        if not years:
            return []
        year = years[0]
    scores = _collect(None, year)
    if unit_id is None:
        return _ranked(scores.overall)[: max(0, limit)]
    return _ranked(scores.by_unit.get(unit_id, {}), MIN_GROUP)[: max(0, limit)]


# ---------------------------------------------------------------- needs: the page


@dataclass(frozen=True)
class MatrixRow:
    unit: Unit | None  # None: answers without a unit (the public link)
    respondents: int
    suppressed: bool  # fewer than MIN_GROUP responses from this unit
    cells: list[float | None]  # mean need per matrix competency; None: none, or fewer than MIN_GROUP scored it


@dataclass
class NeedsAnalysis:
    survey: FeedbackForm | None
    year: int | None
    unit: Unit | None  # ranking of one unit
    respondents: int
    suppressed: bool  # the chosen unit has fewer than MIN_GROUP responses
    rows: list[NeedRow]
    matrix_competencies: list[Competency]
    matrix: list[MatrixRow]
    links: dict[int, list[NeedLink]]  # competency id -> planned workshops answering it


def _matrix(scores: _Scores, top: Sequence[NeedRow]) -> list[MatrixRow]:
    known = {unit.id: unit for unit in units.list_all()}
    rows = []
    for unit_id, responses in scores.unit_responses.items():
        suppressed = len(responses) < MIN_GROUP
        cells: list[float | None] = []
        for row in top:
            tally = scores.by_unit[unit_id].get(row.competency.id)
            shown = not suppressed and tally is not None and len(tally.responses) >= MIN_GROUP
            cells.append(tally.total / tally.count if shown else None)
        rows.append(MatrixRow(known.get(unit_id) if unit_id else None, len(responses), suppressed, cells))
    return sorted(rows, key=lambda r: (r.unit is None, r.unit.name.casefold() if r.unit else ""))


def analyse_needs(
    viewer: Any, survey_id: int | None = None, year: int | None = None, unit_id: int | None = None
) -> NeedsAnalysis:
    """The needs page: one survey, or every needs survey of a year (default: the latest year with answers)."""
    _require_analyse(viewer)
    survey = None
    if survey_id is not None:
        survey = forms.get_form(survey_id)
        if survey is None or survey.purpose != FormPurpose.NEEDS_SURVEY or survey.is_template:
            raise AnalysisError(_l("Survei kebutuhan tidak ditemukan."), "survei")
        year = None
    elif year is None:
        years = needs_years()
        year = years[0] if years else utcnow().year
    unit = None
    if unit_id is not None:
        unit = units.get(unit_id)
        if unit is None:
            raise AnalysisError(_l("Unit tidak dikenal."), "unit")
    scores = _collect(survey.id if survey else None, year)
    if unit is None:
        rows, suppressed, respondents = _ranked(scores.overall), False, len(scores.responses)
    else:
        respondents = len(scores.unit_responses.get(unit.id, ()))
        suppressed = respondents < MIN_GROUP
        rows = [] if suppressed else _ranked(scores.by_unit.get(unit.id, {}), MIN_GROUP)
    top = _ranked(scores.overall)[:MATRIX_COMPETENCIES]
    since = results.year_bounds(year)[0] if year else (survey.published_at or survey.created_at)
    return NeedsAnalysis(
        survey=survey,
        year=year,
        unit=unit,
        respondents=respondents,
        suppressed=suppressed,
        rows=rows,
        matrix_competencies=[row.competency for row in top],
        matrix=_matrix(scores, top) if unit is None else [],
        links=links_for([row.competency.id for row in rows], since),
    )


def links_for(competency_ids: Iterable[int], since: datetime) -> dict[int, list[NeedLink]]:
    """Workshops (not cancelled, ending after ``since``) linked to each competency, soonest first."""
    ids = list(set(competency_ids))
    if not ids:
        return {}
    stmt = select(NeedLink).where(NeedLink.competency_id.in_(ids)).options(joinedload(NeedLink.workshop))
    links: dict[int, list[NeedLink]] = defaultdict(list)
    for link in db.session.scalars(stmt):
        if link.workshop.status != WorkshopStatus.CANCELLED and link.workshop.ends_at >= since:
            links[link.competency_id].append(link)
    for items in links.values():
        items.sort(key=lambda link: (link.workshop.starts_at, link.id))
    return dict(links)


def plannable_workshops(actor: Any) -> list[Workshop]:
    """The actor's workshops that have not started (drafts or published), soonest first."""
    now = utcnow()
    upcoming = [w for w in workshops.managed_workshops(actor) if w.status in PLANNABLE and w.starts_at > now]
    return sorted(upcoming, key=lambda w: (w.starts_at, w.id))


def link_need(actor: Any, competency_id: int | None, workshop_id: int | None, survey_id: int | None = None) -> NeedLink:
    """Record that a planned workshop answers a competency need (audited)."""
    _require_analyse(actor)
    competency = competencies.by_ids([competency_id]).get(competency_id) if competency_id else None
    if competency is None:
        raise AnalysisError(_l("Kompetensi tidak dikenal."), "competency_id")
    workshop = next((w for w in plannable_workshops(actor) if w.id == workshop_id), None)
    if workshop is None:
        raise AnalysisError(_l("Pilih pelatihan Anda yang belum dimulai."), "workshop_id")
    survey = forms.get_form(survey_id) if survey_id else None
    if survey is not None and survey.purpose != FormPurpose.NEEDS_SURVEY:
        survey = None
    existing = select(NeedLink.id).where(NeedLink.workshop_id == workshop.id, NeedLink.competency_id == competency.id)
    if db.session.scalar(existing) is not None:
        raise AnalysisError(_l("Pelatihan ini sudah ditautkan ke kebutuhan tersebut."), "workshop_id")
    link = NeedLink(
        workshop_id=workshop.id,
        competency_id=competency.id,
        survey_id=survey.id if survey else None,
        created_by_id=actor.id,
    )
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:  # the same link saved at the same moment by another request
        db.session.rollback()
        raise AnalysisError(_l("Pelatihan ini sudah ditautkan ke kebutuhan tersebut."), "workshop_id") from None
    audit.record(actor, "feedback.need_link", workshop, competency=competency.code, survey_id=link.survey_id)
    db.session.commit()
    return link


def get_link(link_id: int) -> NeedLink | None:
    return db.session.get(NeedLink, link_id)


def can_unlink(user: Any, link: NeedLink) -> bool:
    return can_analyse(user) and (user.is_admin or workshops.can_manage(user, link.workshop))


def unlink_need(actor: Any, link: NeedLink) -> None:
    if not can_unlink(actor, link):
        raise PermissionDenied("feedback.need_link")
    audit.record(actor, "feedback.need_unlink", link.workshop, competency=link.competency.code)
    db.session.delete(link)
    db.session.commit()


def needs_table(analysis: NeedsAnalysis) -> list[list[object]]:
    """The ranked needs for CSV/XLSX."""
    table: list[list[object]] = [
        [_("Peringkat"), _("Kode"), _("Kompetensi"), _("Rata-rata kebutuhan (1-5)"), _("% perlu (4-5)"), _("Responden")]
    ]
    if analysis.suppressed:
        table.append([None, None, str(results.SUPPRESSED_MESSAGE), None, None, None])
    for rank, row in enumerate(analysis.rows, start=1):
        table.append(
            [
                rank,
                row.competency.code,
                row.competency.name,
                round(row.mean_need, 2),
                round(row.high_share * 100, 1),
                row.respondents,
            ]
        )
    return table


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


def _number(value: float, fmt: str = "#,##0.00") -> str:
    return format_decimal(value, fmt)


def _latest(runs: Sequence[RunSummary], has_value: Any) -> RunSummary | None:
    return next((run for run in reversed(runs) if has_value(run)), None)


def _summary(program: Program, runs: list[RunSummary]) -> ProgramSummary:
    l1_run = _latest(runs, lambda run: run.l1_mean is not None)
    l2_run = _latest(runs, lambda run: run.l2_gain is not None)
    l3_run = _latest(runs, lambda run: run.l3.responses > 0)
    reasons = []
    if l1_run is not None and l1_run.l1_mean < program.l1_threshold:
        reasons.append(
            _(
                "Rata-rata L1 pelaksanaan terakhir (%(run)s) %(mean)s, di bawah ambang %(threshold)s.",
                run=l1_run.workshop.title,
                mean=_number(l1_run.l1_mean),
                threshold=_number(program.l1_threshold),
            )
        )
    if l3_run is not None and l3_run.l3.responses >= MIN_L3_RESPONSES and l3_run.l3.share < L3_NO_CHANGE:
        reasons.append(
            _(
                "L3 tidak menunjukkan perubahan: hanya %(share)s%% dari %(n)d tanggapan tindak lanjut (%(run)s) "
                "melaporkan perubahan; ambangnya 50%%.",
                share=_number(l3_run.l3.share * 100, "#,##0"),
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
    l1, l2, l3 = results.l1_by_workshop(ids), results.l2_by_workshop(ids), results.l3_by_workshop(ids)
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


def list_programs(viewer: Any, flagged_only: bool = False) -> list[ProgramSummary]:
    _require_analyse(viewer)
    summaries = summarize(_programs())
    return [s for s in summaries if s.flagged] if flagged_only else summaries


def program_summary(viewer: Any, program: Program) -> ProgramSummary:
    _require_analyse(viewer)
    return summarize([program])[0]


def flagged_programs() -> list[ProgramSummary]:
    """Contract for the learning dashboard: programs flagged for review, not retired by their latest decision,
    those without a decision since their latest run first, then by name."""
    flagged = [s for s in summarize(_programs()) if s.flagged and not s.retired]

    def reviewed_since_latest_run(summary: ProgramSummary) -> bool:
        review = summary.latest_review
        return review is not None and bool(summary.runs) and review.created_at >= summary.runs[-1].workshop.ends_at

    return sorted(flagged, key=lambda s: (reviewed_since_latest_run(s), s.program.name.casefold()))


# ---------------------------------------------------------------- programs: editing


@dataclass
class ProgramInput:
    name: str
    description: str = ""
    l1_threshold: float | None = DEFAULT_THRESHOLD


def get_program(program_id: int) -> Program | None:
    return db.session.get(Program, program_id)


def can_edit_program(user: Any, program: Program) -> bool:
    return can_analyse(user) and (user.is_admin or program.owner_id == user.id)


def _require_edit(user: Any, program: Program) -> None:
    if not can_edit_program(user, program):
        raise PermissionDenied("feedback.program")


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


def create_program(actor: Any, data: ProgramInput) -> Program:
    _require_analyse(actor)
    program = Program(owner_id=actor.id, **_validated(data))
    db.session.add(program)
    db.session.flush()
    audit.record(actor, "feedback.program_create", program, label=program.name, threshold=program.l1_threshold)
    db.session.commit()
    return program


def update_program(actor: Any, program: Program, data: ProgramInput) -> Program:
    _require_edit(actor, program)
    values = _validated(data, exclude_id=program.id)
    changed = {key: value for key, value in values.items() if getattr(program, key) != value}
    for key, value in changed.items():
        setattr(program, key, value)
    if changed:
        audit.record(actor, "feedback.program_update", program, label=program.name, changed=sorted(changed))
    db.session.commit()
    return program


def assignable_workshops(actor: Any) -> list[Workshop]:
    """Workshops the actor manages that are not cancelled and not in any program yet, newest first."""
    taken = set(db.session.scalars(select(program_workshops.c.workshop_id)))
    return [w for w in workshops.managed_workshops(actor) if w.status != WorkshopStatus.CANCELLED and w.id not in taken]


def assign_workshop(actor: Any, program: Program, workshop_id: int | None) -> Workshop:
    """Add a run to the program: a workshop the actor manages and that belongs to no other program."""
    _require_edit(actor, program)
    workshop = workshops.get(workshop_id) if workshop_id else None
    if workshop is None or not workshops.can_manage(actor, workshop) or workshop.status == WorkshopStatus.CANCELLED:
        raise AnalysisError(_l("Pilih pelatihan yang Anda kelola."), "workshop_id")
    current = results.program_id_of(workshop.id)
    if current is not None:
        raise AnalysisError(_l("Pelatihan ini sudah termasuk sebuah program."), "workshop_id")
    program.workshops.append(workshop)
    try:
        db.session.flush()
    except IntegrityError:  # assigned elsewhere at the same moment
        db.session.rollback()
        raise AnalysisError(_l("Pelatihan ini sudah termasuk sebuah program."), "workshop_id") from None
    audit.record(actor, "feedback.program_assign", program, label=program.name, workshop_id=workshop.id)
    db.session.commit()
    return workshop


def unassign_workshop(actor: Any, program: Program, workshop_id: int) -> None:
    _require_edit(actor, program)
    workshop = next((w for w in program.workshops if w.id == workshop_id), None)
    if workshop is None:
        raise AnalysisError(_l("Pelatihan ini tidak termasuk program ini."), "workshop_id")
    program.workshops.remove(workshop)
    audit.record(actor, "feedback.program_unassign", program, label=program.name, workshop_id=workshop.id)
    db.session.commit()


def record_review(actor: Any, program: Program, decision: str | None, note: str) -> ProgramReview:
    """Add a review decision to the program's history (never edited afterwards)."""
    _require_edit(actor, program)
    try:
        choice = ReviewDecision(decision or "")
    except ValueError:
        raise AnalysisError(_l("Pilih keputusan tinjauan."), "decision") from None
    note = (note or "").strip()
    if not NOTE_MIN <= len(note) <= NOTE_MAX:
        raise AnalysisError(
            _l("Catatan tinjauan %(min)d–%(max)d karakter: tulis alasan keputusan.", min=NOTE_MIN, max=NOTE_MAX),
            "note",
        )
    review = ProgramReview(program_id=program.id, decision=choice, note=note, decided_by_id=actor.id)
    db.session.add(review)
    db.session.flush()
    audit.record(actor, "feedback.program_review", program, label=program.name, decision=choice.value)
    db.session.commit()
    db.session.refresh(program)
    return review
