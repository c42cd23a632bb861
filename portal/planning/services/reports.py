"""Totals (per OPD, per program), the budget workbook, and progress during the year.

Totals of the city plan count the programs' quotas: participants, JP (participants x JP per participant) and cost
(participants x cost per participant, whole rupiah). An OPD's proposal totals its own items the same way.

Progress counts the workshops linked to each program (:class:`~portal.planning.models.WorkshopPlanLink`): runs
held (not cancelled, ended), participants who completed, JP delivered (completed x the workshop's JP), realised
cost as recorded on the link vs the planned cost; a program whose quarter has ended (WIB) without a run that
started by then is flagged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal.core import exports
from portal.core.i18n import lazy_gettext as _l
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.planning.models import AnnualPlan, PlanProgram, WorkshopPlanLink
from portal.planning.services.common import PROVIDER_LABELS, local_today
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import WorkshopStatus


@dataclass
class Totals:
    participants: int = 0
    jp: int = 0
    cost: int = 0

    def add(self, participants: int, jp_each: int, cost_each: int) -> None:
        self.participants += participants
        self.jp += participants * jp_each
        self.cost += participants * cost_each


@dataclass
class UnitTotals:
    unit: Unit
    totals: Totals = field(default_factory=Totals)
    programs: list[tuple[PlanProgram, int]] = field(default_factory=list)  # (program, quota)


@dataclass
class CityTotals:
    by_unit: list[UnitTotals]
    by_program: list[tuple[PlanProgram, Totals]]
    total: Totals


def city_totals(plan: AnnualPlan) -> CityTotals:
    units: dict[int, UnitTotals] = {}
    by_program = []
    total = Totals()
    for program in plan.programs:
        program_totals = Totals()
        for quota in program.quotas:
            if quota.quota <= 0:
                continue
            row = units.setdefault(quota.unit_id, UnitTotals(quota.unit))
            row.totals.add(quota.quota, program.jp, program.cost_per_participant)
            row.programs.append((program, quota.quota))
            program_totals.add(quota.quota, program.jp, program.cost_per_participant)
        total.add(program_totals.participants, program.jp, program.cost_per_participant)
        by_program.append((program, program_totals))
    return CityTotals(sorted(units.values(), key=lambda u: u.unit.name), by_program, total)


def proposal_totals(plan: AnnualPlan) -> Totals:
    total = Totals()
    for line in plan.lines:
        total.add(line.participants, line.jp, line.cost_per_participant)
    return total


# ---------------------------------------------------------------- the budget workbook


def _program_header() -> list[Any]:
    return [
        _l("Program"),
        _l("Kompetensi"),
        _l("Metode"),
        _l("Triwulan"),
        _l("Penyelenggara"),
        _l("JP per peserta"),
        _l("Biaya per peserta (Rp)"),
        _l("Peserta"),
        _l("Total JP"),
        _l("Total biaya (Rp)"),
    ]


def _program_cells(program: PlanProgram) -> list[Any]:
    provider = str(PROVIDER_LABELS[program.provider_kind])
    if program.provider_name:
        provider = f"{provider}: {program.provider_name}"
    return [
        program.title,
        str(program.competency),
        f"{program.development_type.code} {program.development_type.name} ({program.development_type.category})",
        program.quarter,
        provider,
        program.jp,
        program.cost_per_participant,
    ]


def workbook(plan: AnnualPlan) -> bytes:
    """The city plan as a budget proposal: a summary sheet, one sheet of programs, one sheet per OPD."""
    totals = city_totals(plan)
    header = [str(h) for h in _program_header()]
    summary: list[list[Any]] = [
        [str(_l("OPD")), str(_l("Peserta")), str(_l("Total JP")), str(_l("Total biaya (Rp)"))],
        *[[u.unit.name, u.totals.participants, u.totals.jp, u.totals.cost] for u in totals.by_unit],
        [str(_l("Jumlah")), totals.total.participants, totals.total.jp, totals.total.cost],
    ]
    programs: list[list[Any]] = [header]
    for program, t in totals.by_program:
        programs.append([*_program_cells(program), t.participants, t.jp, t.cost])
    programs.append([str(_l("Jumlah")), "", "", "", "", "", "", totals.total.participants, totals.total.jp,
                     totals.total.cost])  # fmt: skip
    sheets: list[tuple[str, exports.Table]] = [
        (str(_l("Ringkasan per OPD")), summary),
        (str(_l("Per program")), programs),
    ]
    used: set[str] = set()
    for row in totals.by_unit:
        table: list[list[Any]] = [header]
        for program, quota in row.programs:
            table.append([*_program_cells(program), quota, quota * program.jp, quota * program.cost_per_participant])
        table.append([str(_l("Jumlah")), "", "", "", "", "", "", row.totals.participants, row.totals.jp,
                      row.totals.cost])  # fmt: skip
        name = _sheet_name(row.unit, used)
        sheets.append((name, table))
    title = str(_l("Rencana Pengembangan Kompetensi Kota Sawahlunto %(year)s versi %(version)s",
                   year=plan.year, version=plan.version))  # fmt: skip
    return exports.xlsx_bytes(sheets, title)


_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_name(unit: Unit, used: set[str]) -> str:
    base = (unit.short_name or unit.code or unit.name).translate(_SHEET_FORBIDDEN).strip()[:28] or "OPD"
    name, n = base, 2
    while name.lower() in used or name.lower() in ("ringkasan per opd", "per program"):
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


# ---------------------------------------------------------------- progress


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter (1-4)."""
    month = quarter * 3
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_of_next - timedelta(days=1)


