from __future__ import annotations

from typing import Any

from wtforms import SelectField
from wtforms.validators import Optional

from portal.accounts.forms import RegisterForm
from portal.core.dates import LocalDateField
from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Role

ROLE_LABELS: dict[Role, Any] = {
    Role.MEMBER: _l("Anggota"),
    Role.ORGANIZER: _l("Penyelenggara"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Admin"),
}

STATE_LABELS: dict[str, Any] = {
    "pending": _l("Menunggu verifikasi"),
    "active": _l("Aktif"),
    "inactive": _l("Nonaktif"),
}


def role_choices() -> list[tuple[str, Any]]:
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


_Date = LocalDateField  # dd/mm/yyyy on screen, ISO accepted; the error in the portal's language


def _contract_start() -> _Date:
    return _Date(_l("Mulai kontrak (PPPK)"), validators=[Optional()])


def _contract_end() -> _Date:
    return _Date(_l("Akhir kontrak (PPPK)"), validators=[Optional()])


class UserCreateForm(RegisterForm):
    """The registration form plus the role and a PPPK's contract dates; the service validates NIP, email, password
    and the dates the same way."""

    # The service answers an unknown role with its own message, so a forged value is not a WTForms error.
    role = SelectField(_l("Peran"), choices=role_choices, default=Role.MEMBER.value, validate_choice=False)
    contract_start = _contract_start()
    contract_end = _contract_end()


class ContractForm(PortalForm):
    """A PPPK's employment contract dates on the user's admin page."""

    contract_start = _contract_start()
    contract_end = _contract_end()
