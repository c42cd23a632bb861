"""Finding workshops: the list and month calendar, my workshops, the organizer's lists, dashboard figures."""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.pagination import Page, paginate
from portal.core.permissions import PermissionDenied
from portal.core.timezone import local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.units.models import Unit
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopSession, WorkshopStatus
from portal.workshops.services.common import _require_manage, can_organize
from portal.workshops.services.lookups import waiting_position


@dataclass
class WorkshopFilters:
    competency: str = ""
    type_code: str = ""
    unit_id: int | None = None  # open to this unit
    month: date | None = None  # first day of a month (WIB)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = local_moment(month.replace(day=1), time())
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.astimezone(UTC), local_moment(following, time()).astimezone(UTC)


def _listed(filters: WorkshopFilters):
    stmt = select(Workshop).where(Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)))
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        stmt = stmt.where(Workshop.starts_at < end, Workshop.ends_at >= start)
    else:
        stmt = stmt.where(Workshop.ends_at >= utcnow())
    if filters.competency:
        code = competencies.normalize_code(filters.competency)
        stmt = stmt.where(Workshop.competencies.any(Competency.code == code))
    if filters.type_code:
        development_type = competency_catalogue.get_development_type_by_code(filters.type_code)
        stmt = stmt.where(Workshop.development_type_id == (development_type.id if development_type else -1))
    if filters.unit_id:
        stmt = stmt.where(~Workshop.eligible_units.any() | Workshop.eligible_units.any(Unit.id == filters.unit_id))
    return stmt


def list_upcoming(filters: WorkshopFilters, page: int) -> Page[Workshop]:
    stmt = _listed(filters).order_by(Workshop.starts_at, Workshop.id)
    stmt = stmt.options(
        joinedload(Workshop.development_type), joinedload(Workshop.provider_unit), selectinload(Workshop.sessions)
    )
    return paginate(stmt, page, current_app.config["WORKSHOPS_PAGE_SIZE"])


def listing_changes_at(filters: WorkshopFilters) -> datetime | None:
    """When the list of upcoming workshops changes by the clock alone (the first listed one ends); None for a
    month, which does not depend on the clock."""
    if filters.month is not None:
        return None
    return db.session.scalar(_listed(filters).with_only_columns(func.min(Workshop.ends_at)))


def upcoming_for_competencies(
    competency_ids: Sequence[int] | None, limit: int = 5, unit_id: int | None = None
) -> list[Workshop]:
    """Published workshops not started yet that teach any of the competencies (None: any), soonest first.

    ``unit_id`` keeps only workshops open to that unit. For recommendations and development plans.
    """
    if competency_ids is not None and not competency_ids:
        return []
    stmt = select(Workshop).where(Workshop.status == WorkshopStatus.PUBLISHED, Workshop.starts_at > utcnow())
    if competency_ids is not None:
        stmt = stmt.where(Workshop.competencies.any(Competency.id.in_(list(competency_ids))))
    if unit_id:
        stmt = stmt.where(~Workshop.eligible_units.any() | Workshop.eligible_units.any(Unit.id == unit_id))
    stmt = stmt.order_by(Workshop.starts_at, Workshop.id).limit(limit)
    return list(db.session.scalars(stmt.options(selectinload(Workshop.competencies))))


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    sessions: list[WorkshopSession] = field(default_factory=list)


def calendar_month(month: date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month's grid with the sessions of published workshops on each day."""
    start, end = month_bounds(month)
    sessions = db.session.scalars(
        select(WorkshopSession)
        .join(Workshop)
        .where(
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
            WorkshopSession.starts_at >= start,
            WorkshopSession.starts_at < end,
        )
        .order_by(WorkshopSession.starts_at)
        .options(joinedload(WorkshopSession.workshop))
    )
    by_day: dict[date, list[WorkshopSession]] = defaultdict(list)
    for session in sessions:
        by_day[to_local(session.starts_at).date()].append(session)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[CalendarDay(day, day.month == month.month, by_day.get(day, [])) for day in week] for week in weeks]


@dataclass
class MyWorkshop:
    registration: Registration
    position: int | None
    attended_sessions: int


def my_workshops(user: User) -> list[MyWorkshop]:
    registrations = db.session.scalars(
        select(Registration)
        .join(Workshop)
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Workshop.starts_at.desc(), Workshop.id.desc())
        .options(
            joinedload(Registration.workshop).selectinload(Workshop.sessions),
            selectinload(Registration.attendances),
        )
    ).unique()
    return [MyWorkshop(r, waiting_position(r), len(r.attendances)) for r in registrations]


