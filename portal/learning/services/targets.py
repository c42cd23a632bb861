"""The yearly JP rule per employment status: a *target* to reach or a *ceiling* not to pass, and the period it counts.

- PNS and CPNS: a target, at least 20 JP per **calendar year** (PP 17/2020 Pasal 203 ayat (4)).
- PPPK (full and part time): a ceiling, at most 24 JP per **year of the employment contract**, counted from the
  contract's start date (PP 49/2018 Pasal 40 ayat (1)). A PPPK account without a contract start (or a year outside
  the contract) is counted per calendar year, and the pages say so.

BKPSDM sets each group's figure, kind and legal basis per calendar year on the settings page (``AnnualTarget``
rows); a year without a row uses the defaults (the figures from the app settings). A contract year follows the
setting of the calendar year it starts in.

Which period a page about calendar year ``Y`` shows: for the current year the one in force today, for a past year
the one in force on 31 December (so a contract starting 1 March 2026 shows its first contract year, 1 March 2026 –
28 February 2027, on the 2026 pages and, until the end of February, on the 2027 pages too).

Functions other modules call:

- :func:`rules_for_years` / :func:`rule_for`: the :class:`YearRule` of each group.
- :func:`period_for` ``(person, year, today)``: the :class:`Period` the person's figure of that year counts.
- :func:`standing` ``(user, year)``: a person's verified and waiting JP in that period against their rule.
- :func:`standings_on` ``(users, day)``: the same for the period containing a day (workshop sign-up warnings),
  for many people in two queries.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol, TypeAlias

from flask import current_app
from flask_babel import format_date
from sqlalchemy import select

from portal.accounts.models import EmploymentStatus, User
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.learning.models import AnnualTarget, LearningRecord, LearningStatus, TargetGroup, TargetKind
from portal.learning.services.common import local_today

PENDING = (LearningStatus.SUBMITTED, LearningStatus.NEEDS_REVISION)
DEFAULT_KIND: dict[TargetGroup, TargetKind] = {TargetGroup.PNS: TargetKind.TARGET, TargetGroup.PPPK: TargetKind.CEILING}
DEFAULT_BASIS: dict[TargetGroup, str] = {
    TargetGroup.PNS: "PP 17/2020 Pasal 203 ayat (4)",
    TargetGroup.PPPK: "PP 49/2018 Pasal 40 ayat (1)",
}
BASIS_MAX = 200
KIND_LABELS: dict[TargetKind, Any] = {
    TargetKind.TARGET: _l("Target (paling sedikit)"),
    TargetKind.CEILING: _l("Batas (paling banyak)"),
}


class EmployedRow(Protocol):
    """A row of a query with the column a rule depends on."""

    @property
    def employment_status(self) -> EmploymentStatus | str: ...


# What a rule depends on: a ``User``, or a row with these columns. The model is named apart: pyright matches a
# protocol member against a model's declared ``Mapped[...]``, not the value it reads as (microsoft/pyright#11021).
Employed: TypeAlias = "User | EmployedRow"


def group_of(person: Employed) -> TargetGroup:
    return TargetGroup.PPPK if EmploymentStatus(person.employment_status).is_pppk else TargetGroup.PNS


# ---------------------------------------------------------------- the rules BKPSDM sets


@dataclass(frozen=True)
class YearRule:
    group: TargetGroup
    year: int
    kind: TargetKind
    jp: int
    basis: str  # the legal basis, shown next to the figure

    @property
    def is_ceiling(self) -> bool:
        return self.kind == TargetKind.CEILING


def _default_jp(group: TargetGroup) -> int:
    key = "LEARNING_TARGET_PPPK" if group == TargetGroup.PPPK else "LEARNING_TARGET_PNS"
    return int(current_app.config[key])


def _rule(group: TargetGroup, year: int, row: AnnualTarget | None) -> YearRule:
    if row is None:
        return YearRule(group, year, DEFAULT_KIND[group], _default_jp(group), DEFAULT_BASIS[group])
    return YearRule(
        group, year, TargetKind(row.kind or DEFAULT_KIND[group]), row.jp, row.legal_basis or DEFAULT_BASIS[group]
    )


def rules_for_years(years: Iterable[int]) -> dict[int, dict[TargetGroup, YearRule]]:
    """Both groups' rules for each year, in one query: the year's rows, else the defaults."""
    years = sorted(set(years))
    rows = {
        (row.year, row.group): row
        for row in db.session.scalars(select(AnnualTarget).where(AnnualTarget.year.in_(years)))
    }
    return {year: {group: _rule(group, year, rows.get((year, group))) for group in TargetGroup} for year in years}


def rule_for(group: TargetGroup, year: int) -> YearRule:
    return rules_for_years([year])[year][group]


# ---------------------------------------------------------------- the period a figure counts


class PeriodBasis(enum.StrEnum):
    CALENDAR = "calendar"  # PNS/CPNS: the calendar year
    CONTRACT = "contract"  # PPPK: one year of the employment contract
    NO_CONTRACT = "no_contract"  # PPPK without a contract start: the calendar year instead
    OUTSIDE_CONTRACT = "outside_contract"  # PPPK, a year the recorded contract does not cover: the calendar year


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    basis: PeriodBasis

    @property
    def is_contract_year(self) -> bool:
        return self.basis == PeriodBasis.CONTRACT

    @property
    def is_fallback(self) -> bool:
        """A PPPK counted per calendar year because the contract dates do not say otherwise."""
        return self.basis in (PeriodBasis.NO_CONTRACT, PeriodBasis.OUTSIDE_CONTRACT)

    @property
    def rule_year(self) -> int:
        """The calendar year whose setting applies: the one the period starts in."""
        return self.start.year

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """ "1 Mar 2026 – 28 Feb 2027" for a contract year, "2026" for a calendar year."""
        if not self.is_contract_year:
            return str(self.start.year)
        return f"{format_date(self.start, 'medium')} – {format_date(self.end, 'medium')}"

    def note(self) -> str:
        """Why a PPPK's figure counts per calendar year ("" when it does not)."""
        if self.basis == PeriodBasis.NO_CONTRACT:
            return str(_l("Tanggal kontrak PPPK belum tercatat: JP dihitung per tahun kalender."))
        if self.basis == PeriodBasis.OUTSIDE_CONTRACT:
            return str(_l("Tahun ini di luar masa kontrak PPPK yang tercatat: JP dihitung per tahun kalender."))
        return ""


