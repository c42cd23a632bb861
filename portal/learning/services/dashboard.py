"""The development dashboard (dasbor pengembangan kompetensi) for BKPSDM and the heads of units.

**Who counts**: active, verified accounts with an ASN employment status (PNS, CPNS, PPPK, PPPK paruh waktu). A
person's JP for a year are their *verified* records that ended in that year, as on their own ledger: a course
from 30 December to 2 January counts in the year it ended. The rule is the :class:`AnnualTarget` row of the
year and group (PNS/CPNS or PPPK), else the settings' default (:mod:`.targets`): PNS and CPNS have a *target*;
PPPK a *ceiling* counted per contract year (the one the ledger shows for that year), so a PPPK is never "below
target" and is not part of the share who reached it; BKPSDM sees who is above the ceiling ("melebihi batas").

**Who sees what**: BKPSDM (:func:`oversight.sees_everyone`) sees the whole city and may narrow it to a unit; the
head of a unit sees that unit only. Anyone else is refused.

**Bounded queries**: every figure comes from a fixed number of grouped queries, whatever the number of people.
One query returns each person's JP (grouped by person), two more the PPPK's contract years and the rules; the
per-unit percentages, the distribution and the below-target and above-ceiling lists are derived in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from flask_babel import format_date
from sqlalchemy import Select, distinct, func, select

from portal.accounts.models import EmploymentStatus, User
from portal.competencies.models import Competency
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.extensions import db
from portal.feedback.services import needs_analysis, program_review, scores
from portal.learning import services as learning
from portal.learning.models import (
    DevelopmentType,
    LearningRecord,
    LearningStatus,
    TargetGroup,
    TargetKind,
    learning_record_competencies,
)
from portal.learning.services import oversight, profile
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops import services as workshops

COUNTED_STATUSES = (
    EmploymentStatus.PNS,
    EmploymentStatus.CPNS,
    EmploymentStatus.PPPK,
    EmploymentStatus.PPPK_PART_TIME,
)
MIN_YEAR = 2000
NO_UNIT = _l("Tanpa unit")
NO_TYPE = _l("Tanpa jenis")
# (lowest, highest or None, label): the JP distribution's buckets.
BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "0"),
    (1, 9, "1–9"),
    (10, 19, "10–19"),
    (20, 39, "20–39"),
    (40, None, "40+"),
)
UNIT_ORDERS = ("persen", "persen-terendah", "nama")
GAP_LIMIT = 10
NEEDS_LIMIT = 5


class UnknownUnit(LookupError):
    """The unit asked for does not exist."""


# ---------------------------------------------------------------- time and scope


def current_year() -> int:
    """The year in Sawahlunto (WIB) now."""
    return learning.local_today().year


def parse_year(value: str | None) -> int:
    """A year from a query string, the current year when missing or implausible."""
    this_year = current_year()
    if value and value.isdigit() and MIN_YEAR <= int(value) <= this_year + 1:
        return int(value)
    return this_year


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class Scope:
    """What a dashboard shows: one year, and one unit or (BKPSDM only) the whole city."""

    year: int
    unit: Unit | None  # None: the whole city
    choices: list[Unit]  # the units the viewer may pick
    city_wide: bool  # the viewer may see the whole city

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit else None

    @property
    def unit_ids(self) -> list[int] | None:
        return [self.unit.id] if self.unit else None


def can_open(viewer: Actor) -> bool:
    """Whether the viewer has a dashboard at all (BKPSDM, or the head of a unit)."""
    return oversight.sees_everyone(viewer) or bool(oversight.headed_unit_ids(viewer))


def resolve_scope(viewer: Actor, year: int | None = None, unit_id: int | None = None) -> Scope:
    """The scope the viewer asked for, checked: :class:`PermissionDenied` for a unit they do not oversee (or no
    dashboard at all), :class:`UnknownUnit` for a unit that does not exist. A head without a choice sees their
    (first) unit."""
    city_wide = oversight.sees_everyone(viewer)
    choices = units.list_active() if city_wide else oversight.headed_units(viewer)
    if not city_wide and not choices:
        raise PermissionDenied("view_all_learning")
    unit: Unit | None = None
    if unit_id is not None:
        unit = units.get(unit_id)
        if unit is None:
            raise UnknownUnit(unit_id)
        if not oversight.can_oversee_unit(viewer, unit.id):
            raise PermissionDenied("view_all_learning")
    elif not city_wide:
        unit = choices[0]
    return Scope(year=year or current_year(), unit=unit, choices=choices, city_wide=city_wide)


# ---------------------------------------------------------------- people and targets


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    nip: str
    unit_id: int | None
    employment_status: EmploymentStatus
    jp: int  # verified, in the period counted
    pending_jp: int  # claimed on records still waiting (diajukan, perlu revisi)
    target: int  # the rule's figure: a target (PNS, CPNS) or a ceiling (PPPK)
    kind: TargetKind = TargetKind.TARGET
    period: learning.Period | None = None  # None: the calendar year
    basis: str = ""  # the rule's legal basis

    @property
    def has_target(self) -> bool:
        return self.kind == TargetKind.TARGET

    @property
    def missing(self) -> int:
        return max(0, self.target - self.jp) if self.has_target else 0

    @property
    def reached(self) -> bool:
        return self.has_target and self.jp >= self.target

    @property
    def below_target(self) -> bool:
        return self.has_target and self.jp < self.target

    @property
    def over_ceiling(self) -> bool:
        return self.kind == TargetKind.CEILING and self.jp > self.target

    @property
    def excess(self) -> int:
        return max(0, self.jp - self.target) if self.kind == TargetKind.CEILING else 0


def counted_users(stmt: Select, unit_ids: Sequence[int] | None) -> Select:
    """Keep the people the dashboard counts (see the module docstring), in the units given (None: all)."""
    stmt = stmt.where(User.active.is_(True), User.is_verified.is_(True), User.employment_status.in_(COUNTED_STATUSES))
    if unit_ids is not None:
        stmt = stmt.where(User.unit_id.in_(list(unit_ids)))
    return stmt


class _CountedRow(NamedTuple):
    """A row of :func:`people`'s query: the person's columns, then their verified and waiting JP of the year."""

    id: int
    name: str
    nip: str
    unit_id: int | None
    employment_status: EmploymentStatus
    contract_start: date | None
    contract_end: date | None
    verified: int
    pending: int


def people(year: int, unit_ids: Sequence[int] | None = None, today: date | None = None) -> list[Person]:
    """Everyone counted in the units (None: the whole city) with their JP of the year against their rule, by name.

    PNS and CPNS count the calendar year; a PPPK the period their ledger shows for the year (a contract year).
    Four queries whatever the number of people.
    """
    first, last = year_bounds(year)
    in_year = LearningRecord.end_date.between(first, last)
    verified = func.coalesce(func.sum(LearningRecord.jp).filter(LearningRecord.status == LearningStatus.VERIFIED), 0)
    pending = func.coalesce(
        func.sum(LearningRecord.jp_claimed).filter(LearningRecord.status.in_(learning.PENDING_STATUSES)), 0
    )
    columns = (
        User.id,
        User.name,
        User.nip,
        User.unit_id,
        User.employment_status,
        User.contract_start,
        User.contract_end,
    )
    stmt = (
        select(*columns, verified, pending)
        .outerjoin(LearningRecord, (LearningRecord.user_id == User.id) & in_year)
        .group_by(*columns)
        .order_by(User.name, User.id)
    )
    rows = [_CountedRow(*row) for row in db.session.execute(counted_users(stmt, unit_ids))]
    rules = learning.rules_for_years([year])[year]
    contracted = learning.standings_in(
        {
            row.id: (row, learning.period_for(row, year, today))
            for row in rows
            if learning.target_group(row) == TargetGroup.PPPK
        }
    )
    result = []
    for row in rows:
        found = contracted.get(row.id)
        if found is None:
            rule = rules[learning.target_group(row)]
            jp, waiting, period = int(row.verified), int(row.pending), None
        else:
            rule, jp, waiting, period = found.rule, found.jp, found.pending, found.period
        person = (row.id, row.name, row.nip, row.unit_id, row.employment_status)
        result.append(Person(*person, jp, waiting, rule.jp, rule.kind, period, rule.basis))
    return result


def below_target(rows: Sequence[Person]) -> list[Person]:
    """Who has a target and has not reached it, the furthest behind first (never a PPPK under a ceiling)."""
    return sorted((p for p in rows if p.below_target), key=lambda p: (-p.missing, p.name.casefold(), p.user_id))


def over_ceiling(rows: Sequence[Person]) -> list[Person]:
    """Who is above their ceiling (melebihi batas), the furthest above first."""
    return sorted((p for p in rows if p.over_ceiling), key=lambda p: (-p.excess, p.name.casefold(), p.user_id))


# ---------------------------------------------------------------- per unit, distribution


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int | None
    name: str
    people: int  # everyone counted
    reached: int  # of those with a target, who reached it
    total_jp: int
    label: str = ""  # the short name, for charts on narrow screens
    with_target: int | None = None  # those with a target (None: everyone)
    over_ceiling: int = 0  # those above a ceiling

    @property
    def subject(self) -> int:
        return self.people if self.with_target is None else self.with_target

    @property
    def percent(self) -> float:
        """The share of people with a target who reached it."""
        return 100 * self.reached / self.subject if self.subject else 0.0

    @property
    def mean_jp(self) -> float:
        return self.total_jp / self.people if self.people else 0.0

    @property
    def below(self) -> int:
        return self.subject - self.reached


def _progress(unit_id: int | None, name: str, rows: Sequence[Person], label: str = "") -> UnitProgress:
    reached, total = sum(p.reached for p in rows), sum(p.jp for p in rows)
    return UnitProgress(
        unit_id,
        name,
        len(rows),
        reached,
        total,
        label or name,
        with_target=sum(p.has_target for p in rows),
        over_ceiling=sum(p.over_ceiling for p in rows),
    )


def progress_by_unit(rows: Sequence[Person], order: str = "persen") -> list[UnitProgress]:
    """One row per unit that has counted people (one query for the units' names)."""
    grouped: dict[int | None, list[Person]] = defaultdict(list)
    for person in rows:
        grouped[person.unit_id].append(person)
    ids = [unit_id for unit_id in grouped if unit_id is not None]
    names: dict[int | None, tuple[str, str]] = {  # people without a unit (None) get NO_UNIT below
        unit_id: (name, short_name)
        for unit_id, name, short_name in db.session.execute(
            select(Unit.id, Unit.name, Unit.short_name).where(Unit.id.in_(ids))
        )
    }
    table = []
    for unit_id, members in grouped.items():
        name, short_name = names.get(unit_id, (str(NO_UNIT), ""))
        table.append(_progress(unit_id, name, members, short_name))
    return sort_units(table, order)


def sort_units(table: list[UnitProgress], order: str) -> list[UnitProgress]:
    by_name = sorted(table, key=lambda row: row.name.casefold())
    if order == "nama":
        return by_name
    lowest_first = order == "persen-terendah"
    return sorted(by_name, key=lambda row: row.percent if lowest_first else -row.percent)


def distribution(rows: Sequence[Person]) -> list[tuple[str, int]]:
    """How many people fall in each JP bucket (0, 1–9, 10–19, 20–39, 40+)."""
    return [
        (label, sum(1 for p in rows if p.jp >= low and (high is None or p.jp <= high))) for low, high, label in BUCKETS
    ]


# ---------------------------------------------------------------- JP by type and competency


@dataclass(frozen=True)
class JpBreakdown:
    code: str
    name: str
    jp: int
    records: int
    people: int


def _verified_in_year(stmt: Select, year: int, unit_ids: Sequence[int] | None) -> Select:
    first, last = year_bounds(year)
    stmt = stmt.join(User, User.id == LearningRecord.user_id).where(
        LearningRecord.status == LearningStatus.VERIFIED, LearningRecord.end_date.between(first, last)
    )
    return counted_users(stmt, unit_ids)


def _breakdown_columns() -> tuple[Any, ...]:
    return (
        func.sum(LearningRecord.jp).label("jp"),
        func.count(distinct(LearningRecord.id)),
        func.count(distinct(LearningRecord.user_id)),
    )


def jp_by_type(year: int, unit_ids: Sequence[int] | None = None) -> list[JpBreakdown]:
    """Verified JP per development type (records without a type together), most JP first. One query."""
    stmt = (
        select(DevelopmentType.code, DevelopmentType.name, *_breakdown_columns())
        .select_from(LearningRecord)
        .outerjoin(DevelopmentType, DevelopmentType.id == LearningRecord.development_type_id)
        .group_by(DevelopmentType.id, DevelopmentType.code, DevelopmentType.name)
    )
    rows = db.session.execute(_verified_in_year(stmt, year, unit_ids))
    table = [JpBreakdown(code or "", name or str(NO_TYPE), int(jp), n, ppl) for code, name, jp, n, ppl in rows]
    return sorted(table, key=lambda row: (-row.jp, row.code))


def jp_by_competency(year: int, unit_ids: Sequence[int] | None = None) -> list[JpBreakdown]:
    """Verified JP of the records tagged with each competency, most JP first. One query.

    A record tagged with two competencies counts for both, so the rows add up to more than the total JP.
    """
    links = learning_record_competencies
    stmt = (
        select(Competency.code, Competency.name, *_breakdown_columns())
        .select_from(LearningRecord)
        .join(links, links.c.record_id == LearningRecord.id)
        .join(Competency, Competency.id == links.c.competency_id)
        .group_by(Competency.id, Competency.code, Competency.name)
    )
    rows = db.session.execute(_verified_in_year(stmt, year, unit_ids))
    table = [JpBreakdown(code, name, int(jp), n, ppl) for code, name, jp, n, ppl in rows]
    return sorted(table, key=lambda row: (-row.jp, row.code))


# ---------------------------------------------------------------- the whole dashboard


@dataclass
class Dashboard:
    scope: Scope
    people: list[Person]
    units: list[UnitProgress]
    total: UnitProgress
    distribution: list[tuple[str, int]]
    by_type: list[JpBreakdown]
    by_competency: list[JpBreakdown]
    gaps: list[profile.UnitGap]
    needs: list[needs_analysis.NeedRow]
    workshops: workshops.FillAndAttendance
    trend: list[scores.TrendPoint]  # twelve months
    flagged: list[program_review.ProgramSummary]

    @property
    def below_target(self) -> list[Person]:
        return below_target(self.people)

    @property
    def over_ceiling(self) -> list[Person]:
        return over_ceiling(self.people)

    @property
    def ceiling_rule(self) -> learning.YearRule:
        """The PPPK rule of the year (for the legal basis next to "melebihi batas")."""
        return learning.rule_for(TargetGroup.PPPK, self.scope.year)

    @property
    def can_remind(self) -> bool:
        """Reminders go to one unit's people about the current year."""
        return self.scope.unit is not None and self.scope.year == current_year()

    @property
    def has_evaluations(self) -> bool:
        return any(point.responses for point in self.trend)

    def trend_rows(self) -> list[list[Any]]:
        """[month name, L1 mean or None, responses] for each month of the year."""
        return [
            [format_date(date(self.scope.year, point.month, 1), "MMM"), point.l1_mean, point.responses]
            for point in self.trend
        ]


def build(scope: Scope, order: str = "persen") -> Dashboard:
    """Every figure of the dashboard for a checked scope (see :func:`resolve_scope`)."""

    rows = people(scope.year, scope.unit_ids)
    label = scope.unit.name if scope.unit else str(_l("Seluruh Kota Sawahlunto"))
    return Dashboard(
        scope=scope,
        people=rows,
        units=progress_by_unit(rows, order),
        total=_progress(scope.unit_id, label, rows),
        distribution=distribution(rows),
        by_type=jp_by_type(scope.year, scope.unit_ids),
        by_competency=jp_by_competency(scope.year, scope.unit_ids),
        gaps=profile.unit_gaps(scope.unit_id, limit=GAP_LIMIT),
        needs=needs_analysis.top_needs(limit=NEEDS_LIMIT, unit_id=scope.unit_id, year=scope.year),
        workshops=workshops.fill_and_attendance(scope.year, scope.unit_id),
        trend=scores.evaluation_trend(scope.year, scope.unit_id),
        flagged=program_review.flagged_programs(),
    )