def managed_workshops(actor: User) -> list[Workshop]:
    if not can_organize(actor):
        raise PermissionDenied("workshop.manage")
    stmt = select(Workshop).order_by(Workshop.starts_at.desc(), Workshop.id.desc())
    if not actor.is_admin:
        stmt = stmt.where(Workshop.organizer_id == actor.id)
    return list(db.session.scalars(stmt.options(joinedload(Workshop.organizer))).unique())


@dataclass
class ParticipantRow:
    registration: Registration
    present: set[int]  # session ids
    position: int | None = None


def participants(actor: User, workshop: Workshop, query: str = "") -> list[ParticipantRow]:
    """Every registration with its attendance, for the dashboard, exports and check-in lists."""
    _require_manage(actor, workshop)
    stmt = (
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id)
        .options(joinedload(Registration.user).joinedload(User.unit), selectinload(Registration.attendances))
        .order_by(Registration.queued_at, Registration.id)
    )
    query = " ".join((query or "").split())[:100]
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(func.lower(User.name).like(pattern) | User.nip.like(pattern))
    rows = []
    waiting = 0
    for registration in db.session.scalars(stmt).unique():
        position = None
        if registration.status == RegistrationStatus.WAITLISTED:
            waiting += 1
            position = waiting
        rows.append(ParticipantRow(registration, {a.session_id for a in registration.attendances}, position))
    return rows


@dataclass(frozen=True)
class WorkshopFill:
    workshop_id: int
    title: str
    starts_at: datetime
    capacity: int
    confirmed: int
    completed: int
    ended: bool

    @property
    def fill_rate(self) -> float:
        return self.confirmed / self.capacity

    @property
    def attendance_rate(self) -> float | None:
        return self.completed / self.confirmed if self.ended and self.confirmed else None


@dataclass(frozen=True)
class FillAndAttendance:
    """Seats taken against capacity, and how many confirmed participants completed (ended workshops only)."""

    workshops: list[WorkshopFill]

    @property
    def capacity(self) -> int:
        return sum(w.capacity for w in self.workshops)

    @property
    def confirmed(self) -> int:
        return sum(w.confirmed for w in self.workshops)

    @property
    def fill_rate(self) -> float | None:
        return self.confirmed / self.capacity if self.capacity else None

    @property
    def ended_confirmed(self) -> int:
        return sum(w.confirmed for w in self.workshops if w.ended)

    @property
    def completed(self) -> int:
        return sum(w.completed for w in self.workshops if w.ended)

    @property
    def attendance_rate(self) -> float | None:
        return self.completed / self.ended_confirmed if self.ended_confirmed else None


def fill_and_attendance(year: int, unit_id: int | None = None, now: datetime | None = None) -> FillAndAttendance:
    """Read-only figures for the development dashboard: published and completed workshops starting in the year
    (WIB), with their confirmed seats and completions; ``unit_id`` keeps the workshops that unit provides.

    A workshop counts toward attendance once it has ended (or was marked completed): before that nobody could
    have completed it. One query.
    """
    now = now or utcnow()
    start = local_moment(date(year, 1, 1), time()).astimezone(UTC)
    end = local_moment(date(year + 1, 1, 1), time()).astimezone(UTC)
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    stmt = (
        select(
            Workshop.id,
            Workshop.title,
            Workshop.starts_at,
            Workshop.capacity,
            Workshop.ends_at,
            Workshop.status,
            func.count(Registration.id).filter(confirmed),
            func.count(Registration.id).filter(confirmed, Registration.completed_at.is_not(None)),
        )
        .outerjoin(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
            Workshop.starts_at >= start,
            Workshop.starts_at < end,
        )
        .group_by(Workshop.id, Workshop.title, Workshop.starts_at, Workshop.capacity, Workshop.ends_at, Workshop.status)
        .order_by(Workshop.starts_at, Workshop.id)
    )
    if unit_id is not None:
        stmt = stmt.where(Workshop.provider_unit_id == unit_id)
    rows = [
        WorkshopFill(
            workshop_id=workshop_id,
            title=title,
            starts_at=starts_at,
            capacity=capacity,
            confirmed=taken,
            completed=done,
            ended=status == WorkshopStatus.COMPLETED or ends_at <= now,
        )
        for workshop_id, title, starts_at, capacity, ends_at, status, taken, done in db.session.execute(stmt)
    ]
    return FillAndAttendance(rows)
