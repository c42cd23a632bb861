"""Building feedback forms: settings, sections, questions, attaching to workshops, publishing.

Organizers (``Permission.ORGANIZE``) build their own forms; a form attached to a workshop is also managed by
that workshop's organizer, and admins manage every form. Every change takes the acting user, checks it here,
validates *all* input before writing anything, and commits once. Bad input raises :class:`FeedbackError`.

**Answers are never orphaned.** Once a form has a response, its questions can no longer be removed, and a
question's kind, scale, number range, options (count, correct answers, points, competencies) stay as they were;
only wording (question text, help text, option labels, trainer name), the required flag and sections change.
Its purpose, workshop and anonymity are fixed too. These checks run inside :func:`_locked` (the form row locked,
``BEGIN IMMEDIATE`` on SQLite) so a response cannot slip in between the check and the change.

Question order: ``Question.position`` orders the whole form; unsectioned questions come first, then each section
(by ``FormSection.position``) with its questions. :func:`_renumber` restores that invariant after every change.

Public functions other feedback modules use: :func:`get_form`, :func:`can_manage`, :func:`forms_of_workshop`,
:func:`evaluation_of`, :func:`scale_labels`, :func:`is_open`, :func:`questions_in_order`, :func:`blocks`,
:func:`answer_field`, :func:`response_counts`, and the label dicts (``PURPOSE_LABELS`` ...).
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.core.database import locked_row
from portal.core.forms import RuleError
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, PermissionDenied, has_permission
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FormAudience,
    FormPurpose,
    FormSection,
    FormStatus,
    LikertScale,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
)
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

TITLE_MIN, TITLE_MAX, DESCRIPTION_MAX = 3, 200, 5000
LABEL_MAX, HELP_MAX, OPTION_MAX, TRAINER_MAX = 500, 500, 300, 160
MAX_OPTIONS, MAX_QUESTIONS, MAX_SECTIONS, MAX_POINTS = 30, 150, 30, 100
FOLLOWUP_DAYS_MAX, DEFAULT_FOLLOWUP_DAYS, NUMBER_LIMIT = 730, 90, 1_000_000_000
SHORT_TEXT_MAX, LONG_TEXT_MAX = 300, 5000  # answer lengths: the question markup and the answering side use them
PAGE_SIZE = 20
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# The five points of every 1-5 scale, value 1 first. Defined once: answering and results read them from here.
SCALE_LABELS: dict[LikertScale, tuple[Any, ...]] = {
    LikertScale.QUALITY: (_l("Sangat Tidak Baik"), _l("Tidak Baik"), _l("Cukup"), _l("Baik"), _l("Sangat Baik")),
    LikertScale.AGREEMENT: (
        _l("Sangat Tidak Setuju"),
        _l("Tidak Setuju"),
        _l("Ragu-ragu"),
        _l("Setuju"),
        _l("Sangat Setuju"),
    ),
    LikertScale.NEED: (
        _l("Sangat Tidak Perlu"),
        _l("Tidak Perlu"),
        _l("Cukup Perlu"),
        _l("Perlu"),
        _l("Sangat Perlu"),
    ),
}
SCALE_NAMES: dict[LikertScale, Any] = {
    LikertScale.QUALITY: _l("Mutu: Sangat Tidak Baik … Sangat Baik"),
    LikertScale.AGREEMENT: _l("Persetujuan: Sangat Tidak Setuju … Sangat Setuju"),
    LikertScale.NEED: _l("Kebutuhan: Sangat Tidak Perlu … Sangat Perlu"),
}
PURPOSE_LABELS: dict[FormPurpose, Any] = {
    FormPurpose.EVALUATION: _l("Evaluasi pelatihan (L1)"),
    FormPurpose.PRE_TEST: _l("Pre-test (L2)"),
    FormPurpose.POST_TEST: _l("Post-test (L2)"),
    FormPurpose.FOLLOWUP_PARTICIPANT: _l("Evaluasi pasca pelatihan oleh peserta (L3)"),
    FormPurpose.FOLLOWUP_SUPERVISOR: _l("Evaluasi pasca pelatihan oleh atasan (L3)"),
    FormPurpose.NEEDS_SURVEY: _l("Survei kebutuhan kompetensi"),
    FormPurpose.SURVEY: _l("Survei lain"),
}
AUDIENCE_LABELS: dict[FormAudience, Any] = {
    FormAudience.WORKSHOP: _l("Peserta pelatihan"),
    FormAudience.ALL_ASN: _l("Semua ASN"),
    FormAudience.UNITS: _l("ASN unit kerja tertentu"),
    FormAudience.PUBLIC: _l("Publik, lewat tautan (tanpa masuk)"),
}
STATUS_LABELS: dict[FormStatus, Any] = {
    FormStatus.DRAFT: _l("Draf"),
    FormStatus.OPEN: _l("Dibuka"),
    FormStatus.CLOSED: _l("Ditutup"),
}
KIND_LABELS: dict[QuestionKind, Any] = {
    QuestionKind.LIKERT: _l("Skala 1–5"),
    QuestionKind.GRID: _l("Kisi penilaian (beberapa butir, skala 1–5)"),
    QuestionKind.SINGLE: _l("Pilihan tunggal"),
    QuestionKind.MULTIPLE: _l("Pilihan ganda (boleh lebih dari satu)"),
    QuestionKind.NUMBER: _l("Angka"),
    QuestionKind.SHORT_TEXT: _l("Teks singkat"),
    QuestionKind.LONG_TEXT: _l("Teks panjang"),
}

WORKSHOP_PURPOSES = (
    FormPurpose.EVALUATION,
    FormPurpose.PRE_TEST,
    FormPurpose.POST_TEST,
    FormPurpose.FOLLOWUP_PARTICIPANT,
    FormPurpose.FOLLOWUP_SUPERVISOR,
)
FOLLOWUP_PURPOSES = (FormPurpose.FOLLOWUP_PARTICIPANT, FormPurpose.FOLLOWUP_SUPERVISOR)
TEST_PURPOSES = (FormPurpose.PRE_TEST, FormPurpose.POST_TEST)
STANDALONE_AUDIENCES = (FormAudience.ALL_ASN, FormAudience.UNITS, FormAudience.PUBLIC)
SCALE_KINDS = (QuestionKind.LIKERT, QuestionKind.GRID)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.GRID)

LOCKED_MESSAGE = _l(
    "Formulir ini sudah dijawab, jadi hanya perbaikan kata yang boleh: teks pertanyaan, keterangan, label pilihan, "
    "nama pengajar, wajib atau tidak, dan bagian. Jenis, skala, batas angka, jumlah pilihan, jawaban benar, poin, "
    "dan kompetensi tetap, karena jawaban yang sudah masuk akan kehilangan artinya."
)


class FeedbackError(RuleError):
    """A form-building rule was broken."""


def scale_labels(scale: LikertScale | str) -> list[str]:
    """The labels of values 1..5 of a scale, in the current language."""
    return [str(label) for label in SCALE_LABELS[LikertScale(scale)]]


def answer_field(question: Question, option: QuestionOption | None = None) -> str:
    """The name of the input that carries an answer: ``q<id>``, or ``q<id>_<option id>`` for a grid item."""
    return f"q{question.id}" if option is None else f"q{question.id}_{option.id}"


# ---------------------------------------------------------------- who may do what


def can_build(user: Any) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def can_manage(user: Any, form: FeedbackForm) -> bool:
    """Whether the user may edit the form and read its results: its owner, its workshop's organizer, admins."""
    if not can_build(user):
        return False
    if user.is_admin or form.owner_id == user.id:
        return True
    return form.workshop is not None and workshops.can_manage(user, form.workshop)


