"""Building a form's content: questions (validation, adding, changing, deleting, moving) and sections.

Once a form has a response its questions keep their structure (see :mod:`portal.feedback.services.building`);
every change runs inside :func:`~portal.feedback.services.common._locked` and ends with :func:`_renumber`, which
keeps ``Question.position`` ordering the whole form: unsectioned questions first, then each section's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.competencies import services as competencies
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FormSection,
    LikertScale,
    Question,
    QuestionKind,
    QuestionOption,
)
from portal.feedback.services.common import (
    CHOICE_KINDS,
    DESCRIPTION_MAX,
    HELP_MAX,
    LABEL_MAX,
    LOCKED_MESSAGE,
    MAX_OPTIONS,
    MAX_POINTS,
    MAX_QUESTIONS,
    MAX_SECTIONS,
    NUMBER_LIMIT,
    OPTION_KINDS,
    OPTION_MAX,
    SCALE_KINDS,
    TITLE_MAX,
    TRAINER_MAX,
    FeedbackError,
    _choice,
    _locked,
    _one_line,
    _require_manage,
    _text_block,
    _touch,
)
from portal.feedback.services.lookups import (
    get_question,
    get_section,
    has_responses,
    questions_in_order,
    sections_in_order,
)

# ---------------------------------------------------------------- questions: validation


@dataclass
class OptionInput:
    label: str
    is_correct: bool = False
    competency_code: str = ""  # needs surveys: the competency this choice or grid item stands for


@dataclass
class QuestionInput:
    kind: QuestionKind | str
    label: str
    help_text: str = ""
    required: bool = True
    scale: LikertScale | str | None = None
    min_value: float | None = None
    max_value: float | None = None
    trainer_name: str = ""
    points: int | None = None  # None: 1 when a choice question has a correct option
    section_id: int | None = None
    options: Sequence[OptionInput] = ()


@dataclass
class _Option:
    label: str
    is_correct: bool
    competency_id: int | None


@dataclass
class ValidQuestion:
    kind: QuestionKind
    label: str
    help_text: str
    required: bool
    scale: LikertScale | None
    min_value: float | None
    max_value: float | None
    trainer_name: str
    points: int
    options: list[_Option] = field(default_factory=list)


def _check_scale(kind: QuestionKind, scale: Any) -> LikertScale | None:
    if kind not in SCALE_KINDS:
        return None
    return _choice(scale or "", LikertScale, "scale", _l("Pilih skala jawaban."))


def _check_number(value: float | None, field_name: str) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > NUMBER_LIMIT:
        raise FeedbackError(_l("Batas angka harus bilangan antara -1 miliar dan 1 miliar."), field_name)
    return float(value)


def _check_range(kind: QuestionKind, low: float | None, high: float | None) -> tuple[float | None, float | None]:
    if kind != QuestionKind.NUMBER:
        return None, None
    low, high = _check_number(low, "min_value"), _check_number(high, "max_value")
    if low is not None and high is not None and low > high:
        raise FeedbackError(_l("Nilai terkecil tidak boleh lebih besar dari nilai terbesar."), "max_value")
    return low, high


def _check_competency(code: str) -> int | None:
    code = competencies.normalize_code(code)
    if not code:
        return None
    competency = competencies.get_by_code(code)
    if competency is None or not competency.is_active:
        raise FeedbackError(_l("Kompetensi %(code)s tidak ada dalam katalog.", code=code[:20]), "options")
    return competency.id


def _check_options(kind: QuestionKind, given: Sequence[OptionInput]) -> list[_Option]:
    if kind not in OPTION_KINDS:
        return []
    options, seen = [], set()
    for item in given:
        label = _one_line(item.label, OPTION_MAX, "options", _l("Label pilihan"))
        if not label:
            continue  # blank rows of the editor
        if label.casefold() in seen:
            raise FeedbackError(_l('Pilihan "%(label)s" tertulis dua kali.', label=label[:60]), "options")
        seen.add(label.casefold())
        options.append(
            _Option(label, bool(item.is_correct) and kind in CHOICE_KINDS, _check_competency(item.competency_code))
        )
    minimum = 1 if kind == QuestionKind.GRID else 2
    if len(options) < minimum:
        message = (
            _l("Kisi penilaian perlu paling sedikit satu butir.")
            if kind == QuestionKind.GRID
            else _l("Pertanyaan pilihan perlu paling sedikit dua pilihan.")
        )
        raise FeedbackError(message, "options")
    if len(options) > MAX_OPTIONS:
        raise FeedbackError(_l("Paling banyak %(max)d pilihan.", max=MAX_OPTIONS), "options")
    if kind == QuestionKind.SINGLE and sum(o.is_correct for o in options) > 1:
        raise FeedbackError(_l("Pilihan tunggal hanya boleh mempunyai satu jawaban benar."), "options")
    return options


def _check_points(kind: QuestionKind, points: int | None, options: list[_Option]) -> int:
    has_correct = any(o.is_correct for o in options)
    if kind not in CHOICE_KINDS:
        return 0
    if points is None:
        return 1 if has_correct else 0
    if not 0 <= points <= MAX_POINTS:
        raise FeedbackError(_l("Poin harus 0-%(max)d.", max=MAX_POINTS), "points")
    if points and not has_correct:
        raise FeedbackError(_l("Tandai jawaban yang benar sebelum memberi poin."), "points")
    return int(points)


def validate_question(data: QuestionInput) -> ValidQuestion:
    kind = _choice(data.kind, QuestionKind, "kind", _l("Pilih jenis pertanyaan."))
    low, high = _check_range(kind, data.min_value, data.max_value)
    options = _check_options(kind, data.options)
    return ValidQuestion(
        kind=kind,
        label=_check_label(data.label),
        help_text=_one_line(data.help_text, HELP_MAX, "help_text", _l("Keterangan")),
        required=bool(data.required),
        scale=_check_scale(kind, data.scale),
        min_value=low,
        max_value=high,
        trainer_name=_one_line(data.trainer_name, TRAINER_MAX, "trainer_name", _l("Nama pengajar")),
        points=_check_points(kind, data.points, options),
        options=options,
    )


def _check_label(label: str) -> str:
    label = _text_block(label, LABEL_MAX, "label", _l("Teks pertanyaan"))
    if not label:
        raise FeedbackError(_l("Teks pertanyaan wajib diisi."), "label")
    return label


def _check_section(form: FeedbackForm, section_id: int | None) -> int | None:
    if not section_id:
        return None
    if get_section(form, int(section_id)) is None:
        raise FeedbackError(_l("Bagian tidak ditemukan."), "section_id")
    return int(section_id)


def _structure(question: Question | ValidQuestion) -> tuple:
    """What answers depend on; a form with responses keeps it unchanged."""
    options = tuple((bool(o.is_correct), o.competency_id) for o in question.options)
    return (question.kind, question.scale, question.min_value, question.max_value, question.points, options)


def _apply_question(question: Question, values: ValidQuestion) -> None:
    """Write the values; options are updated in place by position so their ids (and answers) survive."""
    question.kind = values.kind
    question.label = values.label
    question.help_text = values.help_text
    question.required = values.required
    question.scale = values.scale
    question.min_value, question.max_value = values.min_value, values.max_value
    question.trainer_name = values.trainer_name
    question.points = values.points
    existing = list(question.options)
    for index, option in enumerate(values.options):
        if index < len(existing):
            row = existing[index]
        else:
            row = QuestionOption()
            question.options.append(row)
        row.position, row.label = index, option.label
        row.is_correct, row.competency_id = option.is_correct, option.competency_id
    for row in existing[len(values.options) :]:
        question.options.remove(row)


# ---------------------------------------------------------------- the order


def _renumber(form: FeedbackForm) -> None:
    """Unsectioned questions first, then each section's in section order; positions 0..n-1."""
    db.session.flush()
    sections = sections_in_order(form)
    rank: dict[int | None, int] = {None: -1}
    for index, section in enumerate(sections):
        section.position = index
        rank[section.id] = index
    questions = sorted(questions_in_order(form), key=lambda q: (rank.get(q.section_id, -1), q.position, q.id))
    for index, question in enumerate(questions):
        question.position = index


