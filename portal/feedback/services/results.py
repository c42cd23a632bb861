"""Results of feedback forms: per-question aggregates, filters, text answers and their moderation, exports,
comparison of two runs, per-trainer scores, pre/post-test gains, and the per-workshop Kirkpatrick numbers
(L1, L2, L3) that program review and the learning dashboard build on.

**Who sees what.** A form's results belong to whoever manages the form (and admins). Moderators see only the
text answers, to hide abusive ones; a hidden answer shows to managers as "disembunyikan".

**Anonymous forms never reveal who answered what.** A breakdown (a unit or date filter) is suppressed when it
holds fewer than :data:`MIN_GROUP` responses, and also when the responses it leaves out are between 1 and
``MIN_GROUP - 1``: otherwise the whole form minus the breakdown would show those few answers. Their text answers
are listed alphabetically (not in the order they came in) without unit or date, and their raw export has no
date, no response number, a non-chronological row order and a unit column only when every unit holds at least
:data:`MIN_GROUP` responses. No result or export ever shows a name.

**Definitions** (shown on the pages too):

* L1 mean of a run: the mean of every Likert and grid value in the responses to the workshop's evaluation form.
* L2 gain: mean post-test score % minus mean pre-test score %; "paired" uses only participants with both (not
  for anonymous tests).
* L3 change share: of the follow-up responses (participants and supervisors), the share whose own mean
  agreement (Likert and grid values) is at least 4.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import services as accounts
from portal.audit import services as audit
from portal.core.forms import RuleError
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, PermissionDenied, has_permission, require
from portal.core.timezone import local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback import services as forms
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FollowUpRequest,
    FormAudience,
    FormPurpose,
    FormStatus,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    program_workshops,
)
from portal.feedback.services import CHOICE_KINDS, FOLLOWUP_PURPOSES, SCALE_KINDS
from portal.units import services as units
from portal.workshops import services as workshops
from portal.workshops.models import Workshop

MIN_GROUP = 5  # smallest breakdown of an anonymous form that may be shown
TEXT_PAGE_SIZE = 10
HIGH_SCORE = 4  # "agree"/"good" and above: the top-two-box share, and the L3 change threshold
SCALE_VALUES = (1, 2, 3, 4, 5)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
SUPPRESSED_MESSAGE = _l("terlalu sedikit tanggapan untuk ditampilkan (min. %(min)d)", min=MIN_GROUP)
HIDDEN_TEXT = _l("disembunyikan")


class ResultError(RuleError):
    """A results request was not valid (a filter, a comparison)."""


# ---------------------------------------------------------------- who may see what


def can_view_results(user: Any, form: FeedbackForm) -> bool:
    """The form's managers and admins see everything; ``forms.can_manage`` already lets admins in."""
    return not form.is_template and forms.can_manage(user, form)


def can_moderate(user: Any) -> bool:
    return has_permission(user, Permission.MODERATE)


def can_view_texts(user: Any, form: FeedbackForm) -> bool:
    return can_view_results(user, form) or (not form.is_template and can_moderate(user))


def results_form(viewer: Any, form_id: int) -> FeedbackForm | None:
    """The form if the viewer may see (some of) its results; None otherwise (the page answers 404)."""
    form = forms.get_form(form_id)
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
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ResultError(_l("Tanggal tidak valid; gunakan format TTTT-BB-HH."), field_name) from None


def parse_filters(unit: str | None = None, date_from: str | None = None, date_to: str | None = None) -> ResultFilters:
    """Filters from a query string (``unit``, ``dari``, ``sampai``); raises :class:`ResultError` on bad input."""
    unit_id = None
    if (unit or "").strip():
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
    return group < MIN_GROUP or 0 < total - group < MIN_GROUP


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


@dataclass
class QuestionResult:
    question: Question
    n: int  # responses that answered it
    scale: ScaleResult | None = None  # LIKERT
    items: list[ItemResult] = field(default_factory=list)  # GRID
    choices: list[ChoiceRow] = field(default_factory=list)  # SINGLE, MULTIPLE
    number: Stats | None = None  # NUMBER
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


