from __future__ import annotations

from typing import Any

from wtforms import SelectField

from portal.accounts.forms import RegisterForm
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


class UserCreateForm(RegisterForm):
    """The registration form plus the role; the service validates NIP, email and password the same way."""

    # The service answers an unknown role with its own message, so a forged value is not a WTForms error.
    role = SelectField(_l("Peran"), choices=role_choices, default=Role.MEMBER.value, validate_choice=False)
