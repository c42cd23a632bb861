"""What the feedback services share: limits, labels, purposes and kinds, the errors, the permission checks,
and the small private helpers (text checks, the form lock) the building, answering and analysis modules use.

Every 1-5 scale's labels are defined here once: answering and results read them from here.
"""

from __future__ import annotations

import re
import secrets
from contextlib import AbstractContextManager
from typing import Any

from flask_babel import lazy_ngettext

from portal.accounts.models import User
from portal.core.database import locked_row
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, PermissionDenied, has_permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FormAudience,
    FormPurpose,
    FormStatus,
    LikertScale,
    Question,
    QuestionKind,
    QuestionOption,
)
from portal.workshops import services as workshops

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
    QuestionKind.TECHNICAL: _l("Kompetensi teknis (dari katalog, atau tulis sendiri)"),
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


TECHNICAL_OTHER = "lainnya"  # the picker's value for "another technical need, written in the text field"


def other_field(question: Question) -> str:
    """The text input of a TECHNICAL question's "lainnya" answer: ``q<id>_lainnya``."""
    return f"q{question.id}_{TECHNICAL_OTHER}"


SCALE_VALUES = (1, 2, 3, 4, 5)  # LIKERT and GRID


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AnswerError(RuleError):
    """An answer could not be taken."""


class CannotAnswer(AnswerError):
    """The person may not answer this form (now)."""


class AlreadyAnswered(AnswerError):
    """The person answered this form before (or a concurrent submission of theirs won)."""

    def __init__(self) -> None:
        super().__init__(_l("Anda sudah mengisi formulir ini."))


class InvalidAnswers(AnswerError):
    """Some answers are missing or wrong; ``errors`` maps question ids to messages."""

    def __init__(self, errors: dict[int, Any]) -> None:
        super().__init__(
            lazy_ngettext(
                "Periksa kembali jawaban yang ditandai: %(num)d pertanyaan.",
                "Periksa kembali jawaban yang ditandai: %(num)d pertanyaan.",
                len(errors),
            )
        )
        self.errors = errors


class AnalysisError(RuleError):
    """A needs-analysis or program-review rule was broken."""


def can_analyse(user: Actor) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def _require_analyse(user: Actor) -> None:
    require(user, Permission.ORGANIZE)


# ---------------------------------------------------------------- who may do what


def can_build(user: Actor) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def can_manage(user: User, form: FeedbackForm) -> bool:
    """Whether the user may edit the form and read its results: its owner, its workshop's organizer, admins."""
    if not can_build(user):
        return False
    if user.is_admin or form.owner_id == user.id:
        return True
    return form.workshop is not None and workshops.can_manage(user, form.workshop)


def _require_build(user: Actor) -> None:
    if not can_build(user):
        raise PermissionDenied("feedback.build")


def _require_manage(user: User, form: FeedbackForm) -> None:
    if not can_manage(user, form):
        raise PermissionDenied("feedback.manage")


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


# ---------------------------------------------------------------- the lock, the change time, the public token


def _locked(form_id: int) -> AbstractContextManager[FeedbackForm]:
    """The form, locked against concurrent changes and submissions until the caller commits or fails."""
    return locked_row(db.session(), FeedbackForm, form_id, FeedbackError(_l("Formulir tidak ditemukan.")))


def _touch(form: FeedbackForm) -> None:
    form.updated_at = utcnow()


def _new_token() -> str:
    return secrets.token_urlsafe(32)