def _value_counts(response_ids: Select[Any]) -> dict[int, dict[int | None, dict[float, int]]]:
    """question id -> option id (None for Likert/number, the chosen option for choices) -> value -> count."""
    stmt = (
        select(Answer.question_id, Answer.option_id, Answer.value_number, func.count())
        .where(Answer.response_id.in_(response_ids), Answer.value_text.is_(None))
        .group_by(Answer.question_id, Answer.option_id, Answer.value_number)
    )
    counts: dict[int, dict[int | None, dict[float, int]]] = defaultdict(lambda: defaultdict(dict))
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


def _question_result(question: Question, n: int, counts: Mapping[int | None, Mapping[float, int]]) -> QuestionResult:
    result = QuestionResult(question, n)
    if question.kind == QuestionKind.LIKERT:
        result.scale = scale_result(counts.get(None, {}), forms.scale_labels(question.scale))
    elif question.kind == QuestionKind.GRID:
        labels = forms.scale_labels(question.scale)
        result.items = [
            ItemResult(option, scale_result(counts.get(option.id, {}), labels)) for option in question.options
        ]
    elif question.kind in CHOICE_KINDS:
        chosen = {option_id: sum(values.values()) for option_id, values in counts.items()}
        result.choices = [
            ChoiceRow(option, chosen.get(option.id, 0), chosen.get(option.id, 0) / n if n else 0)
            for option in question.options
        ]
    elif question.kind == QuestionKind.NUMBER:
        result.number = stats_of(counts.get(None, {}))
    return result


def form_results(form: FeedbackForm, filters: ResultFilters | None = None) -> FormResults:
    """Every question's aggregate inside the filters (text questions carry their first page of answers)."""
    filters = filters or ResultFilters()
    response_ids = _filtered(form, filters)
    responses = _count(response_ids)
    total = _count(_filtered(form, ResultFilters())) if filters.active else responses
    suppressed = is_suppressed(form, responses, total, filters.active)
    eligible = None if filters.date_from or filters.date_to else eligible_count(form, filters.unit_id)
    results = FormResults(form, filters, responses, total, eligible, suppressed, [])
    if suppressed:
        return results
    counts, respondents = _value_counts(response_ids), _respondents(response_ids)
    for question in forms.questions_in_order(form):
        result = _question_result(question, respondents.get(question.id, 0), counts.get(question.id, {}))
        if question.kind in TEXT_KINDS:
            result.texts = text_answers(form, question, filters)
        results.questions.append(result)
    return results


def text_results(form: FeedbackForm) -> list[QuestionResult]:
    """Only the text questions with their first page of answers: what moderators see."""
    respondents = _respondents(_filtered(form, ResultFilters()))
    return [
        QuestionResult(question, respondents.get(question.id, 0), texts=text_answers(form, question))
        for question in forms.questions_in_order(form)
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
    """One page of a text question's answers inside the filters (empty when the breakdown is suppressed)."""
    filters = filters or ResultFilters()
    response_ids = _filtered(form, filters)
    if filters.active and form.is_anonymous:
        total = _count(_filtered(form, ResultFilters()))
        if is_suppressed(form, _count(response_ids), total, True):
            return Page(items=[], page=1, per_page=TEXT_PAGE_SIZE, total=0)
    stmt = _text_stmt(form, response_ids).where(Answer.question_id == question.id)
    return paginate(stmt, page, TEXT_PAGE_SIZE)


def form_question(form: FeedbackForm, question_id: int) -> Question | None:
    return next((q for q in form.questions if q.id == question_id), None)


def recent_text_answers(actor: Any, page: int = 1, hidden_only: bool = False) -> Page[Answer]:
    """Text answers of every form, newest first: the moderators' queue."""
    require(actor, Permission.MODERATE)
    stmt = (
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.kind.in_(TEXT_KINDS), Answer.value_text.is_not(None), Answer.value_text != "")
        .order_by(Answer.id.desc())
        .options(joinedload(Answer.question).joinedload(Question.form))
    )
    if hidden_only:
        stmt = stmt.where(Answer.hidden_at.is_not(None))
    return paginate(stmt, page, 25)