def calendar_year(year: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), basis)


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one: the contract year turns on 1 March
        return date(start.year + years, 3, 1)


def contract_year(start: date, end: date | None, day: date) -> Period:
    """The year of the contract (from ``start``, ending at ``end`` at the latest) that contains ``day``; a day
    before the start gives the first contract year."""
    n = max(0, day.year - start.year - ((day.month, day.day) < (start.month, start.day)))
    if _anniversary(start, n) > day:  # a 29 February start in a year without one
        n = max(0, n - 1)
    last = _anniversary(start, n + 1) - timedelta(days=1)
    if end is not None:
        last = min(last, end)
    return Period(_anniversary(start, n), max(last, _anniversary(start, n)), PeriodBasis.CONTRACT)


def reference_day(year: int, today: date | None = None) -> date:
    """The day whose period a page about ``year`` shows: today in the current year, else the year's last day (a
    future year's first)."""
    today = today or local_today()
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


class ContractedRow(EmployedRow, Protocol):
    @property
    def contract_start(self) -> date | None: ...

    @property
    def contract_end(self) -> date | None: ...


Contracted: TypeAlias = "User | ContractedRow"  # a User, or a row with the contract's columns too


def period_on(person: Contracted, day: date) -> Period:
    """The period containing ``day`` in which the person's JP count against their rule."""
    if group_of(person) != TargetGroup.PPPK:
        return calendar_year(day.year)
    start, end = person.contract_start, person.contract_end
    if start is None:
        return calendar_year(day.year, PeriodBasis.NO_CONTRACT)
    if day < start or (end is not None and day > end):
        return calendar_year(day.year, PeriodBasis.OUTSIDE_CONTRACT)
    return contract_year(start, end, day)


def period_for(person: Contracted, year: int, today: date | None = None) -> Period:
    """The period a page about calendar year ``year`` shows for the person (see the module docstring). A contract
    that begins or ends within the year is followed to its first or last contract year."""
    if group_of(person) != TargetGroup.PPPK:
        return calendar_year(year)
    day = reference_day(year, today)
    start, end = person.contract_start, person.contract_end
    if start is not None:
        if end is not None and day > end >= date(year, 1, 1):
            day = end
        if day < start <= date(year, 12, 31):
            day = start
    return period_on(person, day)


# ---------------------------------------------------------------- a person's JP against the rule


class State(enum.StrEnum):
    REACHED = "reached"  # a target met
    BELOW = "below"  # a target not met
    WITHIN = "within"  # under or at a ceiling
    OVER = "over"  # above a ceiling (melebihi batas)