def _question_in(form: FeedbackForm, question_id: int) -> Question:
    question = get_question(form, question_id)
    if question is None:
        raise FeedbackError(_l("Pertanyaan tidak ditemukan."))
    return question


def _section_in(form: FeedbackForm, section_id: int) -> FormSection:
    section = get_section(form, section_id)
    if section is None:
        raise FeedbackError(_l("Bagian tidak ditemukan."))
    return section


# ---------------------------------------------------------------- questions: changes


def add_question(actor: User, form: FeedbackForm, data: QuestionInput) -> Question:
    """A new question at the end of its section (or of the unsectioned questions)."""
    _require_manage(actor, form)
    values = validate_question(data)
    with _locked(form.id) as locked:
        section_id = _check_section(locked, data.section_id)
        count = db.session.scalar(select(func.count()).select_from(Question).where(Question.form_id == locked.id)) or 0
        if count >= MAX_QUESTIONS:
            raise FeedbackError(_l("Paling banyak %(max)d pertanyaan per formulir.", max=MAX_QUESTIONS))
        question = Question(form_id=locked.id, section_id=section_id, position=count + MAX_QUESTIONS)
        _apply_question(question, values)
        db.session.add(question)
        _renumber(locked)
        _touch(locked)
        db.session.commit()
    return question