def get_text_answer(form: FeedbackForm, answer_id: int) -> Answer | None:
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.response.form_id != form.id or answer.question.kind not in TEXT_KINDS:
        return None
    return answer


def set_hidden(actor: Any, answer: Answer, hidden: bool) -> Answer:
    """Hide an abusive text answer (or show it again); moderators and admins, audited."""
    require(actor, Permission.MODERATE)
    if hidden == (answer.hidden_at is not None):
        return answer
    answer.hidden_at = utcnow() if hidden else None
    answer.hidden_by_id = actor.id if hidden else None
    form = answer.response.form
    action = "feedback.answer_hide" if hidden else "feedback.answer_unhide"
    audit.record(actor, action, answer, label=form.title, form_id=form.id, question_id=answer.question_id)
    db.session.commit()
    return answer


# ---------------------------------------------------------------- exports


def _share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def aggregate_table(results: FormResults) -> list[list[object]]:
    header = [
        _("Pertanyaan"),
        _("Butir / jawaban"),
        _("n"),
        _("Rata-rata"),
        _("Median"),
        _("Min"),
        _("Maks"),
        _("Jumlah"),
        _("Persen"),
    ]
    table: list[list[object]] = [header]
    if results.suppressed:
        table.append([str(SUPPRESSED_MESSAGE)] + [None] * (len(header) - 1))
        return table

    def stats_row(label: str, item: str, stats: Stats) -> list[object]:
        values = [_rounded(stats.mean), stats.median, stats.minimum, stats.maximum]
        return [label, item, stats.n, *values, None, None]

    for result in results.questions:
        label = result.question.label
        if result.scale is not None:
            table.append(stats_row(label, _("Semua jawaban"), result.scale.stats))
            table += [
                [label, f"{r.value} {r.label}", None, None, None, None, None, r.count, _share(r.share)]
                for r in result.scale.rows
            ]
        for item in result.items:
            table.append(stats_row(label, item.option.label, item.scale.stats))
        for row in result.choices:
            table.append([label, row.option.label, result.n, None, None, None, None, row.count, _share(row.share)])
        if result.number is not None:
            table.append(stats_row(label, "", result.number))
        if result.texts is not None:
            table.append([label, _("Jawaban teks"), result.n, None, None, None, None, None, None])
    return table


def _raw_columns(questions: Sequence[Question]) -> list[tuple[Question, QuestionOption | None, str]]:
    columns = []
    for question in questions:
        if question.kind == QuestionKind.GRID:
            columns += [(question, option, f"{question.label}: {option.label}") for option in question.options]
        else:
            columns.append((question, None, question.label))
    return columns


def _cell(question: Question, option: QuestionOption | None, answers: list[Answer]) -> object:
    if option is not None:  # a grid item
        return next((a.value_number for a in answers if a.option_id == option.id), None)
    if question.kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
        return answers[0].value_number if answers else None
    if question.kind in CHOICE_KINDS:
        return "; ".join(a.option.label for a in answers if a.option is not None) or None
    if not answers:
        return None
    return f"[{HIDDEN_TEXT}]" if answers[0].hidden_at is not None else answers[0].value_text


def _shuffle_key(response_id: int) -> str:
    """A fixed, non-chronological order for anonymous rows."""
    secret = str(current_app.secret_key)
    return hashlib.sha256(f"{secret}:{response_id}".encode()).hexdigest()


