"""Result tables for export: the aggregate table and the raw answers (see :mod:`portal.feedback.services.results`
for what an anonymous form's raw export leaves out)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.core.timezone import to_local
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
)
from portal.feedback.services.common import CHOICE_KINDS
from portal.feedback.services.lookups import questions_in_order
from portal.feedback.services.results import (
    HIDDEN_TEXT,
    FormResults,
    ResultFilters,
    Stats,
    _count,
    _filtered,
    is_suppressed,
    min_group,
    needed_message,
    responses_needed,
    suppressed_message,
)

# ---------------------------------------------------------------- exports


def _share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def aggregate_table(results: FormResults) -> list[list[object]]:
    header: list[object] = [
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
        table.append([str(results.notice), *[None] * (len(header) - 1)])
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
        for row in result.competencies:
            item = str(row.competency)
            table.append([label, item, result.n, None, None, None, None, row.count, _share(row.share)])
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
    if question.kind == QuestionKind.TECHNICAL and answers and answers[0].value_text is None:
        return str(answers[0].competency) if answers[0].competency is not None else None
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
    needed = responses_needed(form, total)
    if needed:
        return [[_("Catatan")], [str(needed_message(needed))]]
    if is_suppressed(form, group, total, filters.active):
        return [[_("Catatan")], [str(suppressed_message())]]
    stmt = (
        select(Response)
        .where(Response.id.in_(response_ids))
        .order_by(Response.submitted_at, Response.id)
        .options(selectinload(Response.answers).joinedload(Answer.option), joinedload(Response.unit))
    )
    responses = list(db.session.scalars(stmt).unique())
    columns = _raw_columns(questions_in_order(form))
    if form.is_anonymous:
        responses.sort(key=lambda response: _shuffle_key(response.id))
        per_unit: dict[int | None, int] = defaultdict(int)
        for response in responses:
            per_unit[response.unit_id] += 1
        with_unit = bool(responses) and min(per_unit.values()) >= min_group()
        head: list[object] = [_("Unit")] if with_unit else []
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
