"""Writing and reading the audit log. Entries are added to the caller's transaction, never committed here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, require
from portal.extensions import db


def record(actor: Any, action: str, target: Any, label: str | None = None, **details: Any) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=getattr(target, "id", None),
        target_label=(label if label is not None else str(target or ""))[:255],
        details=details,
    )
    db.session.add(entry)
    return entry


def list_entries(viewer: Any, page: int, action: str | None = None, per_page: int = 50) -> Page[AuditEntry]:
    require(viewer, Permission.VIEW_AUDIT_LOG)
    stmt = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return paginate(stmt, page, per_page)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
