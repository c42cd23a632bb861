"""Forms of the annual development plan."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int
from portal.planning.services import PROVIDER_LABELS, QUARTERS


class _Number(IntegerField):
    """A whole number whose parse error is in the portal's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Isi dengan bilangan bulat.")) from None


def _int_or_none(value: object) -> int | None:
    """A select's value as a number; anything else (or out of range) as None: the service then names the field."""
    return db_int(value)


def _quarters() -> list[tuple[int, str]]:
    return [(q, str(_l("Triwulan %(n)d", n=q))) for q in QUARTERS]


def _providers() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in PROVIDER_LABELS.items()]


class LineForm(PortalForm):
    competency_id = SelectField(
        _l("Kompetensi"),
        coerce=_int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Pilih kompetensi."))],
    )
    title = StringField(_l("Nama kegiatan (kosong: nama kompetensi)"), validators=[Length(max=200)])
    target_positions = SelectMultipleField(_l("Jabatan sasaran"), coerce=_int_or_none, validate_choice=False)
    target_note = StringField(_l("Kelompok sasaran lain (bidang, seksi, unit)"), validators=[Length(max=300)])
    participants = _Number(_l("Jumlah peserta"), validators=[InputRequired(_l("Isi jumlah peserta."))])
    quarter = SelectField(_l("Triwulan"), coerce=_int_or_none, validate_choice=False, choices=_quarters)
    development_type_id = SelectField(
        _l("Metode (jenis pengembangan)"),
        coerce=_int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Pilih metode."))],
    )
    jp = _Number(_l("JP per peserta (kosong: dari aturan JP jenisnya)"), validators=[Optional()])
    provider_kind = SelectField(_l("Penyelenggara"), choices=_providers)
    provider_name = StringField(_l("Nama lembaga mitra"), validators=[Length(max=200)])
    cost_per_participant = _Number(_l("Perkiraan biaya per peserta (Rp)"), validators=[Optional()])
    source = HiddenField(validators=[Length(max=30)])


class NoteForm(PortalForm):
    note = TextAreaField(_l("Alasan"), validators=[InputRequired(_l("Tuliskan alasannya.")), Length(max=2000)])


class MergeForm(PortalForm):
    lines = SelectMultipleField(_l("Butir usulan OPD"), coerce=_int_or_none, validate_choice=False)
    program_id = SelectField(_l("Gabungkan ke"), coerce=_int_or_none, validate_choice=False)
    title = StringField(_l("Nama program baru (kosong: nama butir pertama)"), validators=[Length(max=200)])


class QuotaForm(PortalForm):
    unit_id = HiddenField()
    quota = _Number(_l("Kuota"), validators=[InputRequired(_l("Isi kuota."))])


class ProgramForm(PortalForm):
    title = StringField(_l("Nama program"), validators=[InputRequired(_l("Isi nama program.")), Length(max=200)])
    quarter = SelectField(_l("Triwulan"), coerce=_int_or_none, validate_choice=False, choices=_quarters)
    jp = _Number(_l("JP per peserta"), validators=[InputRequired(_l("Isi JP per peserta."))])
    cost_per_participant = _Number(_l("Biaya per peserta (Rp)"), validators=[InputRequired(_l("Isi biaya."))])
    provider_kind = SelectField(_l("Penyelenggara"), choices=_providers)
    provider_name = StringField(_l("Nama lembaga mitra"), validators=[Length(max=200)])


class InviteForm(PortalForm):
    users = SelectMultipleField(_l("Pegawai"), coerce=_int_or_none, validate_choice=False)


class CostForm(PortalForm):
    realised_cost = _Number(_l("Biaya realisasi (Rp)"), validators=[Optional()])
