"""Competency needs analysis (AKPK) from needs surveys (program review: :mod:`portal.feedback.services.program_review`).

**Needs.** Needs surveys (purpose NEEDS_SURVEY) tie grid items and choice options to competencies. A grid item
gives its 1-5 need score; in a choice question, choosing a competency counts as 5 and leaving it unchosen (while
answering the question) as 1. Technical needs picked from the catalogue, or written and then coded by BKPSDM,
count the same way (:mod:`~portal.feedback.services.technical_needs`). Per competency: the mean need score, the
share of scores 4-5 ("high need") and the number of responses that scored it; ranked by mean, then high share,
then respondents. Per unit the same, for every unit at the smallest grouping that holds at least
:func:`~portal.feedback.services.results.min_group` responses: the unit itself, or a pool of small units
(:mod:`~portal.feedback.services.needs_pooling`). An anonymous survey below the threshold counts nowhere.

Contract for the learning dashboard (a stable name, no permission check: the caller decides who sees it):
:func:`top_needs` -> list of :class:`NeedRow`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormPurpose,
    FormStatus,
    NeedLink,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
)
from portal.feedback.services.common import CHOICE_KINDS, AnalysisError, _require_analyse, can_analyse
from portal.feedback.services.lookups import get_form
from portal.feedback.services.needs_pooling import Pool, pool_of, pool_units
from portal.feedback.services.results import min_group, suppressed_message, visible_forms, year_bounds
from portal.feedback.services.technical_needs import technical_scores, uncoded_count
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

HIGH_NEED = 4
CHOSEN, NOT_CHOSEN = 5.0, 1.0
MATRIX_COMPETENCIES = 8  # columns of the unit x competency matrix
POOL_TOP = 3  # each unit's (or pool's) highest needs shown beside the city ranking
PLANNABLE = (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED)


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

    def merge(self, other: _Tally) -> None:
        self.total += other.total
        self.count += other.count
        self.high += other.high
        self.responses |= other.responses


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

    def of_pool(self, pool: Pool) -> dict[int, _Tally]:
        """Per competency, the tallies of the pool's units together."""
        pooled: dict[int, _Tally] = defaultdict(_Tally)
        for unit_id in pool.unit_ids:
            for competency_id, tally in self.by_unit.get(unit_id, {}).items():
                pooled[competency_id].merge(tally)
        return pooled


def needs_scope(survey_id: int | None, year: int | None) -> list[Any]:
    """The conditions (on Response and FeedbackForm) of the responses a needs analysis counts."""
    return _scope(survey_id, year)


def _scope(survey_id: int | None, year: int | None) -> list[Any]:
    conditions = [
        FeedbackForm.purpose == FormPurpose.NEEDS_SURVEY,
        FeedbackForm.is_template.is_(False),
        visible_forms(),
    ]
    if survey_id is not None:
        conditions.append(Response.form_id == survey_id)
    elif year is not None:
        start, end = year_bounds(year)
        conditions += [Response.submitted_at >= start, Response.submitted_at < end]
    return conditions


def _answers(*conditions: Any) -> Select[*tuple[Any, ...]]:
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
        .where(Question.kind.in_(CHOICE_KINDS), QuestionOption.competency_id.is_not(None))
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
            assert competency_id is not None  # the query selects options with a competency
            options[question_id].append((option_id, competency_id))
    for (response_id, unit_id, question_id), picked in chosen.items():
        for option_id, competency_id in options[question_id]:
            scores.add(response_id, unit_id, competency_id, CHOSEN if option_id in picked else NOT_CHOSEN)
    for response_id, unit_id, competency_id, value in technical_scores(scope):
        scores.add(response_id, unit_id, competency_id, value)
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
    with needs-survey responses), of one unit when given: the ranking of the unit's pool (the unit itself when it
    holds enough responses, see :mod:`~portal.feedback.services.needs_pooling`), leaving out competencies fewer
    than :func:`~portal.feedback.services.results.min_group` of the pool's responses scored."""
    if year is None:
        years = needs_years()
        if not years:
            return []
        year = years[0]
    scores = _collect(None, year)
    if unit_id is None:
        return _ranked(scores.overall)[: max(0, limit)]
    least = min_group()
    pool = pool_of(pool_units(scores.unit_responses, least), unit_id)
    if pool is None or pool.suppressed:
        return []
    return _ranked(scores.of_pool(pool), least)[: max(0, limit)]


# ---------------------------------------------------------------- needs: the page


@dataclass(frozen=True)
class MatrixRow:
    pool: Pool  # a unit, or a pool of small units (it names them)
    respondents: int
    suppressed: bool  # fewer than min_group() responses in all: nothing shows
    cells: list[float | None]  # mean need per matrix competency; None: none, or fewer than min_group() scored it
    ranking: list[NeedRow] = field(default_factory=list)  # the pool's own ranking (empty when suppressed)

    @property
    def top(self) -> list[NeedRow]:
        """The pool's own highest needs, shown beside the city ranking."""
        return self.ranking[:POOL_TOP]

    @property
    def unit(self) -> Unit | None:
        """The unit of a single-unit row (None for a pool or the answers without a unit)."""
        return None if self.pool.pooled else self.pool.members[0]