@dataclass(frozen=True)
class Standing:
    rule: YearRule
    period: Period
    jp: int  # verified JP of records that ended in the period
    pending: int = 0  # JP claimed on records still waiting

    @property
    def is_ceiling(self) -> bool:
        return self.rule.is_ceiling

    @property
    def state(self) -> State:
        if self.is_ceiling:
            return State.OVER if self.jp > self.rule.jp else State.WITHIN
        return State.REACHED if self.jp >= self.rule.jp else State.BELOW

    @property
    def below_target(self) -> bool:
        return self.state == State.BELOW

    @property
    def over_ceiling(self) -> bool:
        return self.state == State.OVER

    @property
    def missing(self) -> int:
        """JP still needed to reach a target (0 for a ceiling)."""
        return 0 if self.is_ceiling else max(0, self.rule.jp - self.jp)

    @property
    def excess(self) -> int:
        """JP above a ceiling (0 for a target)."""
        return max(0, self.jp - self.rule.jp) if self.is_ceiling else 0

    @property
    def headroom(self) -> int:
        """JP left under a ceiling (0 for a target)."""
        return max(0, self.rule.jp - self.jp) if self.is_ceiling else 0


def _sums(user_ids: Sequence[int], first: date, last: date) -> dict[int, list[tuple[date, int, int]]]:
    """(end date, verified JP, waiting JP) of each user's records that ended between the dates; one query."""
    if not user_ids:
        return {}
    stmt = select(
        LearningRecord.user_id,
        LearningRecord.end_date,
        LearningRecord.status,
        LearningRecord.jp,
        LearningRecord.jp_claimed,
    ).where(
        LearningRecord.user_id.in_(list(user_ids)),
        LearningRecord.end_date.between(first, last),
        LearningRecord.status.in_((LearningStatus.VERIFIED, *PENDING)),
    )
    found: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    for user_id, end, status, jp, claimed in db.session.execute(stmt):
        verified = status == LearningStatus.VERIFIED
        found[user_id].append((end, jp if verified else 0, 0 if verified else claimed))
    return found


def _standing(person: Employed, period: Period, records: Iterable[tuple[date, int, int]], rules: Any) -> Standing:
    rows = [row for row in records if period.contains(row[0])]
    rule = rules[period.rule_year][group_of(person)]
    return Standing(rule, period, sum(row[1] for row in rows), sum(row[2] for row in rows))


def standings_in(periods: dict[int, tuple[Employed, Period]], kind: TargetKind | None = None) -> dict[int, Standing]:
    """user id -> :class:`Standing` for each (person, period), only those whose rule is of ``kind`` when given;
    two queries whatever the number of people (one when nobody's rule is of that kind)."""
    if not periods:
        return {}
    rules = rules_for_years(period.rule_year for _person, period in periods.values())
    if kind is not None:
        periods = {
            user_id: (person, period)
            for user_id, (person, period) in periods.items()
            if rules[period.rule_year][group_of(person)].kind == kind
        }
        if not periods:
            return {}
    first = min(period.start for _person, period in periods.values())
    last = max(period.end for _person, period in periods.values())
    records = _sums(list(periods), first, last)
    return {
        user_id: _standing(person, period, records.get(user_id, ()), rules)
        for user_id, (person, period) in periods.items()
    }


def standings_over(user: User, periods: Sequence[Period]) -> list[Standing]:
    """One person's :class:`Standing` in each of several periods (their history); two queries."""
    if not periods:
        return []
    records = _sums([user.id], min(p.start for p in periods), max(p.end for p in periods)).get(user.id, [])
    rules = rules_for_years(period.rule_year for period in periods)
    return [_standing(user, period, records, rules) for period in periods]


def standing(user: User, year: int, today: date | None = None) -> Standing:
    """The user's JP against their rule in the period a page about ``year`` shows."""
    return standings_in({user.id: (user, period_for(user, year, today))})[user.id]


def standings_on(users: Sequence[Any], day: date, kind: TargetKind | None = None) -> dict[int, Standing]:
    """user id -> :class:`Standing` in the period containing ``day`` (a workshop's last day); only those whose
    rule is of ``kind`` when given."""
    return standings_in({user.id: (user, period_on(user, day)) for user in users}, kind)


def contract_years(user: Contracted, today: date | None = None) -> list[Period]:
    """A PPPK's contract years from the contract start up to the one in force today (or the last), newest first."""
    start = user.contract_start
    if start is None:
        return []
    today = today or local_today()
    last_day = min(today, user.contract_end) if user.contract_end else today
    periods = []
    day = start
    while day <= last_day:
        period = contract_year(start, user.contract_end, day)
        periods.append(period)
        day = period.end + timedelta(days=1)
    return periods[::-1]
