from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.accounts.models import EmploymentStatus
from portal.accounts.services import Registration
from portal.core.i18n import lazy_gettext as _l
from portal.units import services as units


def status_choices() -> list[tuple[str, str]]:
    return [
        (EmploymentStatus.PNS.value, _l("PNS")),
        (EmploymentStatus.CPNS.value, _l("CPNS")),
        (EmploymentStatus.PPPK.value, _l("PPPK")),
        (EmploymentStatus.PPPK_PART_TIME.value, _l("PPPK paruh waktu")),
    ]


def _required(message):
    return DataRequired(message=message)


def _name_length():
    return Length(max=160, message=_l("Nama lengkap maksimal 160 karakter."))


def _position_length():
    return Length(max=200, message=_l("Jabatan maksimal 200 karakter."))


def _unit_id(value) -> int | None:
    """A forged, non-numeric unit id reads as no choice (WTForms' own coercion message is English only)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class LoginForm(FlaskForm):
    identifier = StringField(_l("NIP atau email"), validators=[_required(_l("Isi NIP atau email Anda."))])
    password = PasswordField(_l("Kata sandi"), validators=[_required(_l("Isi kata sandi Anda."))])
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Nama lengkap (dengan gelar)"), validators=[_required(_l("Nama lengkap wajib diisi.")), _name_length()]
    )
    nip = StringField(_l("NIP / NI PPPK"), validators=[_required(_l("NIP wajib diisi."))])
    # The service checks the status and answers in Indonesian; WTForms' choice message is English only.
    employment_status = SelectField(
        _l("Status kepegawaian"), choices=status_choices, default="PNS", validate_choice=False
    )
    email = EmailField(_l("Email"), validators=[_required(_l("Email wajib diisi."))])
    unit_id = SelectField(_l("Unit kerja (OPD)"), coerce=_unit_id, validate_choice=False)
    position = StringField(_l("Jabatan"), validators=[_position_length()])
    password = PasswordField(_l("Kata sandi"), validators=[_required(_l("Kata sandi wajib diisi."))])
    password_confirm = PasswordField(
        _l("Ulangi kata sandi"),
        validators=[
            _required(_l("Ulangi kata sandi Anda.")),
            EqualTo("password", message=_l("Kedua kata sandi tidak sama.")),
        ],
    )


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Nama lengkap (dengan gelar)"), validators=[_required(_l("Nama lengkap wajib diisi.")), _name_length()]
    )
    handle = StringField(_l("Nama pengguna (untuk @sebutan)"), validators=[_required(_l("Nama pengguna wajib diisi."))])
    email = EmailField(_l("Email"), validators=[_required(_l("Email wajib diisi."))])
    unit_id = SelectField(_l("Unit kerja (OPD)"), coerce=_unit_id, validate_choice=False)
    position = StringField(_l("Jabatan"), validators=[_position_length()])
    bio = TextAreaField(
        _l("Tentang saya"), validators=[Length(max=2000, message=_l("Tentang saya maksimal 2000 karakter."))]
    )
    current_password = PasswordField(_l("Kata sandi saat ini (wajib bila email diganti)"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[_required(_l("Isi kata sandi saat ini."))])
    password = PasswordField(_l("Kata sandi baru"), validators=[_required(_l("Kata sandi baru wajib diisi."))])
    password_confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            _required(_l("Ulangi kata sandi baru.")),
            EqualTo("password", message=_l("Kedua kata sandi tidak sama.")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(_l("NIP atau email"), validators=[_required(_l("Isi NIP atau email Anda."))])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[_required(_l("Kata sandi baru wajib diisi."))])
    password_confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            _required(_l("Ulangi kata sandi baru.")),
            EqualTo("password", message=_l("Kedua kata sandi tidak sama.")),
        ],
    )


def unit_choices() -> list[tuple[int, str]]:
    """Active units for a select, after a "choose" placeholder whose value the service refuses."""
    return [(0, _("— Pilih unit kerja —")), *units.choices()]


def registration_from(form: RegisterForm) -> Registration:
    return Registration(
        # Required fields: validation guarantees their data.
        nip=form.nip.data or "",
        name=form.name.data or "",
        email=form.email.data or "",
        password=form.password.data or "",
        unit_id=form.unit_id.data,
        position=form.position.data,
        employment_status=form.employment_status.data,
    )
