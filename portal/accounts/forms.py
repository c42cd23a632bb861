from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.accounts.models import EmploymentStatus
from portal.accounts.services import Registration
from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int
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


NO_SUCH_UNIT = -1  # an id no unit has: the service answers "unit not found"


def _unit_id(value) -> int | None:
    """Text that is no number reads as no choice (WTForms' own coercion message is English only); a number beyond
    any id reads as an id no unit has, so both forged values get the message a user can act on."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if db_int(number) is not None else NO_SUCH_UNIT


# The fields the sign-up, profile and password forms share; made by a call so each form keeps its field order.


def _name_field() -> StringField:
    return StringField(
        _l("Nama lengkap (dengan gelar)"), validators=[_required(_l("Nama lengkap wajib diisi.")), _name_length()]
    )


def _contact_fields() -> tuple[EmailField, SelectField, StringField]:
    return (
        EmailField(_l("Email"), validators=[_required(_l("Email wajib diisi."))]),
        SelectField(_l("Unit kerja (OPD)"), coerce=_unit_id, validate_choice=False),
        StringField(_l("Jabatan"), validators=[_position_length()]),
    )


def _new_password_fields(
    label: Any, missing: Any, confirm_label: Any, confirm_missing: Any
) -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(label, validators=[_required(missing)]),
        PasswordField(
            confirm_label,
            validators=[_required(confirm_missing), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))],
        ),
    )


class LoginForm(PortalForm):
    identifier = StringField(_l("NIP atau email"), validators=[_required(_l("Isi NIP atau email Anda."))])
    password = PasswordField(_l("Kata sandi"), validators=[_required(_l("Isi kata sandi Anda."))])
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class RegisterForm(PortalForm):
    name = _name_field()
    nip = StringField(_l("NIP / NI PPPK"), validators=[_required(_l("NIP wajib diisi."))])
    # The service checks the status and answers in Indonesian; WTForms' choice message is English only.
    employment_status = SelectField(
        _l("Status kepegawaian"), choices=status_choices, default="PNS", validate_choice=False
    )
    email, unit_id, position = _contact_fields()
    password, password_confirm = _new_password_fields(
        _l("Kata sandi"), _l("Kata sandi wajib diisi."), _l("Ulangi kata sandi"), _l("Ulangi kata sandi Anda.")
    )


class ProfileForm(PortalForm):
    name = _name_field()
    handle = StringField(_l("Nama pengguna (untuk @sebutan)"), validators=[_required(_l("Nama pengguna wajib diisi."))])
    email, unit_id, position = _contact_fields()
    bio = TextAreaField(
        _l("Tentang saya"), validators=[Length(max=2000, message=_l("Tentang saya maksimal 2000 karakter."))]
    )
    current_password = PasswordField(_l("Kata sandi saat ini (wajib bila email diganti)"))


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[_required(_l("Isi kata sandi saat ini."))])
    password, password_confirm = _new_password_fields(
        _l("Kata sandi baru"),
        _l("Kata sandi baru wajib diisi."),
        _l("Ulangi kata sandi baru"),
        _l("Ulangi kata sandi baru."),
    )


class ForgotPasswordForm(PortalForm):
    identifier = StringField(_l("NIP atau email"), validators=[_required(_l("Isi NIP atau email Anda."))])


class ResetPasswordForm(PortalForm):
    password, password_confirm = _new_password_fields(
        _l("Kata sandi baru"),
        _l("Kata sandi baru wajib diisi."),
        _l("Ulangi kata sandi baru"),
        _l("Ulangi kata sandi baru."),
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