def _require_build(user: Any) -> None:
    if not can_build(user):
        raise PermissionDenied("feedback.build")


def _require_manage(user: Any, form: FeedbackForm) -> None:
    if not can_manage(user, form):
        raise PermissionDenied("feedback.manage")


# ---------------------------------------------------------------- lookups


def get_form(form_id: int) -> FeedbackForm | None:
    return db.session.get(FeedbackForm, form_id)


def get_managed(user: Any, form_id: int) -> FeedbackForm | None:
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


def managed_forms(actor: Any, filters: FormFilters, page: int) -> Page[FeedbackForm]:
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


def attachable_forms(actor: Any) -> list[FeedbackForm]:
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


def workshop_choices(actor: Any) -> list[Workshop]:
    """Workshops the actor may attach forms to (not cancelled)."""
    return [w for w in workshops.managed_workshops(actor) if w.status != WorkshopStatus.CANCELLED]


# ---------------------------------------------------------------- text checks


def _one_line(text: str | None, limit: int, field_name: str, label: Any, required: bool = False) -> str:
    text = " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())
    if required and not text:
        raise FeedbackError(_l("%(label)s wajib diisi.", label=label), field_name)
    if len(text) > limit:
        raise FeedbackError(_l("%(label)s maksimal %(max)d karakter.", label=label, max=limit), field_name)
    return text


