"""Checking posted answers against a form's questions (required, scale values, options, number ranges, text
lengths) and scoring tests. Nothing here writes; :mod:`portal.feedback.services.answering` stores the result."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import format_decimal, lazy_ngettext

from portal.competencies import services as competencies
from portal.competencies.models import CompetencyCategory
from portal.core.i18n import lazy_gettext as _l
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    Question,
    QuestionKind,
)
from portal.feedback.services.common import (
    _CONTROL_CHARACTERS,
    LONG_TEXT_MAX,
    SCALE_VALUES,
    SHORT_TEXT_MAX,
    TECHNICAL_OTHER,
    AnswerError,
    InvalidAnswers,
    answer_field,
    other_field,
)

NUMBER_INPUT_MAX, NUMBER_LIMIT = 30, 1e12
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")

REQUIRED = _l("Pertanyaan ini wajib dijawab.")
NOT_AN_OPTION = _l("Pilihan itu tidak ada pada pertanyaan ini.")
NOT_ON_SCALE = _l("Pilih salah satu nilai 1 sampai 5.")


# ---------------------------------------------------------------- checking the answers


def posted_values(data: Any) -> dict[str, list[str]]:
    """Form data (a MultiDict or a draft's dict) as {name: [values]}."""
    if hasattr(data, "getlist"):
        return {key: [str(v) for v in data.getlist(key)] for key in data}
    return {str(key): [str(v) for v in (value if isinstance(value, list) else [value])] for key, value in data.items()}


def _first(values: Mapping[str, list[str]], name: str) -> str:
    given = values.get(name) or [""]
    return given[0].strip()


def _scale_value(raw: str) -> int | None:
    return int(raw) if raw in {str(v) for v in SCALE_VALUES} else None


def _format_number(value: float) -> str:
    return format_decimal(value, "#,##0.##")


def _parse_number(raw: str, question: Question) -> float:
    if len(raw) > NUMBER_INPUT_MAX or not _NUMBER.match(raw):
        raise AnswerError(_l("Isi dengan angka, misalnya 12 atau 3,5."))
    number = float(raw.replace(",", "."))
    low, high = question.min_value, question.max_value
    if not math.isfinite(number) or abs(number) >= NUMBER_LIMIT:
        raise AnswerError(_l("Angka itu terlalu besar."))
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            message = _l("Isi angka antara %(min)s dan %(max)s.", min=_format_number(low), max=_format_number(high))
        elif low is not None:
            message = _l("Isi angka paling kecil %(min)s.", min=_format_number(low))
        else:
            assert high is not None  # out of range, with no lower bound
            message = _l("Isi angka paling besar %(max)s.", max=_format_number(high))
        raise AnswerError(message)
    return number


def _clean_text(raw: str, multiline: bool) -> str:
    text = _CONTROL_CHARACTERS.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip() if multiline else " ".join(text.split())


def _text_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    multiline = question.kind == QuestionKind.LONG_TEXT
    limit = LONG_TEXT_MAX if multiline else SHORT_TEXT_MAX
    text = _clean_text((values.get(answer_field(question)) or [""])[0], multiline)
    if len(text) > limit:
        raise AnswerError(_l("Jawaban maksimal %(max)d karakter (sekarang %(n)d).", max=limit, n=len(text)))
    return [Answer(question_id=question.id, value_text=text)] if text else []


def _likert_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    raw = _first(values, answer_field(question))
    if not raw:
        return []
    value = _scale_value(raw)
    if value is None:
        raise AnswerError(NOT_ON_SCALE)
    return [Answer(question_id=question.id, value_number=float(value))]


def _grid_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    answers, missing = [], 0
    for item in question.options:
        raw = _first(values, answer_field(question, item))
        if not raw:
            missing += 1
            continue
        value = _scale_value(raw)
        if value is None:
            raise AnswerError(_l("%(item)s: pilih salah satu nilai 1 sampai 5.", item=item.label))
        answers.append(Answer(question_id=question.id, option_id=item.id, value_number=float(value)))
    if question.required and answers and missing:
        raise AnswerError(
            lazy_ngettext(
                "Beri nilai untuk setiap butir: %(num)d butir belum dinilai.",
                "Beri nilai untuk setiap butir: %(num)d butir belum dinilai.",
                missing,
            )
        )
    return answers


def _choice_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    options = {str(option.id): option for option in question.options}
    chosen = [raw.strip() for raw in values.get(answer_field(question), []) if raw.strip()]
    if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
        raise AnswerError(_l("Pilih satu jawaban saja."))
    if any(raw not in options for raw in chosen):
        raise AnswerError(NOT_AN_OPTION)
    return [Answer(question_id=question.id, option_id=options[raw].id) for raw in dict.fromkeys(chosen)]


def _number_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    raw = _first(values, answer_field(question))
    return [Answer(question_id=question.id, value_number=_parse_number(raw, question))] if raw else []


def technical_competency(raw: str | int | None) -> int | None:
    """The id of an active technical competency of the catalogue, or None."""
    raw = str(raw or "").strip()
    if not raw.isdigit() or len(raw) > 12:
        return None
    competency = competencies.by_ids([int(raw)]).get(int(raw))
    if competency is None or not competency.is_active or competency.category != CompetencyCategory.TECHNICAL:
        return None
    return competency.id


def _technical_answer(question: Question, values: Mapping[str, list[str]]) -> list[Answer]:
    """A technical competency picked from the catalogue, or "lainnya" with the need written out (a text typed
    without picking anything counts as "lainnya": the picker may have been skipped)."""
    picked = _first(values, answer_field(question))
    text = _clean_text((values.get(other_field(question)) or [""])[0], multiline=False)
    if len(text) > SHORT_TEXT_MAX:
        raise AnswerError(_l("Jawaban maksimal %(max)d karakter (sekarang %(n)d).", max=SHORT_TEXT_MAX, n=len(text)))
    if picked == TECHNICAL_OTHER or (not picked and text):
        if not text:
            raise AnswerError(_l("Tuliskan kompetensi teknis yang Anda perlukan, atau pilih dari daftar."))
        return [Answer(question_id=question.id, value_text=text)]
    if not picked:
        return []
    competency_id = technical_competency(picked)
    if competency_id is None:
        raise AnswerError(_l('Pilih kompetensi teknis dari daftar katalog, atau pilih "Lainnya".'))
    return [Answer(question_id=question.id, competency_id=competency_id)]


_READERS = {
    QuestionKind.LIKERT: _likert_answer,
    QuestionKind.GRID: _grid_answer,
    QuestionKind.SINGLE: _choice_answer,
    QuestionKind.MULTIPLE: _choice_answer,
    QuestionKind.NUMBER: _number_answer,
    QuestionKind.SHORT_TEXT: _text_answer,
    QuestionKind.LONG_TEXT: _text_answer,
    QuestionKind.TECHNICAL: _technical_answer,
}


def _required_message(question: Question) -> Any:
    if question.kind == QuestionKind.MULTIPLE:
        return _l("Pilih paling sedikit satu jawaban.")
    if question.kind == QuestionKind.GRID:
        return _l("Beri nilai untuk setiap butir.")
    return REQUIRED


def check_answers(form: FeedbackForm, data: Any) -> list[Answer]:
    """The answers to store (not yet added to the session), or :class:`InvalidAnswers` listing every problem."""
    values = posted_values(data)
    answers: list[Answer] = []
    errors: dict[int, Any] = {}
    for question in form.questions:
        try:
            given = _READERS[question.kind](question, values)
        except AnswerError as error:
            errors[question.id] = error.message
            continue
        if question.required and not given:
            errors[question.id] = _required_message(question)
        answers.extend(given)
    if errors:
        raise InvalidAnswers(errors)
    return answers


def score(form: FeedbackForm, answers: Iterable[Answer]) -> tuple[float, float] | None:
    """(points scored, points possible) over the choice questions with correct options and points; None if none.

    A question scores its points only when exactly the correct options were chosen (no partial credit).
    """
    chosen: dict[int, set[int]] = {}
    for answer in answers:
        if answer.option_id is not None:
            chosen.setdefault(answer.question_id, set()).add(answer.option_id)
    scored = possible = 0.0
    for question in form.questions:
        correct = {option.id for option in question.options if option.is_correct}
        if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) or not correct or question.points <= 0:
            continue
        possible += question.points
        if chosen.get(question.id, set()) == correct:
            scored += question.points
    return (scored, possible) if possible else None
