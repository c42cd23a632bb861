from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectField
from wtforms.validators import Optional

from portal.accounts.forms import RegisterForm
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


class _Date(DateField):
    """A date field whose parse error is in the portal's language (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Tanggal tidak valid.")) from None


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