def update_question(actor: User, question: Question, data: QuestionInput) -> Question:
    form = question.form
    _require_manage(actor, form)
    values = validate_question(data)
    question_id = question.id
    with _locked(form.id) as locked:
        question = _question_in(locked, question_id)
        section_id = _check_section(locked, data.section_id)
        if has_responses(locked) and _structure(question) != _structure(values):
            raise FeedbackError(LOCKED_MESSAGE)
        _apply_question(question, values)
        if question.section_id != section_id:
            question.section_id = section_id
            question.position = MAX_QUESTIONS * 2  # the end of the section it joins
        _renumber(locked)
        _touch(locked)
        db.session.commit()
    return question


def delete_question(actor: User, question: Question) -> None:
    form = question.form
    _require_manage(actor, form)
    question_id = question.id
    with _locked(form.id) as locked:
        question = _question_in(locked, question_id)
        if has_responses(locked):
            raise FeedbackError(_l("Formulir ini sudah dijawab: pertanyaan tidak dapat dihapus lagi."))
        db.session.delete(question)
        _renumber(locked)
        _touch(locked)
        db.session.commit()


def move_question(actor: User, question: Question, direction: str) -> Question:
    """One step up or down; past the edge of its section it joins the neighbouring section (or the top)."""
    form = question.form
    _require_manage(actor, form)
    if direction not in ("up", "down"):
        raise FeedbackError(_l("Arah pemindahan tidak dikenal."))
    question_id = question.id
    with _locked(form.id) as locked:
        question = _question_in(locked, question_id)
        step = -1 if direction == "up" else 1
        siblings = [q for q in questions_in_order(locked) if q.section_id == question.section_id]
        index = siblings.index(question) + step
        if 0 <= index < len(siblings):
            other = siblings[index]
            question.position, other.position = other.position, question.position
        else:
            groups: list[int | None] = [None, *(s.id for s in sections_in_order(locked))]
            target = groups.index(question.section_id) + step
            if not 0 <= target < len(groups):
                db.session.rollback()
                return question  # already first or last: nothing to do
            question.section_id = groups[target]
            question.position = -1 if direction == "down" else MAX_QUESTIONS * 2
        _renumber(locked)
        _touch(locked)
        db.session.commit()
    return question


# ---------------------------------------------------------------- sections


def _check_section_text(title: str, description: str) -> tuple[str, str]:
    title = _one_line(title, TITLE_MAX, "title", _l("Judul bagian"), required=True)
    return title, _text_block(description, DESCRIPTION_MAX, "description", _l("Keterangan bagian"))


def add_section(actor: User, form: FeedbackForm, title: str, description: str = "") -> FormSection:
    _require_manage(actor, form)
    title, description = _check_section_text(title, description)
    with _locked(form.id) as locked:
        if len(sections_in_order(locked)) >= MAX_SECTIONS:
            raise FeedbackError(_l("Paling banyak %(max)d bagian per formulir.", max=MAX_SECTIONS))
        section = FormSection(form_id=locked.id, title=title, description=description, position=MAX_SECTIONS)
        db.session.add(section)
        _renumber(locked)
        _touch(locked)
        db.session.commit()
    return section


def update_section(actor: User, section: FormSection, title: str, description: str = "") -> FormSection:
    form = section.form
    _require_manage(actor, form)
    title, description = _check_section_text(title, description)
    section_id = section.id
    with _locked(form.id) as locked:
        section = _section_in(locked, section_id)
        section.title, section.description = title, description
        _touch(locked)
        db.session.commit()
    return section


def delete_section(actor: User, section: FormSection) -> None:
    """Remove a section heading; its questions stay, joining the section before it (or the top)."""
    form = section.form
    _require_manage(actor, form)
    section_id = section.id
    with _locked(form.id) as locked:
        section = _section_in(locked, section_id)
        ordered = sections_in_order(locked)
        index = ordered.index(section)
        previous = ordered[index - 1].id if index > 0 else None
        for question in questions_in_order(locked):
            if question.section_id == section.id:
                question.section_id = previous
                question.position += MAX_QUESTIONS * 2  # after the questions already in that section
        db.session.delete(section)
        _renumber(locked)
        _touch(locked)
        db.session.commit()