def raw_table(form: FeedbackForm, filters: ResultFilters | None = None) -> list[list[object]]:
    """One row per response, one column per question (per item for grids); never a name."""
    filters = filters or ResultFilters()
    response_ids = _filtered(form, filters)
    group = _count(response_ids)
    total = _count(_filtered(form, ResultFilters())) if filters.active else group
    if is_suppressed(form, group, total, filters.active):
        return [[_("Catatan")], [str(SUPPRESSED_MESSAGE)]]
    stmt = (
        select(Response)
        .where(Response.id.in_(response_ids))
        .order_by(Response.submitted_at, Response.id)
        .options(selectinload(Response.answers).joinedload(Answer.option), joinedload(Response.unit))
    )
    responses = list(db.session.scalars(stmt).unique())
    columns = _raw_columns(forms.questions_in_order(form))
    if form.is_anonymous:
        responses.sort(key=lambda response: _shuffle_key(response.id))
        per_unit: dict[int | None, int] = defaultdict(int)
        for response in responses:
            per_unit[response.unit_id] += 1
        with_unit = bool(responses) and min(per_unit.values()) >= MIN_GROUP
        head = [_("Unit")] if with_unit else []
    else:
        with_unit = True
        head = [_("No."), _("Dikirim (WIB)"), _("Unit")]
    table: list[list[object]] = [head + [title for _q, _o, title in columns]]
    for number, response in enumerate(responses, start=1):
        by_question: dict[int, list[Answer]] = defaultdict(list)
        for answer in response.answers:
            by_question[answer.question_id].append(answer)
        unit = response.unit.label if response.unit else ""
        if form.is_anonymous:
            row: list[object] = [unit] if with_unit else []
        else:
            row = [number, to_local(response.submitted_at).strftime("%Y-%m-%d %H:%M"), unit]
        row += [_cell(question, option, by_question.get(question.id, [])) for question, option, _t in columns]
        table.append(row)
    return table


# ---------------------------------------------------------------- mean of scale values per response


def _scale_values(*conditions: Any) -> Select[Any]:
    """(response id, sum, count) of the Likert and grid values of the responses matching ``conditions``."""
    return (
        select(Response.id, func.sum(Answer.value_number), func.count(Answer.value_number))
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(Question.kind.in_(SCALE_KINDS), Answer.value_number.is_not(None), *conditions)
        .group_by(Response.id)
    )


def _workshop_forms(workshop_ids: Iterable[int], purposes: Iterable[FormPurpose]) -> list[Any]:
    return [
        FeedbackForm.workshop_id.in_(list(workshop_ids)),
        FeedbackForm.purpose.in_(list(purposes)),
        FeedbackForm.is_template.is_(False),
    ]


@dataclass(frozen=True)
class Mean:
    value: float | None
    responses: int


def l1_by_workshop(workshop_ids: Iterable[int]) -> dict[int, Mean]:
    """L1 per workshop: the mean of every Likert/grid value of its evaluation responses, and how many responses."""
    stmt = (
        select(
            FeedbackForm.workshop_id,
            func.sum(Answer.value_number),
            func.count(Answer.value_number),
            func.count(func.distinct(Response.id)),
        )
        .join(Response, Response.form_id == FeedbackForm.id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.EVALUATION]),
            Question.kind.in_(SCALE_KINDS),
            Answer.value_number.is_not(None),
        )
        .group_by(FeedbackForm.workshop_id)
    )
    return {wid: Mean(total / count if count else None, n) for wid, total, count, n in db.session.execute(stmt)}


@dataclass(frozen=True)
class ChangeShare:
    share: float | None  # of follow-up responses whose mean agreement is >= HIGH_SCORE
    responses: int


def l3_by_workshop(workshop_ids: Iterable[int]) -> dict[int, ChangeShare]:
    """L3 per workshop from its follow-up forms (participants and supervisors together)."""
    stmt = _scale_values(*_workshop_forms(workshop_ids, FOLLOWUP_PURPOSES)).add_columns(FeedbackForm.workshop_id)
    stmt = stmt.group_by(FeedbackForm.workshop_id)
    changed: dict[int, list[bool]] = defaultdict(list)
    for _rid, total, count, workshop_id in db.session.execute(stmt):
        changed[workshop_id].append(total / count >= HIGH_SCORE)
    return {wid: ChangeShare(sum(flags) / len(flags), len(flags)) for wid, flags in changed.items()}


@dataclass(frozen=True)
class TestGain:
    pre_mean: float | None  # mean score %, 0..100
    pre_n: int
    post_mean: float | None
    post_n: int
    paired_n: int = 0
    paired_gain: float | None = None  # mean of (post - pre) over participants with both

    @property
    def gain(self) -> float | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean


