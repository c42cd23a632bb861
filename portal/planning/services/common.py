"""What every planning module shares: errors, labels, who may do what, finding plans, and the version log."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, PermissionDenied, has_permission
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.services import oversight
from portal.planning.models import (
    CITY_SCOPE,
    AnnualPlan,
    AnnualPlanStatus,
    PlanLine,
    PlanProgram,
    PlanVersion,
    ProviderKind,
)

QUARTERS = (1, 2, 3, 4)
PARTICIPANTS_MAX = 10_000
COST_MAX = 1_000_000_000  # rupiah per participant
JP_MAX = 500
TITLE_MIN, TITLE_MAX, NOTE_MAX = 3, 200, 2000

STATUS_LABELS: dict[AnnualPlanStatus, Any] = {
    AnnualPlanStatus.DRAFT: _l("Draf"),
    AnnualPlanStatus.PROPOSED: _l("Diajukan ke BKPSDM"),
    AnnualPlanStatus.APPROVED: _l("Disetujui (terkunci)"),
}

PROVIDER_LABELS: dict[ProviderKind, Any] = {
    ProviderKind.BKPSDM: _l("BKPSDM Kota Sawahlunto"),
    ProviderKind.BPSDM: _l("BPSDM Provinsi Sumatera Barat"),
    ProviderKind.LAN: _l("Lembaga Administrasi Negara (LAN)"),
    ProviderKind.PARTNER: _l("Lembaga mitra"),
    ProviderKind.ELEARNING: _l("E-learning"),
}

ACTION_LABELS: dict[str, Any] = {
    "submitted": _l("diajukan"),
    "returned": _l("dikembalikan"),
    "approved": _l("disetujui"),
    "reopened": _l("dibuka untuk perubahan (versi baru)"),
}


class PlanningError(RuleError):
    """A planning rule was broken; ``message`` is for the user."""


def local_today() -> date:
    return to_local(utcnow()).date()


def planning_years() -> list[int]:
    """The years shown: next year (plans are made ahead), this year and the last two."""
    year = local_today().year
    return [year + 1, year, year - 1, year - 2]


def check_year(year: int) -> int:
    if year not in planning_years():
        raise PlanningError(_l("Tahun rencana di luar rentang yang bisa direncanakan."), "year")
    return year


# ---------------------------------------------------------------- who may do what


def can_approve(actor: Actor) -> bool:
    """BKPSDM: consolidate, approve, reopen, return a proposal."""
    return has_permission(actor, Permission.APPROVE_PLAN)


def can_propose(actor: Actor, unit_id: int | None) -> bool:
    """The OPD's organizers and its head write its plan; BKPSDM may too."""
    if unit_id is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if can_approve(actor):
        return True
    if has_permission(actor, Permission.PROPOSE_PLAN) and actor.unit_id == unit_id:
        return True
    return unit_id in oversight.headed_unit_ids(actor)


def proposable_unit_ids(actor: Actor) -> list[int]:
    """The OPDs whose plan the actor writes (every OPD for BKPSDM: the caller lists them)."""
    ids = set(oversight.headed_unit_ids(actor))
    if has_permission(actor, Permission.PROPOSE_PLAN) and actor.unit_id is not None:
        ids.add(actor.unit_id)
    return sorted(ids)


def can_read(actor: Actor, plan: AnnualPlan) -> bool:
    """An approved plan is open to every signed-in ASN; a draft or proposal to its writers and BKPSDM."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if plan.status == AnnualPlanStatus.APPROVED or can_approve(actor):
        return True
    return not plan.is_city and can_propose(actor, plan.unit_id)


def require_propose(actor: Actor, unit_id: int | None) -> None:
    if not can_propose(actor, unit_id):
        raise PermissionDenied("planning.propose")


def require_approve(actor: Actor) -> None:
    if not can_approve(actor):
        raise PermissionDenied("planning.approve")


# ---------------------------------------------------------------- finding plans


def _with_details(stmt):
    return stmt.options(
        selectinload(AnnualPlan.lines).selectinload(PlanLine.target_positions),
        selectinload(AnnualPlan.programs).selectinload(PlanProgram.quotas),
        selectinload(AnnualPlan.programs).selectinload(PlanProgram.lines),
    )


def get_plan(plan_id: int) -> AnnualPlan | None:
    return db.session.scalar(_with_details(select(AnnualPlan).where(AnnualPlan.id == plan_id)))


def plan_of(year: int, unit_id: int | None) -> AnnualPlan | None:
    scope = CITY_SCOPE if unit_id is None else str(unit_id)
    stmt = select(AnnualPlan).where(AnnualPlan.year == year, AnnualPlan.scope == scope)
    return db.session.scalar(_with_details(stmt))


def ensure_plan(year: int, unit_id: int | None) -> AnnualPlan:
    """The plan of the year and scope, created as a draft when missing (flushed, not committed)."""
    plan = plan_of(year, unit_id)
    if plan is None:
        plan = AnnualPlan(year=year, unit_id=unit_id, scope=CITY_SCOPE if unit_id is None else str(unit_id))
        db.session.add(plan)
        db.session.flush()
    return plan


def opd_plans(year: int) -> list[AnnualPlan]:
    stmt = select(AnnualPlan).where(AnnualPlan.year == year, AnnualPlan.unit_id.is_not(None))
    plans = list(db.session.scalars(_with_details(stmt)))
    return sorted(plans, key=lambda p: p.unit.name if p.unit else "")


def get_line(line_id: int) -> PlanLine | None:
    return db.session.get(PlanLine, line_id)


def get_program(program_id: int) -> PlanProgram | None:
    return db.session.get(PlanProgram, program_id)


def require_unlocked(plan: AnnualPlan) -> None:
    if plan.status == AnnualPlanStatus.APPROVED:
        raise PlanningError(_l("Rencana ini sudah disetujui dan terkunci. Buka versi baru untuk mengubahnya."), "plan")


# ---------------------------------------------------------------- versions


def _line_snapshot(line: PlanLine) -> dict[str, Any]:
    return {
        "title": line.title,
        "competency": line.competency.code,
        "type": line.development_type.code,
        "participants": line.participants,
        "quarter": line.quarter,
        "jp": line.jp,
        "provider": line.provider_kind.value,
        "provider_name": line.provider_name,
        "cost_per_participant": line.cost_per_participant,
        "positions": [p.name for p in line.target_positions],
        "target": line.target_note,
    }


def _program_snapshot(program: PlanProgram) -> dict[str, Any]:
    return {
        "title": program.title,
        "competency": program.competency.code,
        "type": program.development_type.code,
        "quarter": program.quarter,
        "jp": program.jp,
        "provider": program.provider_kind.value,
        "provider_name": program.provider_name,
        "cost_per_participant": program.cost_per_participant,
        "quotas": {q.unit.label: q.quota for q in program.quotas if q.quota},
    }


def snapshot(plan: AnnualPlan) -> str:
    items = [_program_snapshot(p) for p in plan.programs] if plan.is_city else [_line_snapshot(x) for x in plan.lines]
    return json.dumps({"year": plan.year, "version": plan.version, "items": items}, ensure_ascii=False)


def log_version(actor: Actor, plan: AnnualPlan, action: str, note: str = "") -> PlanVersion:
    entry = PlanVersion(
        plan_id=plan.id, version=plan.version, action=action, note=note, snapshot=snapshot(plan), actor_id=actor.id
    )
    db.session.add(entry)
    return entry


def snapshot_items(entry: PlanVersion) -> list[dict[str, Any]]:
    try:
        return list(json.loads(entry.snapshot or "{}").get("items", []))
    except ValueError:
        return []