@dataclass
class ProgramProgress:
    program: PlanProgram
    planned: Totals
    links: list[WorkshopPlanLink]
    runs_held: int = 0
    runs_scheduled: int = 0
    participants: int = 0  # completed
    jp_delivered: int = 0
    realised_cost: int = 0
    late: bool = False  # the quarter ended without a run that started by then


@dataclass
class PlanProgress:
    programs: list[ProgramProgress]
    planned: Totals
    runs_held: int
    participants: int
    jp_delivered: int
    realised_cost: int
    late: int


def links_by_program(program_ids: list[int]) -> dict[int, list[WorkshopPlanLink]]:
    found: dict[int, list[WorkshopPlanLink]] = defaultdict(list)
    if program_ids:
        stmt = select(WorkshopPlanLink).where(WorkshopPlanLink.program_id.in_(program_ids))
        for link in db.session.scalars(stmt):
            found[link.program_id].append(link)
    return found


def progress(plan: AnnualPlan) -> PlanProgress:
    now, today = utcnow(), local_today()
    totals = city_totals(plan)
    links = links_by_program([p.id for p in plan.programs])
    rows = []
    for program, planned in totals.by_program:
        row = ProgramProgress(program, planned, links.get(program.id, []))
        started_in_time = False
        for link in row.links:
            workshop = link.workshop
            if workshop.status == WorkshopStatus.CANCELLED:
                continue
            row.realised_cost += link.realised_cost or 0
            if to_local(workshop.starts_at).date() <= quarter_end(plan.year, program.quarter):
                started_in_time = True
            if workshop.ends_at <= now:
                completed = workshops.count_participants(workshop.id, completed=True)
                row.runs_held += 1
                row.participants += completed
                row.jp_delivered += completed * workshop.jp
            else:
                row.runs_scheduled += 1
        row.late = quarter_end(plan.year, program.quarter) < today and not started_in_time
        rows.append(row)
    return PlanProgress(
        programs=rows,
        planned=totals.total,
        runs_held=sum(r.runs_held for r in rows),
        participants=sum(r.participants for r in rows),
        jp_delivered=sum(r.jp_delivered for r in rows),
        realised_cost=sum(r.realised_cost for r in rows),
        late=sum(r.late for r in rows),
    )