def _text_block(text: str | None, limit: int, field_name: str, label: Any) -> str:
    text = _CONTROL_CHARACTERS.sub("", (text or "").replace("\r\n", "\n")).strip()
    if len(text) > limit:
        raise FeedbackError(_l("%(label)s maksimal %(max)d karakter.", label=label, max=limit), field_name)
    return text


def _choice(value: Any, enum_cls: type, field_name: str, message: Any = None) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise FeedbackError(message or _l("Pilihan tidak valid."), field_name) from None


def _check_title(title: str) -> str:
    title = _one_line(title, TITLE_MAX, "title", _l("Judul"))
    if len(title) < TITLE_MIN:
        raise FeedbackError(_l("Judul wajib diisi, %(min)d-%(max)d karakter.", min=TITLE_MIN, max=TITLE_MAX), "title")
    return title


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


# ---------------------------------------------------------------- the lock and the order


def _locked(form_id: int) -> AbstractContextManager[FeedbackForm]:
    """The form, locked against concurrent changes and submissions until the caller commits or fails."""
    return locked_row(db.session(), FeedbackForm, form_id, FeedbackError(_l("Formulir tidak ditemukan.")))


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


def _touch(form: FeedbackForm) -> None:
    form.updated_at = utcnow()


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


def add_question(actor: Any, form: FeedbackForm, data: QuestionInput) -> Question:
    """A new question at the end of its section (or of the unsectioned questions)."""
    _require_manage(actor, form)
    values = validate_question(data)
    with _locked(form.id) as locked:
        section_id = _check_section(locked, data.section_id)
        count = db.session.scalar(select(func.count()).select_from(Question).where(Question.form_id == locked.id))
        if count >= MAX_QUESTIONS:
            raise FeedbackError(_l("Paling banyak %(max)d pertanyaan per formulir.", max=MAX_QUESTIONS))
        question = Question(form_id=locked.id, section_id=section_id, position=count + MAX_QUESTIONS)
        _apply_question(question, values)
        db.session.add(question)
        _renumber(locked)
        _touch(locked)
        db.session.commit()
    return question


def update_question(actor: Any, question: Question, data: QuestionInput) -> Question:
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


def delete_question(actor: Any, question: Question) -> None:
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


def move_question(actor: Any, question: Question, direction: str) -> Question:
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


def add_section(actor: Any, form: FeedbackForm, title: str, description: str = "") -> FormSection:
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


def update_section(actor: Any, section: FormSection, title: str, description: str = "") -> FormSection:
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


def delete_section(actor: Any, section: FormSection) -> None:
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


# ---------------------------------------------------------------- form settings


@dataclass
class FormInput:
    title: str
    description: str = ""
    purpose: FormPurpose | str = FormPurpose.SURVEY
    audience: FormAudience | str = FormAudience.ALL_ASN  # ignored for workshop purposes (always WORKSHOP)
    is_anonymous: bool = False  # public forms are always anonymous
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    unit_ids: Sequence[int] = ()  # audience UNITS
    workshop_id: int | None = None  # workshop purposes
    followup_days: int | None = None  # follow-up purposes: days after the workshop's completion


@dataclass
class ValidForm:
    title: str
    description: str
    purpose: FormPurpose
    audience: FormAudience
    is_anonymous: bool
    opens_at: datetime | None
    closes_at: datetime | None
    units: list[Unit]
    workshop: Workshop | None
    followup_days: int | None


def _check_audience(purpose: FormPurpose, audience: Any) -> FormAudience:
    if purpose in WORKSHOP_PURPOSES:
        return FormAudience.WORKSHOP
    audience = _choice(audience or "", FormAudience, "audience", _l("Pilih siapa yang mengisi survei."))
    if audience not in STANDALONE_AUDIENCES:
        raise FeedbackError(_l("Survei ditujukan ke semua ASN, ASN unit tertentu, atau publik."), "audience")
    return audience


def _check_dates(opens: datetime | None, closes: datetime | None) -> tuple[datetime | None, datetime | None]:
    if opens and closes and closes <= opens:
        raise FeedbackError(_l("Tanggal tutup harus setelah tanggal buka."), "closes_at")
    return opens, closes


