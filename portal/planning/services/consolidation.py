"""BKPSDM's city plan: OPD items merged into programs with a quota per OPD, approval (which locks it and the OPD
plans in it) and reopening as a new version. Every approval and reopening is kept in the version history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.planning.models import AnnualPlan, AnnualPlanStatus, PlanLine, PlanProgram, ProgramQuota, ProviderKind
from portal.planning.services.common import (
    COST_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    QUARTERS,
    TITLE_MAX,
    TITLE_MIN,
    PlanningError,
    check_year,
    ensure_plan,
    get_line,
    log_version,
    opd_plans,
    plan_of,
    require_approve,
    require_unlocked,
)
from portal.planning.services.proposals import _whole
from portal.units import services as units

CONSOLIDATED = frozenset({AnnualPlanStatus.PROPOSED, AnnualPlanStatus.APPROVED})


def open_lines(year: int) -> list[PlanLine]:
    """Items of submitted OPD proposals not yet in a program: what BKPSDM still has to consolidate."""
    return [
        line
        for plan in opd_plans(year)
        if plan.status in CONSOLIDATED
        for line in plan.lines
        if line.program_id is None
    ]


def _recount_quotas(program: PlanProgram, unit_ids: set[int]) -> None:
    """The quota of each OPD named: the participants of its items in the program."""
    sums: dict[int, int] = defaultdict(int)
    for line in program.lines:
        if line.plan.unit_id is not None:
            sums[line.plan.unit_id] += line.participants
    by_unit = {q.unit_id: q for q in program.quotas}
    for unit_id in unit_ids:
        if unit_id in by_unit:
            by_unit[unit_id].quota = sums.get(unit_id, 0)
        else:
            program.quotas.append(ProgramQuota(unit_id=unit_id, quota=sums.get(unit_id, 0)))


def merge(
    actor: Actor, year: int, line_ids: Sequence[int], program_id: int | None = None, title: str = ""
) -> PlanProgram:
    """Put OPD items (of one competency) into a program of the city plan: a new one built from the first item, or
    an existing one. Each OPD's quota becomes the participants of its items in the program."""
    require_approve(actor)
    check_year(year)
    lines = [line for line in (get_line(i) for i in dict.fromkeys(line_ids)) if line is not None]
    lines = [line for line in lines if line.plan.year == year and line.plan.status in CONSOLIDATED]
    if not lines:
        raise PlanningError(_l("Pilih butir usulan OPD yang sudah diajukan."), "lines")
    existing = plan_of(year, None)
    if existing is not None:
        require_unlocked(existing)
    program = None
    if program_id is not None:
        program = next((p for p in (existing.programs if existing else []) if p.id == program_id), None)
        if program is None:
            raise PlanningError(_l("Program tidak ditemukan di rencana kota tahun ini."), "program_id")
    competency_id = program.competency_id if program else lines[0].competency_id
    if any(line.competency_id != competency_id for line in lines):
        raise PlanningError(_l("Butir yang digabung harus untuk kompetensi yang sama dengan programnya."), "lines")
    city = existing or ensure_plan(year, None)  # checked: from here on nothing is refused
    if program is None:
        first = lines[0]
        program = PlanProgram(
            plan_id=city.id,
            title=" ".join((title or "").split())[:TITLE_MAX] or first.title,
            competency_id=first.competency_id,
            development_type_id=first.development_type_id,
            quarter=first.quarter,
            jp=first.jp,
            provider_kind=first.provider_kind,
            provider_name=first.provider_name,
            cost_per_participant=first.cost_per_participant,
        )
        db.session.add(program)
        db.session.flush()
    for line in lines:
        line.program_id = program.id
    db.session.flush()
    db.session.refresh(program)
    _recount_quotas(program, {line.plan.unit_id for line in lines if line.plan.unit_id is not None})
    city.updated_at = utcnow()
    audit.record(actor, "planning.merge", city, label=f"{year} {program.title}", lines=[x.id for x in lines])
    db.session.commit()
    return program


def unmerge(actor: Actor, line: PlanLine) -> None:
    """Take an item out of its program (its OPD's quota drops by its participants); an empty program is removed."""
    require_approve(actor)
    program = line.program
    if program is None:
        return
    require_unlocked(program.plan)
    line.program_id = None
    db.session.flush()
    db.session.refresh(program)
    if not program.lines:
        db.session.delete(program)
    elif line.plan.unit_id is not None:
        _recount_quotas(program, {line.plan.unit_id})
    audit.record(actor, "planning.unmerge", line.plan, label=line.title, line_id=line.id)
    db.session.commit()


