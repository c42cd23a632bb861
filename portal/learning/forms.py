"""Forms of the ledger: a self-reported record, the verifier's decisions, JP rules and annual targets."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.core.dates import LocalDateField
from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.learning.models import JpUnit, LimitPeriod
from portal.learning.services.rules import PERIOD_LABELS, UNIT_LABELS
from portal.learning.services.targets import KIND_LABELS

_Date = LocalDateField  # dd/mm/yyyy on screen, ISO accepted; the error in the portal's language


class _Number(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Isi dengan bilangan bulat.")) from None


class RecordForm(PortalForm):
    development_type_id = SelectField(
        _l("Jenis pengembangan kompetensi"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Pilih jenis pengembangan kompetensi."))],
    )
    leadership_level_id = SelectField(
        _l("Tingkat pelatihan kepemimpinan (hanya KL01)"), coerce=int, validate_choice=False, default=0
    )
    title = StringField(_l("Nama kegiatan"), validators=[InputRequired(_l("Isi nama kegiatan.")), Length(max=200)])
    provider = StringField(_l("Penyelenggara"), validators=[InputRequired(_l("Isi penyelenggara.")), Length(max=200)])
    start_date = _Date(_l("Tanggal mulai"), validators=[InputRequired(_l("Isi tanggal mulai."))])
    end_date = _Date(_l("Tanggal selesai"), validators=[InputRequired(_l("Isi tanggal selesai."))])
    quantity = _Number(_l("Jumlah hari/sesi/kegiatan"), default=1, validators=[InputRequired(_l("Isi jumlahnya."))])
    is_international = BooleanField(_l("Kegiatan internasional"))
    jp_claimed = _Number(_l("JP yang diajukan"), validators=[InputRequired(_l("Isi JP yang diajukan."))])
    competencies = SelectMultipleField(_l("Kompetensi yang dikembangkan"), validate_choice=False)
    certificate_number = StringField(_l("Nomor sertifikat"), validators=[Length(max=40)])
    description = TextAreaField(_l("Uraian singkat: apa yang Anda pelajari"), validators=[Length(max=2000)])
    evidence = FileField(_l("Bukti (sertifikat/surat tugas: PDF, JPG atau PNG)"))
    acknowledge_duplicate = BooleanField(
        _l("Saya sudah memeriksa: kegiatan ini berbeda dari kegiatan yang sudah tercatat, tetap ajukan")
    )


class ApproveForm(PortalForm):
    jp = _Number(_l("JP diakui"), validators=[Optional()])
    approve_note = TextAreaField(_l("Catatan untuk pegawai (opsional)"), validators=[Length(max=1000)])
    not_duplicate = BooleanField(_l("Bukan duplikat: kegiatan ini berbeda dari kegiatan yang mirip"))
    not_duplicate_reason = TextAreaField(_l("Alasan bukan duplikat"), validators=[Length(max=1000)])


class ReturnForm(PortalForm):
    return_note = TextAreaField(_l("Yang perlu diperbaiki"), validators=[Length(max=1000)])


class RejectForm(PortalForm):
    reason = TextAreaField(_l("Alasan penolakan"), validators=[Length(max=1000)])


class RuleForm(PortalForm):
    unit = SelectField(_l("Dihitung"), choices=lambda: [(u.value, UNIT_LABELS[u]) for u in JpUnit])
    jp_per_unit = _Number(_l("JP per satuan"), validators=[Optional()])
    jp_international = _Number(_l("JP per satuan untuk kegiatan internasional"), validators=[Optional()])
    max_units = _Number(_l("Batas jumlah"), validators=[Optional()])
    limit_period = SelectField(
        _l("Per periode"),
        choices=lambda: [("", _l("Tanpa batas")), *((p.value, PERIOD_LABELS[p]) for p in LimitPeriod)],
    )
    note = StringField(_l("Catatan"), validators=[Length(max=300)])
    source = StringField(_l("Sumber konversi"), validators=[Length(max=300)])


def _kind_choices() -> list[tuple[str, Any]]:
    return [(kind.value, label) for kind, label in KIND_LABELS.items()]


class TargetForm(PortalForm):
    year = _Number(_l("Tahun"), validators=[Optional()])
    pns = _Number(_l("JP PNS dan CPNS"), validators=[Optional()])
    # The service checks the kind and answers in Indonesian; WTForms' choice message is English only.
    pns_kind = SelectField(_l("Jenis aturan PNS dan CPNS"), choices=_kind_choices, validate_choice=False)
    pns_basis = StringField(_l("Dasar hukum PNS dan CPNS"))
    pppk = _Number(_l("JP PPPK (per tahun kontrak)"), validators=[Optional()])
    pppk_kind = SelectField(_l("Jenis aturan PPPK"), choices=_kind_choices, validate_choice=False)
    pppk_basis = StringField(_l("Dasar hukum PPPK"))


class ClaimForm(PortalForm):
    key = StringField(validators=[Length(max=60)])
