"""Demo annual development plan for this year (the demo's "today" in Asia/Jakarta).

Three OPDs accept the top suggestions of their own data (ranked needs, people below the job standard, approved
individual plans) as items with a realistic method, quarter, provider and cost in rupiah, and submit them; a
fourth OPD leaves its proposal as a draft so the workflow is visible. BKPSDM's admin then merges the submitted
items of one competency into a program of the city plan, raises one quota by a reserve and approves the plan, so
the approved plan, its progress and the budget workbook (``/rencana-tahunan/<year>/kota.xlsx``) have content.

Everything goes through the planning services as the OPD's head or organizer and the demo admin would. An OPD
that already has a plan for the year is left alone, and an approved city plan is not touched, so re-running
changes nothing.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.learning import services as learning
from portal.planning import services as planning
from portal.planning.models import AnnualPlanStatus, ProviderKind
from portal.units.models import Unit


@dataclass(frozen=True)
class Recipe:
    """How an item is carried out: method, provider, cost per participant (rupiah) and quarter."""

    type_code: str
    provider: ProviderKind
    provider_name: str
    cost: int
    quarter: int
    title: str  # "{}" is the competency's name


RECIPES: tuple[Recipe, ...] = (
    Recipe("KL10", ProviderKind.BKPSDM, "", 750_000, 2, "Bimbingan Teknis {}"),
    Recipe("KL04", ProviderKind.BPSDM, "", 2_500_000, 3, "Pelatihan {}"),
    Recipe("NKL03", ProviderKind.ELEARNING, "ASN Unggul (LAN RI)", 0, 1, "E-learning {}"),
    Recipe("KL07", ProviderKind.PARTNER, "Universitas Andalas", 1_200_000, 3, "Lokakarya {}"),
    Recipe("NKL01", ProviderKind.BKPSDM, "", 150_000, 2, "Coaching {}"),
    Recipe("NKL04", ProviderKind.LAN, "", 1_800_000, 4, "Pelatihan Jarak Jauh {}"),
)
ITEMS_PER_OPD = 3
RESERVE = 2  # places BKPSDM adds to one OPD's quota, for people who join during the year


@dataclass(frozen=True)
class Proposer:
    person: people.DemoPerson
    unit_code: str
    submit: bool  # False: the proposal stays a draft


def _proposers() -> tuple[Proposer, ...]:
    disdik_head, rsud_head, diskominfo_head = people.HEADS[0], people.HEADS[1], people.HEADS[2]
    return (
        Proposer(disdik_head, "DISDIK", True),
        Proposer(rsud_head, "RSUD", True),
        Proposer(people.ORGANIZER, "BKPSDM", True),
        Proposer(diskominfo_head, "DISKOMINFO", False),
    )


def _recipe(competency_code: str) -> Recipe:
    """One recipe per competency, the same for every OPD, so merged items agree on method and cost."""
    return RECIPES[zlib.crc32(competency_code.encode()) % len(RECIPES)]


def _propose(actor: User, unit: Unit, year: int) -> int:
    """Accept the OPD's top suggestions as items; the number of items added."""
    added = 0
    for suggestion in planning.suggestions(unit.id, year)[:ITEMS_PER_OPD]:
        recipe = _recipe(suggestion.competency.code)
        development_type = learning.get_development_type_by_code(recipe.type_code)
        if development_type is None:
            continue
        participants = max(suggestion.people_with_gap, suggestion.individual_plans) or 5
        planning.add_line(
            actor,
            unit.id,
            year,
            planning.LineInput(
                title=recipe.title.format(suggestion.competency.name),
                competency_id=suggestion.competency.id,
                development_type_id=development_type.id,
                participants=participants + 2,  # and the people who will join the OPD this year
                quarter=recipe.quarter,
                provider_kind=recipe.provider.value,
                provider_name=recipe.provider_name,
                cost_per_participant=recipe.cost,
                target_note=f"Pegawai {unit.label} yang belum memenuhi standar kompetensi jabatan",
                source=suggestion.source.value,
            ),
        )
        added += 1
    return added


def _opd_plans(year: int, counts: Counter[str]) -> None:
    for proposer in _proposers():
        actor = accounts.get_by_nip(proposer.person.nip)
        unit = db.session.scalar(select(Unit).where(Unit.code == proposer.unit_code))
        if actor is None or unit is None or not planning.can_propose(actor, unit.id):
            continue
        existing = planning.plan_of(year, unit.id)
        if existing is not None and existing.lines:
            counts["unchanged"] += 1
            continue
        if not _propose(actor, unit, year):
            continue
        counts["created"] += 1
        if proposer.submit:
            plan = planning.plan_of(year, unit.id)
            assert plan is not None  # add_line made it
            planning.submit(actor, plan)


def _city_plan(admin: User, year: int, counts: Counter[str]) -> None:
    city = planning.plan_of(year, None)
    if city is not None and city.status == AnnualPlanStatus.APPROVED:
        counts["unchanged"] += 1
        return
    groups: dict[int, list[int]] = defaultdict(list)
    for line in planning.open_lines(year):
        groups[line.competency_id].append(line.id)
    programs = [planning.merge(admin, year, line_ids) for line_ids in groups.values()]
    if programs:
        program = max(programs, key=lambda p: sum(q.quota for q in p.quotas))
        quota = max(program.quotas, key=lambda q: q.quota)
        planning.set_quota(admin, program, quota.unit_id, quota.quota + RESERVE)
    city = planning.plan_of(year, None)
    if city is None or not city.programs:
        return
    planning.approve(admin, year)
    counts["created" if programs else "updated"] += 1


def load(_context: DemoContext) -> Mapping[str, int]:
    admin = accounts.get_by_nip(people.demo_admin().nip)
    if admin is None or learning.get_development_type_by_code("KL10") is None:
        return Counter()
    year = planning.local_today().year
    counts: Counter[str] = Counter()
    _opd_plans(year, counts)
    _city_plan(admin, year, counts)
    return counts