def _check_units(audience: FormAudience, unit_ids: Sequence[int]) -> list[Unit]:
    if audience != FormAudience.UNITS:
        return []
    chosen = []
    for unit_id in dict.fromkeys(int(u) for u in unit_ids if u):
        unit = units.get_active(unit_id)
        if unit is None:
            raise FeedbackError(_l("Unit kerja tidak ditemukan."), "units")
        chosen.append(unit)
    return chosen


def _check_workshop(
    actor: Any, purpose: FormPurpose, workshop_id: int | None, current: FeedbackForm | None
) -> Workshop | None:
    if purpose not in WORKSHOP_PURPOSES or not workshop_id:
        return None
    workshop = workshops.get(int(workshop_id))
    if workshop is not None and current is not None and current.workshop_id == workshop.id:
        return workshop  # unchanged: the form's manager may keep it even without managing the workshop
    if workshop is None or not workshops.can_manage(actor, workshop):
        raise FeedbackError(_l("Pelatihan tidak ditemukan di antara pelatihan yang Anda kelola."), "workshop_id")
    if workshop.status == WorkshopStatus.CANCELLED:
        raise FeedbackError(_l("Pelatihan ini dibatalkan; formulir tidak dapat dipasang."), "workshop_id")
    return workshop


def _check_followup_days(purpose: FormPurpose, days: int | None, workshop: Workshop | None) -> int | None:
    if purpose not in FOLLOWUP_PURPOSES:
        return None
    if days is None and workshop is None:
        return None
    if days is None or not 1 <= days <= FOLLOWUP_DAYS_MAX:
        raise FeedbackError(
            _l("Isi jumlah hari setelah pelatihan selesai, 1-%(max)d.", max=FOLLOWUP_DAYS_MAX), "followup_days"
        )
    return int(days)


def validate_form(actor: Any, data: FormInput, current: FeedbackForm | None = None) -> ValidForm:
    purpose = _choice(data.purpose or "", FormPurpose, "purpose", _l("Pilih tujuan formulir."))
    audience = _check_audience(purpose, data.audience)
    opens, closes = _check_dates(data.opens_at, data.closes_at)
    workshop = _check_workshop(actor, purpose, data.workshop_id, current)
    return ValidForm(
        title=_check_title(data.title),
        description=_text_block(data.description, DESCRIPTION_MAX, "description", _l("Keterangan")),
        purpose=purpose,
        audience=audience,
        is_anonymous=bool(data.is_anonymous) or audience == FormAudience.PUBLIC,
        opens_at=opens,
        closes_at=closes,
        units=_check_units(audience, data.unit_ids),
        workshop=workshop,
        followup_days=_check_followup_days(purpose, data.followup_days, workshop),
    )


def settings_input(form: FeedbackForm) -> FormInput:
    """The form's current settings as input (to prefill the settings page, or to change one of them)."""
    return FormInput(
        title=form.title,
        description=form.description,
        purpose=form.purpose,
        audience=form.audience,
        is_anonymous=form.is_anonymous,
        opens_at=form.opens_at,
        closes_at=form.closes_at,
        unit_ids=[u.id for u in form.units],
        workshop_id=form.workshop_id,
        followup_days=form.followup_days,
    )


def _apply_settings(form: FeedbackForm, values: ValidForm) -> None:
    form.title, form.description = values.title, values.description
    form.purpose, form.audience, form.is_anonymous = values.purpose, values.audience, values.is_anonymous
    form.opens_at, form.closes_at = values.opens_at, values.closes_at
    form.units = values.units
    form.workshop_id = values.workshop.id if values.workshop else None
    form.followup_days = values.followup_days
    if form.audience != FormAudience.PUBLIC:
        form.public_token = None  # a link handed out earlier stops working
    elif form.status == FormStatus.OPEN and not form.public_token:
        form.public_token = _new_token()
    _touch(form)


def _check_answered_settings(form: FeedbackForm, values: ValidForm) -> None:
    """Answers were given for this purpose, this workshop, under this promise of anonymity: keep them."""
    workshop_id = values.workshop.id if values.workshop else None
    if (form.purpose, form.workshop_id, form.is_anonymous) != (values.purpose, workshop_id, values.is_anonymous):
        raise FeedbackError(
            _l("Formulir ini sudah dijawab: tujuan, pelatihan, dan sifat anonimnya tidak dapat diubah lagi.")
        )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class SectionInput:
    """A section of new content; an empty title puts the questions at the top, unsectioned."""

    title: str
    questions: Sequence[QuestionInput] = ()
    description: str = ""


