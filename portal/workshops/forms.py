from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.dates import LocalDateField, LocalDateTimeField
from portal.core.forms import PortalForm, PortalSubform
from portal.core.i18n import lazy_gettext as _l

SESSION_ROWS = 5  # empty rows are ignored; the service allows up to MAX_SESSIONS


class SessionForm(PortalSubform):
    day = LocalDateField(_l("Tanggal"), validators=[Optional()])
    start = TimeField(_l("Jam mulai"), validators=[Optional()])
    end = TimeField(_l("Jam selesai"), validators=[Optional()])


class WorkshopForm(PortalForm):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Judul wajib diisi.")), Length(max=200)])
    origin = HiddenField(validators=[Length(max=60)])  # "program:12", "kebutuhan:7": see core.signals.workshop_created
    description = TextAreaField(_l("Deskripsi (Markdown)"))
    development_type_id = SelectField(_l("Jenis pengembangan kompetensi"), coerce=int, validate_choice=False)
    competencies = SelectMultipleField(_l("Kompetensi"), validate_choice=False)
    provider_unit_id = SelectField(_l("Unit penyelenggara"), coerce=int, validate_choice=False)
    provider_name = StringField(_l("Atau lembaga penyelenggara dari luar"), validators=[Length(max=200)])
    trainers = StringField(_l("Pengajar (NIP pengguna portal, pisahkan dengan koma)"))
    trainer_names = StringField(
        _l("Pengajar dari luar (pisahkan nama dengan titik koma, misalnya: Rosna Dewi, M.Si.; Andri Yusman, S.Sos.)"),
        validators=[Length(max=500)],
    )
    location = StringField(_l("Lokasi"), validators=[Length(max=300)])
    online_url = StringField(_l("Tautan daring (https://)"), validators=[Length(max=500)])
    sessions = FieldList(FormField(SessionForm), min_entries=SESSION_ROWS, max_entries=SESSION_ROWS)
    capacity = IntegerField(_l("Kapasitas (kursi)"), validators=[Optional()])
    jp = IntegerField(_l("JP (kosongkan untuk memakai aturan JP jenis pengembangan)"), validators=[Optional()])
    jp_reason = TextAreaField(_l("Alasan JP berbeda dari aturan"), validators=[Length(max=500)])
    registration_opens_at = LocalDateTimeField(_l("Pendaftaran dibuka (WIB)"), validators=[Optional()])
    registration_closes_at = LocalDateTimeField(_l("Pendaftaran ditutup (WIB)"), validators=[Optional()])
    eligible_units = SelectMultipleField(
        _l("Terbuka untuk unit (kosong: semua unit)"), coerce=int, validate_choice=False
    )
    employment_filter = SelectField(
        _l("Status kepegawaian"),
        choices=lambda: [("all", _l("Semua ASN")), ("pns", _l("Hanya PNS/CPNS")), ("pppk", _l("Hanya PPPK"))],
    )
    approval_mode = SelectField(
        _l("Persetujuan pendaftaran"),
        choices=lambda: [("automatic", _l("Otomatis")), ("organizer", _l("Disetujui penyelenggara"))],
    )
    attendance_threshold = IntegerField(_l("Sesi minimal yang dihadiri (kosong: semua sesi)"), validators=[Optional()])
    signer_name = StringField(_l("Nama penanda tangan sertifikat"), validators=[Length(max=120)])
    signer_position = StringField(_l("Jabatan penanda tangan"), validators=[Length(max=200)])
    signer_nip = StringField(_l("NIP penanda tangan (opsional)"), validators=[Length(max=30)])


class SignerForm(PortalForm):
    """Who signs a unit's (or the city's) certificates, on the units admin page."""

    signer_name = StringField(_l("Nama penanda tangan"), validators=[Length(max=120)])
    signer_position = StringField(_l("Jabatan"), validators=[Length(max=200)])
    signer_nip = StringField(_l("NIP (opsional)"), validators=[Length(max=30)])


class LogoForm(PortalForm):
    logo = FileField(_l("Logo (PNG atau JPG, paling besar 1 MB)"))


class ReasonForm(PortalForm):
    reason = TextAreaField(_l("Alasan"), validators=[Length(max=500)])


class AddParticipantForm(PortalForm):
    nip = StringField(_l("NIP pegawai"), validators=[DataRequired(message=_l("NIP wajib diisi.")), Length(max=30)])
