"""Forms for positions, the competency profile and the development plan (the services hold the rules)."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int
from portal.learning.services.positions import JOB_TYPE_LABELS

MONTHS: tuple[Any, ...] = (
    _l("Januari"),
    _l("Februari"),
    _l("Maret"),
    _l("April"),
    _l("Mei"),
    _l("Juni"),
    _l("Juli"),
    _l("Agustus"),
    _l("September"),
    _l("Oktober"),
    _l("November"),
    _l("Desember"),
)


def level_choices() -> list[tuple[str, str]]:
    return [(str(level), str(level)) for level in range(1, 6)]


def optional_int(value: Any) -> int | None:
    """Select and number fields: an empty, non-numeric or out-of-range value is None (the service says what is
    missing)."""
    return db_int(value)


def job_type_choices() -> list[tuple[str, Any]]:
    return [(job_type.value, label) for job_type, label in JOB_TYPE_LABELS.items()]


class PositionForm(PortalForm):
    code = StringField(_l("Kode jabatan"), validators=[DataRequired(message=_l("Kode jabatan wajib diisi."))])
    name = StringField(_l("Nama jabatan"), validators=[DataRequired(message=_l("Nama jabatan wajib diisi."))])
    job_type = SelectField(_l("Jenis jabatan"), choices=job_type_choices, validate_choice=False)
    unit_id = SelectField(_l("Unit kerja"), validate_choice=False)


class RequirementForm(PortalForm):
    competency_id = SelectField(_l("Kompetensi"), coerce=optional_int, validate_choice=False)
    level = SelectField(_l("Level standar"), choices=level_choices, default="2", validate_choice=False)


class PositionImportForm(PortalForm):
    file = FileField(_l("Berkas CSV atau XLSX"))
    dry_run = BooleanField(_l("Periksa saja, jangan simpan"))


class AssessmentForm(PortalForm):
    level = RadioField(_l("Level Anda saat ini"), choices=level_choices, validate_choice=False)
    evidence = TextAreaField(_l("Bukti atau contoh"), validators=[Optional()])


class PlanForm(PortalForm):
    competencies = SelectMultipleField(_l("Kompetensi sasaran"), coerce=optional_int, validate_choice=False)
    note = TextAreaField(_l("Catatan untuk atasan"), validators=[Optional()])


class PlanItemForm(PortalForm):
    workshop_id = SelectField(_l("Pelatihan dari katalog"), coerce=optional_int, validate_choice=False)
    title = StringField(_l("Nama kegiatan"))
    development_type_id = SelectField(_l("Jenis pengembangan"), coerce=optional_int, validate_choice=False)
    competency_id = SelectField(_l("Kompetensi yang dikembangkan"), coerce=optional_int, validate_choice=False)
    planned_jp = IntegerField(_l("JP rencana"), validators=[Optional()])
    planned_month = SelectField(_l("Bulan rencana"), coerce=optional_int, validate_choice=False)

    def fill_months(self) -> None:
        self.planned_month.choices = [("", _l("Belum ditentukan"))] + [
            (str(number), label) for number, label in enumerate(MONTHS, start=1)
        ]


class DecisionForm(PortalForm):
    note = TextAreaField(_l("Catatan untuk pegawai"), validators=[Optional()])