def l2_by_workshop(workshop_ids: Iterable[int]) -> dict[int, TestGain]:
    """Pre/post-test score % per workshop; scores of responses without a positive maximum are left out."""
    stmt = (
        select(FeedbackForm.workshop_id, FeedbackForm.purpose, Response.user_id, Response.score, Response.max_score)
        .join(Response, Response.form_id == FeedbackForm.id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.PRE_TEST, FormPurpose.POST_TEST]),
            Response.score.is_not(None),
            Response.max_score > 0,
        )
    )
    scores: dict[int, dict[FormPurpose, list[tuple[int | None, float]]]] = defaultdict(lambda: defaultdict(list))
    for workshop_id, purpose, user_id, score, max_score in db.session.execute(stmt):
        scores[workshop_id][FormPurpose(purpose)].append((user_id, 100 * score / max_score))
    return {workshop_id: _gain(by_purpose) for workshop_id, by_purpose in scores.items()}


def _gain(by_purpose: Mapping[FormPurpose, list[tuple[int | None, float]]]) -> TestGain:
    pre, post = by_purpose.get(FormPurpose.PRE_TEST, []), by_purpose.get(FormPurpose.POST_TEST, [])
    pre_by_user = {user_id: value for user_id, value in pre if user_id is not None}
    pairs = [value - pre_by_user[user_id] for user_id, value in post if user_id in pre_by_user]
    return TestGain(
        pre_mean=statistics.fmean(v for _u, v in pre) if pre else None,
        pre_n=len(pre),
        post_mean=statistics.fmean(v for _u, v in post) if post else None,
        post_n=len(post),
        paired_n=len(pairs),
        paired_gain=statistics.fmean(pairs) if pairs else None,
    )


def test_gain(workshop_id: int) -> TestGain:
    return l2_by_workshop([workshop_id]).get(workshop_id, TestGain(None, 0, None, 0))


# ---------------------------------------------------------------- per-trainer scores


@dataclass
class TrainerRow:
    name: str
    per_workshop: dict[int, float] = field(default_factory=dict)  # workshop id -> mean
    total: float = 0.0
    count: int = 0  # values behind the overall mean

    @property
    def overall(self) -> float | None:
        return self.total / self.count if self.count else None


def trainer_scores(workshop_ids: Iterable[int]) -> list[TrainerRow]:
    """Mean of the evaluation's Likert/grid values about each trainer (questions with ``trainer_name``), per
    workshop and overall (all values pooled); names match without regard to case and spacing."""
    stmt = (
        select(
            FeedbackForm.workshop_id,
            Question.trainer_name,
            func.sum(Answer.value_number),
            func.count(Answer.value_number),
        )
        .join(Question, Question.form_id == FeedbackForm.id)
        .join(Answer, Answer.question_id == Question.id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.EVALUATION]),
            Question.kind.in_(SCALE_KINDS),
            Question.trainer_name != "",
            Answer.value_number.is_not(None),
        )
        .group_by(FeedbackForm.workshop_id, Question.trainer_name)
    )
    rows: dict[str, TrainerRow] = {}
    sums: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for workshop_id, name, total, count in db.session.execute(stmt):
        key = " ".join(name.split()).casefold()
        row = rows.setdefault(key, TrainerRow(" ".join(name.split())))
        row.total += total
        row.count += count
        sums[(key, workshop_id)][0] += total
        sums[(key, workshop_id)][1] += count
    for (key, workshop_id), (total, count) in sums.items():
        rows[key].per_workshop[workshop_id] = total / count
    return sorted(rows.values(), key=lambda row: row.name.casefold())


# ---------------------------------------------------------------- comparing two runs


@dataclass(frozen=True)
class AspectRow:
    label: str
    mean_a: float | None
    mean_b: float | None
    n_a: int
    n_b: int

    @property
    def difference(self) -> float | None:
        if self.mean_a is None or self.mean_b is None:
            return None
        return self.mean_b - self.mean_a


@dataclass
class Comparison:
    form_a: FeedbackForm
    form_b: FeedbackForm
    responses_a: int
    responses_b: int
    rows: list[AspectRow]
    overall_a: float | None
    overall_b: float | None

    @property
    def overall_difference(self) -> float | None:
        if self.overall_a is None or self.overall_b is None:
            return None
        return self.overall_b - self.overall_a