def create_form(
    actor: Any,
    data: FormInput,
    sections: Sequence[SectionInput] = (),
    template_key: str | None = None,
) -> FeedbackForm:
    """A new draft owned by the actor, optionally with content (sections and their questions)."""
    _require_build(actor)
    values = validate_form(actor, data)
    content = [
        (_check_section_text(s.title, s.description) if s.title else None, [validate_question(q) for q in s.questions])
        for s in sections
    ]
    form = FeedbackForm(status=FormStatus.DRAFT, owner_id=actor.id, template_key=template_key)
    _apply_settings(form, values)
    for heading, questions in content:
        section = None
        if heading is not None:
            section = FormSection(title=heading[0], description=heading[1], position=len(form.sections))
            form.sections.append(section)
        for question_values in questions:
            question = Question(section=section, position=len(form.questions))
            _apply_question(question, question_values)
            form.questions.append(question)
    db.session.add(form)
    _renumber(form)
    audit.record(actor, "feedback.form_created", form, template=template_key, workshop=form.workshop_id)
    db.session.commit()
    return form


def update_settings(
    actor: Any, form: FeedbackForm, data: FormInput, action: str = "feedback.form_updated"
) -> FeedbackForm:
    _require_manage(actor, form)
    values = validate_form(actor, data, form)
    with _locked(form.id) as locked:
        if has_responses(locked):
            _check_answered_settings(locked, values)
        _apply_settings(locked, values)
        if locked.status == FormStatus.OPEN:
            problems = publish_problems(locked, opening=False)
            if problems:
                raise FeedbackError(" ".join(str(p) for p in problems))
        audit.record(actor, action, locked, purpose=locked.purpose.value, workshop=locked.workshop_id)
        db.session.commit()
    return locked


def attach_form(
    actor: Any, form: FeedbackForm, workshop: Workshop, purpose: FormPurpose | str, followup_days: int | None = None
) -> FeedbackForm:
    """Attach the form to a workshop as its evaluation, pre-/post-test or follow-up (participants answer it)."""
    purpose = _choice(purpose or "", FormPurpose, "purpose", _l("Pilih kegunaan formulir."))
    if purpose not in WORKSHOP_PURPOSES:
        raise FeedbackError(_l("Pilih kegunaan formulir untuk pelatihan."), "purpose")
    if purpose in FOLLOWUP_PURPOSES and followup_days is None:
        followup_days = form.followup_days or DEFAULT_FOLLOWUP_DAYS
    data = replace(settings_input(form), purpose=purpose, workshop_id=workshop.id, followup_days=followup_days)
    return update_settings(actor, form, data, action="feedback.form_attached")


# ---------------------------------------------------------------- publishing


def _other_open(form: FeedbackForm) -> FeedbackForm | None:
    """Another open form of the same workshop and purpose (a workshop has one open evaluation, one test...)."""
    if form.workshop_id is None:
        return None
    return db.session.scalar(
        select(FeedbackForm).where(
            FeedbackForm.workshop_id == form.workshop_id,
            FeedbackForm.purpose == form.purpose,
            FeedbackForm.status == FormStatus.OPEN,
            FeedbackForm.id != form.id,
        )
    )


def publish_problems(form: FeedbackForm, now: datetime | None = None, opening: bool = True) -> list[Any]:
    """What keeps the form from opening; empty when it can open. The builder lists them before publishing.

    ``opening=False`` checks an open form after a settings change: a closing date in the past just ends it.
    """
    now = now or utcnow()
    problems: list[Any] = []
    questions = questions_in_order(form)
    if form.is_template:
        problems.append(_l("Templat tidak dapat dibuka untuk diisi; salin dulu."))
    if not questions:
        problems.append(_l("Tambahkan paling sedikit satu pertanyaan."))
    if form.audience == FormAudience.UNITS and not form.units:
        problems.append(_l("Pilih paling sedikit satu unit kerja yang disurvei."))
    if form.purpose in WORKSHOP_PURPOSES:
        if form.workshop is None:
            problems.append(_l("Pasang formulir ini ke pelatihan dulu (di Pengaturan)."))
        elif form.workshop.status == WorkshopStatus.CANCELLED:
            problems.append(_l("Pelatihannya dibatalkan."))
        if form.purpose in FOLLOWUP_PURPOSES and not form.followup_days:
            problems.append(_l("Tentukan berapa hari setelah pelatihan selesai formulir ini dikirim."))
    if form.purpose in TEST_PURPOSES and not any(q.points > 0 for q in questions):
        problems.append(_l("Tes perlu paling sedikit satu soal pilihan dengan jawaban benar dan poin."))
    if opening and form.closes_at is not None and form.closes_at <= now:
        problems.append(_l("Tanggal tutupnya sudah lewat; ubah atau kosongkan dulu di Pengaturan."))
    other = _other_open(form)
    if other is not None:
        problems.append(
            _l(
                'Pelatihan ini sudah mempunyai formulir "%(title)s" dengan kegunaan yang sama yang sedang dibuka; '
                "tutup dulu formulir itu.",
                title=other.title,
            )
        )
    return problems