@dataclass
class NeedsAnalysis:
    survey: FeedbackForm | None
    year: int | None
    unit: Unit | None  # ranking of one unit
    respondents: int
    suppressed: bool  # too few responses in all to show anything of the chosen unit
    rows: list[NeedRow]
    matrix_competencies: list[Competency]
    matrix: list[MatrixRow]
    links: dict[int, list[NeedLink]]  # competency id -> planned workshops answering it
    pool: Pool | None = None  # a chosen small unit: the pool whose ranking stands for it
    uncoded: int = 0  # written technical needs still to be coded by BKPSDM (city view)


def _matrix(scores: _Scores, top: Sequence[NeedRow], pools: Sequence[Pool]) -> list[MatrixRow]:
    """One row per unit or pool: its mean need of the city's top competencies, and its own top needs."""
    least = min_group()
    rows = []
    for pool in pools:
        tallies = scores.of_pool(pool)
        cells: list[float | None] = []
        for row in top:
            tally = tallies.get(row.competency.id)
            hidden = tally is None or pool.suppressed or len(tally.responses) < least
            cells.append(None if tally is None or hidden else tally.total / tally.count)
        own = [] if pool.suppressed else _ranked(tallies, least)
        rows.append(MatrixRow(pool, pool.respondents, pool.suppressed, cells, own))
    return rows


def analyse_needs(
    viewer: Actor, survey_id: int | None = None, year: int | None = None, unit_id: int | None = None
) -> NeedsAnalysis:
    """The needs page: one survey, or every needs survey of a year (default: the latest year with answers)."""
    _require_analyse(viewer)
    survey = None
    if survey_id is not None:
        survey = get_form(survey_id)
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
    least = min_group()
    pools = pool_units(scores.unit_responses, least)
    pool = None
    if unit is None:
        rows, suppressed, respondents = _ranked(scores.overall), False, len(scores.responses)
    else:
        pool = pool_of(pools, unit.id)
        respondents = pool.respondents if pool else 0
        suppressed = pool is None or pool.suppressed
        rows = [] if pool is None or suppressed else _ranked(scores.of_pool(pool), least)
        if pool is not None and not pool.pooled:
            pool = None
    top = _ranked(scores.overall)[:MATRIX_COMPETENCIES]
    if year:
        since = year_bounds(year)[0]
    else:
        assert survey is not None  # no year: one survey
        since = survey.published_at or survey.created_at
    return NeedsAnalysis(
        survey=survey,
        year=year,
        unit=unit,
        respondents=respondents,
        suppressed=suppressed,
        rows=rows,
        matrix_competencies=[row.competency for row in top],
        matrix=_matrix(scores, top, pools) if unit is None else [],
        links=links_for([row.competency.id for row in rows], since),
        pool=pool,
        uncoded=uncoded_count(_scope(survey.id if survey else None, year)) if unit is None else 0,
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


def plannable_workshops(actor: User) -> list[Workshop]:
    """The actor's workshops that have not started (drafts or published), soonest first."""
    now = utcnow()
    upcoming = [w for w in workshops.managed_workshops(actor) if w.status in PLANNABLE and w.starts_at > now]
    return sorted(upcoming, key=lambda w: (w.starts_at, w.id))


def link_need(
    actor: User, competency_id: int | None, workshop_id: int | None, survey_id: int | None = None
) -> NeedLink:
    """Record that a planned workshop answers a competency need (audited)."""
    _require_analyse(actor)
    competency = competencies.by_ids([competency_id]).get(competency_id) if competency_id else None
    if competency is None:
        raise AnalysisError(_l("Kompetensi tidak dikenal."), "competency_id")
    workshop = next((w for w in plannable_workshops(actor) if w.id == workshop_id), None)
    if workshop is None:
        raise AnalysisError(_l("Pilih pelatihan Anda yang belum dimulai."), "workshop_id")
    survey = get_form(survey_id) if survey_id else None
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


def can_unlink(user: User, link: NeedLink) -> bool:
    return can_analyse(user) and (user.is_admin or workshops.can_manage(user, link.workshop))


def unlink_need(actor: User, link: NeedLink) -> None:
    if not can_unlink(actor, link):
        raise PermissionDenied("feedback.need_link")
    audit.record(actor, "feedback.need_unlink", link.workshop, competency=link.competency.code)
    db.session.delete(link)
    db.session.commit()


RANKING_HEADER = (
    _l("Peringkat"),
    _l("Kode"),
    _l("Kompetensi"),
    _l("Rata-rata kebutuhan (1-5)"),
    _l("% perlu (4-5)"),
    _l("Responden"),
)


def ranking_rows(rows: Sequence[NeedRow]) -> list[list[object]]:
    return [
        [
            rank,
            row.competency.code,
            row.competency.name,
            round(row.mean_need, 2),
            round(row.high_share * 100, 1),
            row.respondents,
        ]
        for rank, row in enumerate(rows, start=1)
    ]


def needs_table(analysis: NeedsAnalysis) -> list[list[object]]:
    """The ranked needs for CSV/XLSX (the city's, or the chosen unit's pool)."""
    table: list[list[object]] = [[str(cell) for cell in RANKING_HEADER]]
    if analysis.suppressed:
        table.append([None, None, str(suppressed_message()), None, None, None])
    elif analysis.pool is not None:
        names = ", ".join(analysis.pool.member_names)
        table.append([None, None, _("Gabungan: %(units)s", units=names), None, None, None])
    return table + ranking_rows(analysis.rows)
