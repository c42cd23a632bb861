"""The rules every admin-managed catalogue (units, competencies, positions) writes the same way.

A catalogue entry has a unique code, is edited with an audit entry naming what changed, and is deactivated rather
than deleted. `core` imports no feature, so the caller passes its audit writer (``audit.services.record``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped

from portal.core.permissions import Actor, Permission, require
from portal.extensions import db


class AuditWriter(Protocol):
    def __call__(self, actor: Actor | None, action: str, target: Any, /, **details: Any) -> object: ...


class Switchable(Protocol):
    """A catalogue entry: has a code and can be deactivated (mapped columns, as in `permissions.Actor`)."""

    is_active: Mapped[bool]

    @property
    def code(self) -> Mapped[str | None]: ...  # read only, so a nullable code (positions) fits too


def plain(value: Any) -> Any:
    """An enum as its stored value, anything else as it is (audit details are stored as JSON)."""
    return value.value if isinstance(value, enum.Enum) else value


def commit_unique(conflict: Exception) -> None:
    """Commit; a unique constraint violated between the service's check and the write (another admin saved the
    same code or name meanwhile) rolls back and raises `conflict`, the user-facing error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise conflict from None


def changes(record: object, values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields `values` would change on `record`, as ``{field: {"old": …, "new": …}}`` for the audit log."""
    return {
        key: {"old": plain(getattr(record, key)), "new": plain(value)}
        for key, value in values.items()
        if getattr(record, key) != value
    }


def update_audited(
    actor: Actor, record: object, values: Mapping[str, Any], *, action: str, audit: AuditWriter, conflict: Exception
) -> bool:
    """Write the validated `values` onto `record` with one audit entry listing the changes, and commit (see
    `commit_unique`). Nothing is written when nothing changes; returns whether something did."""
    changed = changes(record, values)
    if not changed:
        return False
    for key, value in values.items():
        setattr(record, key, value)
    audit(actor, action, record, **changed)
    commit_unique(conflict)
    return True


def set_active(
    actor: Actor, record: Switchable, active: bool, *, permission: Permission, action: str, audit: AuditWriter
) -> None:
    """(De)activate a catalogue entry: checks `permission`, audits ``<action>.activate``/``<action>.deactivate``
    with the entry's code, and commits; nothing happens when the entry is already in that state."""
    require(actor, permission)
    if record.is_active == active:
        return
    record.is_active = active
    audit(actor, f"{action}.activate" if active else f"{action}.deactivate", record, code=record.code)
    db.session.commit()