def _open(actor: Any, form: FeedbackForm, expected: FormStatus, action: str) -> FeedbackForm:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.status != expected:
            message = (
                _l("Hanya draf yang dapat dibuka.")
                if expected == FormStatus.DRAFT
                else _l("Hanya formulir yang ditutup yang dapat dibuka kembali.")
            )
            raise FeedbackError(message)
        problems = publish_problems(locked)
        if problems:
            raise FeedbackError(" ".join(str(p) for p in problems))
        locked.status = FormStatus.OPEN
        locked.published_at = locked.published_at or utcnow()
        if locked.audience == FormAudience.PUBLIC and not locked.public_token:
            locked.public_token = _new_token()
        _touch(locked)
        audit.record(actor, action, locked, purpose=locked.purpose.value, audience=locked.audience.value)
        db.session.commit()
    return locked


def publish(actor: Any, form: FeedbackForm) -> FeedbackForm:
    """Draft -> open: respondents can answer (within the opening and closing dates)."""
    return _open(actor, form, FormStatus.DRAFT, "feedback.form_published")


def reopen(actor: Any, form: FeedbackForm) -> FeedbackForm:
    return _open(actor, form, FormStatus.CLOSED, "feedback.form_reopened")


def close(actor: Any, form: FeedbackForm) -> FeedbackForm:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.status != FormStatus.OPEN:
            raise FeedbackError(_l("Hanya formulir yang dibuka yang dapat ditutup."))
        locked.status = FormStatus.CLOSED
        _touch(locked)
        audit.record(actor, "feedback.form_closed", locked)
        db.session.commit()
    return locked


def renew_public_token(actor: Any, form: FeedbackForm) -> str:
    """A new public link; the old one stops working (e.g. it was shared where it should not be)."""
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.audience != FormAudience.PUBLIC:
            raise FeedbackError(_l("Hanya survei publik yang mempunyai tautan publik."))
        locked.public_token = _new_token()
        _touch(locked)
        audit.record(actor, "feedback.public_link_renewed", locked)
        db.session.commit()
        return locked.public_token


def delete_form(actor: Any, form: FeedbackForm) -> None:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if has_responses(locked):
            raise FeedbackError(_l("Formulir yang sudah dijawab tidak dapat dihapus; tutup saja."))
        audit.record(actor, "feedback.form_deleted", locked, purpose=locked.purpose.value)
        db.session.delete(locked)
        db.session.commit()


def duplicate_form(actor: Any, form: FeedbackForm) -> FeedbackForm:
    """A draft copy owned by the actor: settings, sections, questions and options; not attached, no dates."""
    _require_manage(actor, form)
    copy = FeedbackForm(
        title=_copy_title(form.title),
        description=form.description,
        purpose=form.purpose,
        audience=form.audience,
        status=FormStatus.DRAFT,
        is_anonymous=form.is_anonymous,
        template_key=form.template_key,
        followup_days=form.followup_days,
        owner_id=actor.id,
        copied_from_id=form.id,
    )
    copy.units = list(form.units)
    sections = {}
    for section in sections_in_order(form):
        sections[section.id] = FormSection(
            title=section.title, description=section.description, position=section.position
        )
        copy.sections.append(sections[section.id])
    for question in questions_in_order(form):
        clone = Question(
            section=sections.get(question.section_id),
            position=question.position,
            kind=question.kind,
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            scale=question.scale,
            min_value=question.min_value,
            max_value=question.max_value,
            trainer_name=question.trainer_name,
            points=question.points,
        )
        for option in question.options:
            clone.options.append(
                QuestionOption(
                    position=option.position,
                    label=option.label,
                    is_correct=option.is_correct,
                    competency_id=option.competency_id,
                )
            )
        copy.questions.append(clone)
    db.session.add(copy)
    db.session.flush()
    audit.record(actor, "feedback.form_duplicated", copy, source=form.id)
    db.session.commit()
    return copy


def _copy_title(title: str) -> str:
    return str(_l("Salinan %(title)s", title=title))[:TITLE_MAX]
