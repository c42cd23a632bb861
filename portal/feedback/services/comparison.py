"""Comparing two runs of a form: forms of the same lineage (copies of each other) or of the same program,
aspect by aspect (sections and grid items)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormStatus,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    program_workshops,
)
from portal.feedback.services.common import SCALE_KINDS
from portal.feedback.services.lookups import questions_in_order
from portal.feedback.services.results import (
    ResultError,
    ResultFilters,
    _count,
    _filtered,
    can_view_results,
    responses_needed,
)
from portal.feedback.services.scores import Mean

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
    needed_a: int = 0  # an anonymous run below the threshold: responses still needed (its figures stay empty)
    needed_b: int = 0

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


def comparable_forms(viewer: User, form: FeedbackForm) -> list[FeedbackForm]:
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
    for question in questions_in_order(form):
        if question.kind == QuestionKind.LIKERT:
            labels.append((question.label, ""))
        elif question.kind == QuestionKind.GRID:
            labels += [(question.label, option.label) for option in question.options]
    return [
        ((" ".join(q.split()).casefold(), " ".join(i.split()).casefold()), f"{q}: {i}" if i else q) for q, i in labels
    ]


def compare(viewer: User, form_a: FeedbackForm, form_b: FeedbackForm) -> Comparison:
    """Per aspect (a Likert question or a grid item, matched by wording) the mean of each run and B minus A."""
    if not (can_view_results(viewer, form_a) and can_view_results(viewer, form_b)):
        raise ResultError(_l("Formulir untuk dibandingkan tidak ditemukan."))
    if not comparable(form_a, form_b):
        raise ResultError(_l("Kedua formulir bukan dua pelaksanaan dari pelatihan atau templat yang sama."))
    count_a, count_b = _count(_filtered(form_a, ResultFilters())), _count(_filtered(form_b, ResultFilters()))
    needed_a, needed_b = responses_needed(form_a, count_a), responses_needed(form_b, count_b)
    means_a = {} if needed_a else _aspect_means(form_a)
    means_b = {} if needed_b else _aspect_means(form_b)
    empty = Mean(None, 0)
    rows, seen = [], set()
    for key, label in _aspect_labels(form_a) + _aspect_labels(form_b):
        if key in seen:
            continue
        seen.add(key)
        a, b = means_a.get(key, empty), means_b.get(key, empty)
        rows.append(AspectRow(label, a.value, b.value, a.responses, b.responses))
    return Comparison(
        form_a,
        form_b,
        count_a,
        count_b,
        rows,
        None if needed_a else _overall_mean(form_a),
        None if needed_b else _overall_mean(form_b),
        needed_a,
        needed_b,
    )


def _overall_mean(form: FeedbackForm) -> float | None:
    stmt = (
        select(func.avg(Answer.value_number))
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.form_id == form.id, Question.kind.in_(SCALE_KINDS), Answer.value_number.is_not(None))
    )
    return db.session.scalar(stmt)
