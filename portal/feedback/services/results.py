"""Results of feedback forms: who sees them, filters, per-question aggregates, text answers and their moderation.
Exports are in :mod:`~portal.feedback.services.exports`, the per-workshop Kirkpatrick numbers (L1, L2, L3),
per-trainer scores and pre/post-test gains in :mod:`~portal.feedback.services.scores`, the comparison of two runs
in :mod:`~portal.feedback.services.comparison`.

**Who sees what.** A form's results belong to whoever manages the form (and admins). Moderators see only the
text answers, to hide abusive ones; a hidden answer shows to managers as "disembunyikan".

**Anonymous forms never reveal who answered what.** Until an anonymous form holds at least :func:`min_group`
responses (setting ``FEEDBACK_MIN_RESPONSES``, default 5) nothing of it is shown anywhere: no aggregate, no text
answer, no export, no chart, no comparison, no L1/L2/L3 or trainer score (:func:`visible_forms` keeps it out of
every cross-form figure); the results page says how many responses are still needed. After that, a breakdown
(a unit or date filter) is suppressed when it holds fewer than :func:`min_group` responses, and also when the
responses it leaves out are between 1 and ``min_group() - 1``: otherwise the whole form minus the breakdown
would show those few answers. Their text answers are listed alphabetically (not in the order they came in)
without unit or date, and their raw export has no date, no response number, a non-chronological row order and
a unit column only when every unit holds at least :func:`min_group` responses. No result or export ever shows a name.

**Definitions** (shown on the pages too):

* L1 mean of a run: the mean of every Likert and grid value in the responses to the workshop's evaluation form.
* L2 gain: mean post-test score % minus mean pre-test score %; "paired" uses only participants with both (not
  for anonymous tests).
* L3 change share: of the follow-up responses (participants and supervisors), the share whose own mean
  agreement (Likert and grid values) is at least 4.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import lazy_ngettext
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import joinedload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.competencies.models import Competency
from portal.core.dates import DATE_INVALID_MESSAGE, parse_date
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, has_permission
from portal.core.timezone import local_moment
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FollowUpRequest,
    FormAudience,
    FormPurpose,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
)
from portal.feedback.services.common import CHOICE_KINDS, FOLLOWUP_PURPOSES, SCALE_VALUES, can_manage, scale_labels
from portal.feedback.services.lookups import get_form, questions_in_order
from portal.feedback.services.technical_needs import competency_counts
from portal.units import services as units
from portal.workshops import services as workshops

MIN_GROUP = 5  # default of FEEDBACK_MIN_RESPONSES: the smallest anonymous result (or breakdown) that may be shown
TEXT_PAGE_SIZE = 10
HIGH_SCORE = 4  # "agree"/"good" and above: the top-two-box share, and the L3 change threshold
# Questions whose answers may be texts people wrote (a TECHNICAL question's "lainnya"): listed, moderated.
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.TECHNICAL)
HIDDEN_TEXT = _l("disembunyikan")


def min_group() -> int:
    """The smallest number of responses an anonymous result or breakdown may show (setting, default 5)."""
    return max(1, int(current_app.config.get("FEEDBACK_MIN_RESPONSES", MIN_GROUP)))


def suppressed_message() -> Any:
    return _l("terlalu sedikit tanggapan untuk ditampilkan (min. %(min)d)", min=min_group())


def responses_needed(form: FeedbackForm, total: int | None = None) -> int:
    """How many more responses an anonymous form needs before any of its results shows (0: it shows)."""
    if not form.is_anonymous:
        return 0
    if total is None:
        total = _count(_filtered(form, ResultFilters()))
    return max(0, min_group() - total)


def needed_message(needed: int) -> Any:
    return lazy_ngettext(
        "Formulir anonim: hasilnya ditampilkan setelah ada minimal %(min)d tanggapan. Masih perlu %(num)d "
        "tanggapan lagi",
        "Formulir anonim: hasilnya ditampilkan setelah ada minimal %(min)d tanggapan. Masih perlu %(num)d "
        "tanggapan lagi",
        needed,
        min=min_group(),
    )


def visible_forms() -> ColumnElement[bool]:
    """A condition on :class:`FeedbackForm`: its results may be shown (named, or anonymous with at least
    :func:`min_group` responses). Every figure pooling several forms (L1/L2/L3, trainer scores, trends, needs)
    uses it, so an anonymous form below the threshold shows nowhere."""
    counted = (
        select(func.count(Response.id))
        .where(Response.form_id == FeedbackForm.id)
        .correlate(FeedbackForm)
        .scalar_subquery()
    )
    return or_(FeedbackForm.is_anonymous.is_(False), counted >= min_group())


class ResultError(RuleError):
    """A results request was not valid (a filter, a comparison)."""


# ---------------------------------------------------------------- who may see what


def can_view_results(user: User, form: FeedbackForm) -> bool:
    """The form's managers and admins see everything; ``can_manage`` already lets admins in."""
    return not form.is_template and can_manage(user, form)