def _lineage_root(form: FeedbackForm) -> int:
    """The first form of a chain of copies (bounded: a broken chain cannot loop)."""
    current = form
    for _step in range(50):
        if current.copied_from_id is None:
            break
        parent = db.session.get(FeedbackForm, current.copied_from_id)
        if parent is None:
            break
        current = parent
    return current.id


def program_id_of(workshop_id: int | None) -> int | None:
    if workshop_id is None:
        return None
    stmt = select(program_workshops.c.program_id).where(program_workshops.c.workshop_id == workshop_id)
    return db.session.scalar(stmt)


def comparable(form_a: FeedbackForm, form_b: FeedbackForm) -> bool:
    """Two runs of the same training: same purpose, and the same program, built-in template or original form."""
    if form_a.id == form_b.id or form_a.purpose != form_b.purpose or form_a.is_template or form_b.is_template:
        return False
    if form_a.template_key and form_a.template_key == form_b.template_key:
        return True
    program = program_id_of(form_a.workshop_id)
    if program is not None and program == program_id_of(form_b.workshop_id):
        return True
    return _lineage_root(form_a) == _lineage_root(form_b)


def _lineage(form: FeedbackForm) -> set[int]:
    """Ids of every form in the same tree of copies (bounded like :func:`_lineage_root`)."""
    ids = frontier = {_lineage_root(form)}
    for _step in range(50):
        stmt = select(FeedbackForm.id).where(FeedbackForm.copied_from_id.in_(frontier), FeedbackForm.id.not_in(ids))
        frontier = set(db.session.scalars(stmt))
        if not frontier:
            break
        ids = ids | frontier
    return ids


def comparable_forms(viewer: Any, form: FeedbackForm) -> list[FeedbackForm]:
    """Forms the viewer manages that ``form`` can be compared with (see :func:`comparable`), newest first."""
    related = FeedbackForm.id.in_(_lineage(form))
    if form.template_key:
        related = related | (FeedbackForm.template_key == form.template_key)
    program = program_id_of(form.workshop_id)
    if program is not None:
        runs = select(program_workshops.c.workshop_id).where(program_workshops.c.program_id == program)
        related = related | FeedbackForm.workshop_id.in_(runs)
    stmt = (
        select(FeedbackForm)
        .where(
            related,
            FeedbackForm.purpose == form.purpose,
            FeedbackForm.id != form.id,
            FeedbackForm.is_template.is_(False),
            FeedbackForm.status != FormStatus.DRAFT,
        )
        .order_by(FeedbackForm.created_at.desc(), FeedbackForm.id.desc())
        .options(joinedload(FeedbackForm.workshop))
    )
    return [other for other in db.session.scalars(stmt) if can_view_results(viewer, other)]


def _aspect_means(form: FeedbackForm) -> dict[tuple[str, str], Mean]:
    """(question label, item label) -> mean of the values: every Likert question and every grid item."""
    stmt = (
        select(Question.label, QuestionOption.label, func.avg(Answer.value_number), func.count(Answer.value_number))
        .join(Answer, Answer.question_id == Question.id)
        .outerjoin(QuestionOption, QuestionOption.id == Answer.option_id)
        .where(Question.form_id == form.id, Question.kind.in_(SCALE_KINDS), Answer.value_number.is_not(None))
        .group_by(Question.id, Question.label, QuestionOption.id, QuestionOption.label)
    )
    return {
        (" ".join(label.split()).casefold(), " ".join((item or "").split()).casefold()): Mean(mean, count)
        for label, item, mean, count in db.session.execute(stmt)
    }


def _aspect_labels(form: FeedbackForm) -> list[tuple[tuple[str, str], str]]:
    labels = []
    for question in forms.questions_in_order(form):
        if question.kind == QuestionKind.LIKERT:
            labels.append((question.label, ""))
        elif question.kind == QuestionKind.GRID:
            labels += [(question.label, option.label) for option in question.options]
    return [
        ((" ".join(q.split()).casefold(), " ".join(i.split()).casefold()), f"{q}: {i}" if i else q) for q, i in labels
    ]