def set_quota(actor: Actor, program: PlanProgram, unit_id: int | None, quota: Any) -> ProgramQuota:
    require_approve(actor)
    require_unlocked(program.plan)
    unit = units.get_active(unit_id) if unit_id else None
    if unit is None:
        raise PlanningError(_l("Unit tidak dikenal."), "unit_id")
    value = _whole(quota, "quota", 0, PARTICIPANTS_MAX, _l("Kuota 0-10.000 orang."))
    row = next((q for q in program.quotas if q.unit_id == unit.id), None)
    if row is None:
        row = ProgramQuota(unit_id=unit.id, quota=value)
        program.quotas.append(row)
    old = row.quota
    row.quota = value
    program.plan.updated_at = utcnow()
    audit.record(actor, "planning.quota", program.plan, label=f"{program.title} {unit.label}", old=old, new=value)
    db.session.commit()
    return row


def update_program(
    actor: Actor, program: PlanProgram, title: str, quarter: Any, jp: Any, cost: Any, provider_kind: str, name: str
) -> PlanProgram:
    require_approve(actor)
    require_unlocked(program.plan)
    clean = " ".join((title or "").split())
    if not TITLE_MIN <= len(clean) <= TITLE_MAX:
        raise PlanningError(_l("Nama kegiatan 3-200 karakter."), "title")
    try:
        kind = ProviderKind(provider_kind)
    except ValueError:
        raise PlanningError(_l("Pilih penyelenggara."), "provider_kind") from None
    program.title = clean
    program.quarter = _whole(quarter, "quarter", QUARTERS[0], QUARTERS[-1], _l("Triwulan harus 1, 2, 3 atau 4."))
    program.jp = _whole(jp, "jp", 0, 500, _l("JP per peserta 0-500."))
    program.cost_per_participant = _whole(
        cost, "cost_per_participant", 0, COST_MAX, _l("Biaya per peserta harus bilangan bulat rupiah, tidak negatif.")
    )
    program.provider_kind = kind
    program.provider_name = " ".join((name or "").split())[:200]
    program.plan.updated_at = utcnow()
    audit.record(actor, "planning.program_update", program.plan, label=program.title, program_id=program.id)
    db.session.commit()
    return program


def approve(actor: Actor, year: int) -> AnnualPlan:
    """Approve the city plan: it and the OPD proposals consolidated into it are locked."""
    require_approve(actor)
    check_year(year)
    city = plan_of(year, None)
    if city is None or not city.programs:
        raise PlanningError(_l("Rencana kota belum berisi program."), "plan")
    require_unlocked(city)
    now = utcnow()
    city.status = AnnualPlanStatus.APPROVED
    city.approved_at = city.updated_at = now
    city.approved_by_id = actor.id
    log_version(actor, city, "approved")
    merged_units = {line.plan.id for program in city.programs for line in program.lines}
    for plan in opd_plans(year):
        if plan.id in merged_units and plan.status == AnnualPlanStatus.PROPOSED:
            plan.status = AnnualPlanStatus.APPROVED
            plan.approved_at = now
            plan.approved_by_id = actor.id
            log_version(actor, plan, "approved")
    audit.record(actor, "planning.approve", city, label=f"{year} v{city.version}")
    db.session.commit()
    return city


def reopen(actor: Actor, plan: AnnualPlan, reason: str) -> AnnualPlan:
    """Unlock an approved plan for changes: a new version, with who, when and why in the history."""
    require_approve(actor)
    if plan.status != AnnualPlanStatus.APPROVED:
        raise PlanningError(_l("Hanya rencana yang sudah disetujui yang dibuka sebagai versi baru."), "plan")
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= NOTE_MAX:
        raise PlanningError(_l("Tuliskan alasan perubahan (5-2000 karakter)."), "reason")
    plan.version += 1
    plan.status = AnnualPlanStatus.DRAFT
    plan.updated_at = utcnow()
    log_version(actor, plan, "reopened", reason)
    audit.record(actor, "planning.reopen", plan, label=f"{plan.year} v{plan.version}", reason=reason)
    db.session.commit()
    return plan