def can_moderate(user: Actor) -> bool:
    return has_permission(user, Permission.MODERATE)


def can_view_texts(user: User, form: FeedbackForm) -> bool:
    return can_view_results(user, form) or (not form.is_template and can_moderate(user))


def results_form(viewer: User, form_id: int) -> FeedbackForm | None:
    """The form if the viewer may see (some of) its results; None otherwise (the page answers 404)."""
    form = get_form(form_id)
    if form is None or not can_view_texts(viewer, form):
        return None
    return form


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class ResultFilters:
    unit_id: int | None = None
    date_from: date | None = None  # WIB dates, inclusive
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return self.unit_id is not None or self.date_from is not None or self.date_to is not None

    def query_args(self) -> dict[str, str]:
        args = {"unit": self.unit_id, "dari": self.date_from, "sampai": self.date_to}
        return {key: str(value) for key, value in args.items() if value is not None}


def _parse_date(value: str | None, field_name: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_date(value)  # dd/mm/yyyy as typed, or ISO from a link
    if parsed is None:
        raise ResultError(DATE_INVALID_MESSAGE, field_name)
    return parsed


def parse_filters(unit: str | None = None, date_from: str | None = None, date_to: str | None = None) -> ResultFilters:
    """Filters from a query string (``unit``, ``dari``, ``sampai``); raises :class:`ResultError` on bad input."""
    unit_id = None
    if unit and unit.strip():
        if not unit.strip().isdigit() or units.get(int(unit)) is None:
            raise ResultError(_l("Unit tidak dikenal."), "unit")
        unit_id = int(unit)
    start, end = _parse_date(date_from, "dari"), _parse_date(date_to, "sampai")
    if start and end and start > end:
        raise ResultError(_l("Tanggal awal harus sebelum atau sama dengan tanggal akhir."), "sampai")
    return ResultFilters(unit_id, start, end)


def local_day_start(day: date) -> datetime:
    return local_moment(day, time()).astimezone(UTC)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The WIB year as a UTC half-open range."""
    return local_day_start(date(year, 1, 1)), local_day_start(date(year + 1, 1, 1))


def _filtered(form: FeedbackForm, filters: ResultFilters) -> Select[Any]:
    """Ids of the form's responses inside the filters."""
    stmt = select(Response.id).where(Response.form_id == form.id)
    if filters.unit_id is not None:
        stmt = stmt.where(Response.unit_id == filters.unit_id)
    if filters.date_from is not None:
        stmt = stmt.where(Response.submitted_at >= local_day_start(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(Response.submitted_at < local_day_start(filters.date_to + timedelta(days=1)))
    return stmt


def _count(stmt: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def is_suppressed(form: FeedbackForm, group: int, total: int, filtered: bool) -> bool:
    """A breakdown of an anonymous form too small to show, or leaving out too few to show the rest safely."""
    if not form.is_anonymous or not filtered:
        return False
    least = min_group()
    return group < least or 0 < total - group < least


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Stats:
    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None


def stats_of(counts: Mapping[float, int]) -> Stats:
    """Statistics of values given as {value: how many times}."""
    values = [value for value, count in sorted(counts.items()) for _ in range(count)]
    if not values:
        return Stats(0, None, None, None, None)
    return Stats(len(values), statistics.fmean(values), statistics.median(values), values[0], values[-1])


@dataclass(frozen=True)
class ScaleRow:
    value: int
    label: str
    count: int
    share: float  # 0..1 of the answers


@dataclass(frozen=True)
class ScaleResult:
    stats: Stats
    rows: list[ScaleRow]

    @property
    def high_share(self) -> float | None:
        """Share answering 4 or 5 (Baik/Setuju and above)."""
        if not self.stats.n:
            return None
        return sum(row.count for row in self.rows if row.value >= HIGH_SCORE) / self.stats.n


def scale_result(counts: Mapping[float, int], labels: Sequence[str]) -> ScaleResult:
    stats = stats_of(counts)
    rows = [
        ScaleRow(value, str(labels[value - 1]), counts.get(value, 0), counts.get(value, 0) / stats.n if stats.n else 0)
        for value in SCALE_VALUES
    ]
    return ScaleResult(stats, rows)


@dataclass(frozen=True)
class ItemResult:
    option: QuestionOption
    scale: ScaleResult


@dataclass(frozen=True)
class ChoiceRow:
    option: QuestionOption
    count: int
    share: float  # of the respondents who answered the question (multiple choice: adds up to more than 1)


@dataclass(frozen=True)
class CompetencyRow:
    competency: Competency
    count: int
    share: float  # of the respondents who answered the question


@dataclass
class QuestionResult:
    question: Question
    n: int  # responses that answered it
    scale: ScaleResult | None = None  # LIKERT
    items: list[ItemResult] = field(default_factory=list)  # GRID
    choices: list[ChoiceRow] = field(default_factory=list)  # SINGLE, MULTIPLE
    number: Stats | None = None  # NUMBER
    competencies: list[CompetencyRow] = field(default_factory=list)  # TECHNICAL: picked (or coded), most first
    texts: Page[Answer] | None = None  # texts: the first page

    @property
    def kind(self) -> str:
        return self.question.kind.value


@dataclass
class FormResults:
    form: FeedbackForm
    filters: ResultFilters
    responses: int  # inside the filters
    total: int  # all responses
    eligible: int | None  # who could answer (None: unknown, e.g. a public link)
    suppressed: bool
    questions: list[QuestionResult]
    needed: int = 0  # an anonymous form below the threshold: how many more responses before anything shows

    @property
    def notice(self) -> Any:
        """Why nothing shows (when ``suppressed``)."""
        return needed_message(self.needed) if self.needed else suppressed_message()

    @property
    def response_rate(self) -> float | None:
        if not self.eligible:
            return None
        return self.responses / self.eligible


# ---------------------------------------------------------------- who could answer


def eligible_count(form: FeedbackForm, unit_id: int | None = None) -> int | None:
    """How many people the form asks: completed participants (confirmed ones for a pre-test), the people sent a
    follow-up, or the active verified ASN of the audience; None for public links."""
    if form.audience == FormAudience.PUBLIC:
        return None
    if form.audience == FormAudience.WORKSHOP:
        if form.workshop_id is None:
            return None
        if form.purpose in FOLLOWUP_PURPOSES:
            if unit_id is not None:
                return None  # requests are not kept per unit
            stmt = select(func.count()).select_from(FollowUpRequest).where(FollowUpRequest.form_id == form.id)
            return db.session.scalar(stmt) or 0
        completed = form.purpose != FormPurpose.PRE_TEST
        return workshops.count_participants(form.workshop_id, completed=completed, unit_id=unit_id)
    if form.audience == FormAudience.UNITS:
        unit_ids = [unit.id for unit in form.units]
        if unit_id is not None:
            unit_ids = [unit_id] if unit_id in unit_ids else []
        return accounts.count_active(unit_ids)
    return accounts.count_active([unit_id] if unit_id is not None else None)


# ---------------------------------------------------------------- aggregation


def _value_counts(response_ids: Select[Any]) -> dict[int, dict[int | None, dict[float | None, int]]]:
    """question id -> option id (None for Likert/number, the chosen option for choices) -> value (None for
    choices) -> count."""
    stmt = (
        select(Answer.question_id, Answer.option_id, Answer.value_number, func.count())
        .where(Answer.response_id.in_(response_ids), Answer.value_text.is_(None))
        .group_by(Answer.question_id, Answer.option_id, Answer.value_number)
    )
    counts: dict[int, dict[int | None, dict[float | None, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_id, option_id, value, count in db.session.execute(stmt):
        counts[question_id][option_id][value] = count
    return counts


def _respondents(response_ids: Select[Any]) -> dict[int, int]:
    """question id -> how many responses answered it (non-empty)."""
    stmt = (
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .where(Answer.response_id.in_(response_ids), or_(Answer.value_text.is_(None), Answer.value_text != ""))
        .group_by(Answer.question_id)
    )
    return dict(db.session.execute(stmt).all())


def _numbers(counts: Mapping[float | None, int]) -> Mapping[float, int]:
    """The counts of a Likert, grid or number question, whose answers always carry their value."""
    return cast("Mapping[float, int]", counts)


def _question_result(
    question: Question, n: int, counts: Mapping[int | None, Mapping[float | None, int]]
) -> QuestionResult:
    result = QuestionResult(question, n)
    if question.kind == QuestionKind.LIKERT:
        assert question.scale is not None  # a Likert question has its scale
        result.scale = scale_result(_numbers(counts.get(None, {})), scale_labels(question.scale))
    elif question.kind == QuestionKind.GRID:
        assert question.scale is not None  # so has a grid
        labels = scale_labels(question.scale)
        result.items = [
            ItemResult(option, scale_result(_numbers(counts.get(option.id, {})), labels)) for option in question.options
        ]
    elif question.kind in CHOICE_KINDS:
        chosen = {option_id: sum(values.values()) for option_id, values in counts.items()}
        result.choices = [
            ChoiceRow(option, chosen.get(option.id, 0), chosen.get(option.id, 0) / n if n else 0)
            for option in question.options
        ]
    elif question.kind == QuestionKind.NUMBER:
        result.number = stats_of(_numbers(counts.get(None, {})))
    return result


def form_results(form: FeedbackForm, filters: ResultFilters | None = None) -> FormResults:
    """Every question's aggregate inside the filters (text questions carry their first page of answers)."""
    filters = filters or ResultFilters()
    response_ids = _filtered(form, filters)
    responses = _count(response_ids)
    total = _count(_filtered(form, ResultFilters())) if filters.active else responses
    needed = responses_needed(form, total)
    suppressed = bool(needed) or is_suppressed(form, responses, total, filters.active)
    eligible = None if filters.date_from or filters.date_to else eligible_count(form, filters.unit_id)
    results = FormResults(form, filters, responses, total, eligible, suppressed, [], needed)
    if suppressed:
        return results
    counts, respondents = _value_counts(response_ids), _respondents(response_ids)
    technical = competency_counts(response_ids)
    for question in questions_in_order(form):
        result = _question_result(question, respondents.get(question.id, 0), counts.get(question.id, {}))
        if question.kind == QuestionKind.TECHNICAL:
            result.competencies = [
                CompetencyRow(competency, count, count / result.n if result.n else 0.0)
                for competency, count in technical.get(question.id, [])
            ]
        if question.kind in TEXT_KINDS:
            result.texts = text_answers(form, question, filters)
        results.questions.append(result)
    return results


def text_results(form: FeedbackForm) -> list[QuestionResult]:
    """Only the text questions with their first page of answers: what moderators see (nothing of an anonymous
    form below the threshold)."""
    if responses_needed(form):
        return []
    respondents = _respondents(_filtered(form, ResultFilters()))
    return [
        QuestionResult(question, respondents.get(question.id, 0), texts=text_answers(form, question))
        for question in questions_in_order(form)
        if question.kind in TEXT_KINDS
    ]


# ---------------------------------------------------------------- text answers


def _text_stmt(form: FeedbackForm, response_ids: Select[Any]) -> Select[Any]:
    stmt = (
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Response.form_id == form.id,
            Answer.response_id.in_(response_ids),
            Question.kind.in_(TEXT_KINDS),
            Answer.value_text.is_not(None),
            Answer.value_text != "",
        )
        .options(joinedload(Answer.response).joinedload(Response.unit))
    )
    if form.is_anonymous:  # not in arrival order: the order would tell who wrote what
        return stmt.order_by(Answer.value_text, Answer.id)
    return stmt.order_by(Response.submitted_at.desc(), Answer.id.desc())


def text_answers(
    form: FeedbackForm, question: Question, filters: ResultFilters | None = None, page: int = 1
) -> Page[Answer]:
    """One page of a text question's answers inside the filters (empty when the form or the breakdown is
    suppressed)."""
    filters = filters or ResultFilters()
    response_ids = _filtered(form, filters)
    if form.is_anonymous:
        total = _count(_filtered(form, ResultFilters()))
        if responses_needed(form, total) or is_suppressed(form, _count(response_ids), total, filters.active):
            return Page(items=[], page=1, per_page=TEXT_PAGE_SIZE, total=0)
    stmt = _text_stmt(form, response_ids).where(Answer.question_id == question.id)
    return paginate(stmt, page, TEXT_PAGE_SIZE)


def form_question(form: FeedbackForm, question_id: int) -> Question | None:
    return next((q for q in form.questions if q.id == question_id), None)
