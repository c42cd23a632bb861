"""The import runner and the registry of record types."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, has_permission
from portal.extensions import db


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


# handler(record, actor) -> Outcome. It adds and flushes but never commits; a ValueError rejects the line.
ImportHandler = Callable[[Mapping[str, Any], Any], Outcome]

_importers: dict[str, ImportHandler] = {}


class ImportRejected(ValueError):
    """The whole import cannot start (bad --as user)."""


def register_importer(type_name: str, handler: ImportHandler) -> None:
    _importers[type_name] = handler


def registered_types() -> list[str]:
    return sorted(_importers)


@dataclass
class LineFailure:
    line: int
    reason: str


@dataclass
class ImportReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    failures: list[LineFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def importing_admin(nip: str) -> Any:
    """The admin on whose behalf the import runs (and who authors records without a known author)."""
    user = accounts.get_by_nip(nip or "")
    if user is None:
        raise ImportRejected(_l("Pengguna dengan NIP %(nip)s tidak ditemukan.", nip=nip))
    if not has_permission(user, Permission.MANAGE_CONTENT):
        raise ImportRejected(_l("Impor hanya boleh dijalankan atas nama admin yang aktif."))
    return user


def run_import(lines: Iterable[str], actor: User) -> ImportReport:
    report = ImportReport()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            outcome = _import_line(line, actor)
        except (ValueError, IntegrityError) as error:
            db.session.rollback()
            report.failures.append(LineFailure(number, _reason(error)))
        else:
            db.session.commit()
            report.counts[outcome] += 1
    return report


def _reason(error: Exception) -> str:
    if isinstance(error, IntegrityError):
        return str(_l("Data bentrok dengan data yang sudah ada."))
    return str(getattr(error, "message", error))


def _import_line(line: str, actor: User) -> Outcome:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(_l("JSON tidak valid (%(detail)s).", detail=error.msg)) from None
    if not isinstance(record, dict):
        raise ValueError(_l("Setiap baris harus berupa satu objek JSON."))
    handler = _importers.get(record.get("type"))  # type: ignore[arg-type]
    if handler is None:
        raise ValueError(
            _l(
                'Jenis "%(type)s" tidak dikenal; jenis yang didukung: %(known)s.',
                type=str(record.get("type", ""))[:40],
                known=", ".join(registered_types()),
            )
        )
    with db.session.begin_nested():
        return handler(record, actor)
