"""Checks for the fields of an import line, shared by every record type.

Each raises :class:`ImportFieldError` (a ``ValueError``: the import runner rejects the line with its message).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l

EXTERNAL_ID_MAX = 100


class ImportFieldError(RuleError):
    """A field of an import line is missing or malformed."""


def external_id(value: Any) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise ImportFieldError(_l("external_id wajib diisi."))
    value = str(value).strip()
    if len(value) > EXTERNAL_ID_MAX:
        raise ImportFieldError(_l("external_id maksimal %(max)d karakter.", max=EXTERNAL_ID_MAX))
    return value


def author(nip: Any, actor: User) -> User:
    """The author named by NIP, or the importing admin when the NIP is absent or unknown."""
    if not nip:
        return actor
    found = accounts.get_by_nip(str(nip))
    return found if found is not None else actor


def moment(value: Any, name: str = "created_at") -> datetime | None:
    """An ISO 8601 date-time; one without a zone is Sawahlunto local time."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ImportFieldError(
            _l("%(field)s bukan tanggal ISO 8601 yang valid: %(value)s", field=name, value=str(value)[:40])
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return parsed


def integer(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportFieldError(_l("%(field)s harus berupa bilangan bulat.", field=name))
    return value


def text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFieldError(_l("%(field)s harus berupa teks.", field=name))
    return value


def strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ImportFieldError(_l("%(field)s harus berupa daftar teks.", field=name))
    return value
