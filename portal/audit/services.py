"""Writing and reading the audit log. Entries are added to the caller's transaction, never committed here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, require
from portal.extensions import db

# Readable names for the actions the admin pages know; other features' actions show their code.
ACTION_LABELS: dict[str, Any] = {
    "user.create": _l("Akun dibuat"),
    "user.verify": _l("Akun diverifikasi"),
    "user.role": _l("Peran diubah"),
    "user.deactivate": _l("Akun dinonaktifkan"),
    "user.activate": _l("Akun diaktifkan kembali"),
    "user.contract": _l("Tanggal kontrak PPPK diubah"),
    "unit.create": _l("Unit dibuat"),
    "unit.update": _l("Unit diubah"),
    "unit.deactivate": _l("Unit dinonaktifkan"),
    "unit.activate": _l("Unit diaktifkan kembali"),
    "competency.create": _l("Kompetensi dibuat"),
    "competency.update": _l("Kompetensi diubah"),
    "competency.deactivate": _l("Kompetensi dinonaktifkan"),
    "competency.activate": _l("Kompetensi diaktifkan kembali"),
    "competency.confirm": _l("Level kompetensi dikonfirmasi"),
    "user.position": _l("Jabatan pegawai ditetapkan"),
    "user.supervisor": _l("Atasan langsung diubah"),
    "unit.head_appoint": _l("Kepala unit ditetapkan"),
    "unit.head_replace": _l("Kepala unit diganti"),
    "unit.head_relieve": _l("Kepala unit diberhentikan"),
    "position.create": _l("Jabatan dibuat"),
    "position.update": _l("Data jabatan diubah"),
    "position.deactivate": _l("Jabatan dinonaktifkan"),
    "position.activate": _l("Jabatan diaktifkan kembali"),
    "position.requirement": _l("Standar kompetensi jabatan diubah"),
    "position.import": _l("Jabatan diimpor"),
    "plan.approve": _l("Rencana pengembangan disetujui"),
    "plan.return": _l("Rencana pengembangan dikembalikan"),
}


def action_label(action: str) -> Any:
    return ACTION_LABELS.get(action, action)


def record(actor: Actor | None, action: str, target: Any, label: str | None = None, **details: Any) -> AuditEntry:
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


def list_entries(viewer: Actor, page: int, action: str | None = None, per_page: int = 50) -> Page[AuditEntry]:
    require(viewer, Permission.VIEW_AUDIT_LOG)
    stmt = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return paginate(stmt, page, per_page)


def entries_for(viewer: Actor, target: Any, limit: int = 20) -> list[AuditEntry]:
    """The latest entries about one object (a user's history on their admin page)."""
    require(viewer, Permission.VIEW_AUDIT_LOG)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.target_type == type(target).__name__.lower(), AuditEntry.target_id == target.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