def compare(viewer: Any, form_a: FeedbackForm, form_b: FeedbackForm) -> Comparison:
    """Per aspect (a Likert question or a grid item, matched by wording) the mean of each run and B minus A."""
    if not (can_view_results(viewer, form_a) and can_view_results(viewer, form_b)):
        raise ResultError(_l("Formulir untuk dibandingkan tidak ditemukan."))
    if not comparable(form_a, form_b):
        raise ResultError(_l("Kedua formulir bukan dua pelaksanaan dari pelatihan atau templat yang sama."))
    means_a, means_b = _aspect_means(form_a), _aspect_means(form_b)
    empty = Mean(None, 0)
    rows, seen = [], set()
    for key, label in _aspect_labels(form_a) + _aspect_labels(form_b):
        if key in seen:
            continue
        seen.add(key)
        a, b = means_a.get(key, empty), means_b.get(key, empty)
        rows.append(AspectRow(label, a.value, b.value, a.responses, b.responses))
    l1 = {form.id: _overall_mean(form) for form in (form_a, form_b)}
    return Comparison(
        form_a,
        form_b,
        _count(_filtered(form_a, ResultFilters())),
        _count(_filtered(form_b, ResultFilters())),
        rows,
        l1[form_a.id],
        l1[form_b.id],
    )


def _overall_mean(form: FeedbackForm) -> float | None:
    stmt = (
        select(func.avg(Answer.value_number))
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.form_id == form.id, Question.kind.in_(SCALE_KINDS), Answer.value_number.is_not(None))
    )
    return db.session.scalar(stmt)


# ---------------------------------------------------------------- a workshop's evaluation at a glance


@dataclass
class WorkshopEvaluation:
    workshop: Workshop
    forms: list[FeedbackForm]
    l1: Mean
    l2: TestGain
    l3: ChangeShare
    trainers: list[TrainerRow]


def workshop_evaluation(viewer: Any, workshop: Workshop) -> WorkshopEvaluation:
    if not workshops.can_manage(viewer, workshop):
        raise PermissionDenied("feedback.results")
    ids = [workshop.id]
    return WorkshopEvaluation(
        workshop,
        forms.forms_of_workshop(workshop.id),
        l1_by_workshop(ids).get(workshop.id, Mean(None, 0)),
        test_gain(workshop.id),
        l3_by_workshop(ids).get(workshop.id, ChangeShare(None, 0)),
        trainer_scores(ids),
    )


# ---------------------------------------------------------------- the learning dashboard's trend


@dataclass(frozen=True)
class TrendPoint:
    month: int  # 1..12
    l1_mean: float | None  # None: no evaluations, or (with a unit) fewer than MIN_GROUP that month
    responses: int


def evaluation_trend(year: int, unit_id: int | None = None) -> list[TrendPoint]:
    """Contract for the learning dashboard: training evaluations (L1) submitted in ``year`` (WIB), per month.

    Always twelve points. ``l1_mean`` pools every Likert/grid value of the month's evaluation responses (the L1
    definition above). With ``unit_id`` only that unit's responses count, and a month with fewer than
    :data:`MIN_GROUP` responses has ``l1_mean`` None (a small breakdown of possibly anonymous answers).
    """
    start, end = year_bounds(year)
    conditions = [
        FeedbackForm.purpose == FormPurpose.EVALUATION,
        FeedbackForm.is_template.is_(False),
        Response.submitted_at >= start,
        Response.submitted_at < end,
    ]
    if unit_id is not None:
        conditions.append(Response.unit_id == unit_id)
    stmt = _scale_values(*conditions).add_columns(Response.submitted_at).group_by(Response.submitted_at)
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0, 0])
    for _rid, total, count, submitted_at in db.session.execute(stmt):
        bucket = sums[to_local(submitted_at).month]
        bucket[0] += total
        bucket[1] += count
        bucket[2] += 1
    points = []
    for month in range(1, 13):
        total, count, responses = sums.get(month, (0.0, 0, 0))
        small = unit_id is not None and responses < MIN_GROUP
        points.append(TrendPoint(month, None if small or not count else total / count, int(responses)))
    return points
