"""The JP ledger: learning records and their JP per year, targets, attendance credit, and who may see a record.

Crediting and voiding attendance add to the caller's transaction and never commit: the workshop service that
recorded the attendance commits both together, so a credit never exists without the attendance behind it (and
vice versa). Self-reported records are in :mod:`.claims`, their verification and BKPSDM's settings (targets, JP
rules) in :mod:`.verification`; all of them are re-exported by :mod:`portal.learning.services`.

Functions other features call (the dashboard, the SIASN exports, reminders):

- :func:`target_for` ``(user, year) -> int``: the user's JP target (CPNS counts as PNS; PPPK_PW as PPPK);
  :func:`targets_for_year` gives both groups at once and :func:`target_group` the user's group.
- :func:`verified_jp` / :func:`pending_jp` ``(user, year) -> int``: recognised JP of verified records, and JP
  claimed by records still waiting (diajukan, perlu revisi), that ended in the year.
- :func:`jp_totals` ``(year, unit_id=None) -> dict[int, int]``: user id -> verified JP in one query; users
  without a verified record are absent (count them as 0).
- :func:`records_for` ``(user, year=None)``: a user's records, newest first. :func:`status_label` /
  :func:`source_label`: the Indonesian labels.

A record belongs to the year its activity **ended** (``end_date``): a seminar from 31 December to 1 January
counts for the new year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from flask import current_app
from sqlalchemy import Row, case, extract, func, select

from portal.accounts import services as accounts
from portal.accounts.models import EmploymentStatus, User
from portal.competencies.models import Competency
from portal.core import fragments
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, has_permission
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import (
    AnnualTarget,
    DevelopmentType,
    LearningRecord,
    LearningSource,
    LearningStatus,
    TargetGroup,
)
from portal.learning.services import oversight, rules
from portal.learning.services.common import local_today, path_for

PENDING_STATUSES = (LearningStatus.SUBMITTED, LearningStatus.NEEDS_REVISION)

STATUS_LABELS: dict[LearningStatus, Any] = {
    LearningStatus.SUBMITTED: _l("Diajukan"),
    LearningStatus.NEEDS_REVISION: _l("Perlu revisi"),
    LearningStatus.VERIFIED: _l("Terverifikasi"),
    LearningStatus.REJECTED: _l("Ditolak"),
}
SOURCE_LABELS: dict[LearningSource, Any] = {
    LearningSource.ATTENDANCE: _l("Kehadiran pelatihan"),
    LearningSource.SELF_REPORTED: _l("Diajukan sendiri"),
}
TARGET_GROUP_LABELS: dict[TargetGroup, Any] = {
    TargetGroup.PNS: _l("PNS dan CPNS"),
    TargetGroup.PPPK: _l("PPPK"),
}


# What a target depends on: a ``User``, or a row of the dashboard's query that has its employment_status column.
Employed: TypeAlias = "User | Row[Any]"


def status_label(status: LearningStatus | str) -> str:
    return _labels(STATUS_LABELS)[LearningStatus(status)]


def source_label(source: LearningSource | str) -> str:
    return _labels(SOURCE_LABELS)[LearningSource(source)]


_translated_labels: dict[tuple[int, str], dict[Any, str]] = {}


def _labels(labels: dict[Any, Any]) -> dict[Any, str]:
    """The labels translated once per locale: a ledger asks for two per record, and a lazy string re-translates
    each time it is shown (~25 µs)."""
    key = (id(labels), str(fragments.current_locale()))
    translated = _translated_labels.get(key)
    if translated is None:
        translated = _translated_labels[key] = {value: str(label) for value, label in labels.items()}
    return translated


def _year_bounds(year: int) -> tuple[Any, ...]:
    return LearningRecord.end_date >= date(year, 1, 1), LearningRecord.end_date <= date(year, 12, 31)


def record_path(record: LearningRecord) -> str:
    return path_for("learning.record", record_id=record.id)


@dataclass
class AttendanceCredit:
    """What a completed workshop puts on the attendee's record."""

    title: str
    development_type_id: int | None
    provider: str
    start_date: date
    end_date: date
    jp: int
    certificate_number: str = ""
    competencies: Sequence[Competency] = field(default_factory=list)


# ---------------------------------------------------------------- development types


def list_development_types(include_inactive: bool = False) -> list[DevelopmentType]:
    stmt = select(DevelopmentType).order_by(DevelopmentType.category, DevelopmentType.code)
    if not include_inactive:
        stmt = stmt.where(DevelopmentType.is_active.is_(True))
    return list(db.session.scalars(stmt))


def get_development_type(type_id: int | None) -> DevelopmentType | None:
    return db.session.get(DevelopmentType, type_id) if type_id else None


def get_development_type_by_code(code: str) -> DevelopmentType | None:
    return db.session.scalar(select(DevelopmentType).where(DevelopmentType.code == (code or "").strip().upper()))


# ---------------------------------------------------------------- attendance credit


def attendance_record(user_id: int, workshop_id: int) -> LearningRecord | None:
    return db.session.scalar(
        select(LearningRecord).where(LearningRecord.user_id == user_id, LearningRecord.workshop_id == workshop_id)
    )


def credit_workshop_attendance(user: Actor | int, workshop_id: int, credit: AttendanceCredit) -> LearningRecord:
    """Record (or bring up to date) the user's verified JP for a completed workshop; exactly one per workshop.

    Called again after the attendance or the workshop changed, it updates the same record. Does not commit.
    """
    user_id = user if isinstance(user, int) else user.id
    record = attendance_record(user_id, workshop_id)
    if record is None:
        record = LearningRecord(user_id=user_id, workshop_id=workshop_id, source=LearningSource.ATTENDANCE)
        db.session.add(record)
    record.title = credit.title[:200]
    record.development_type_id = credit.development_type_id
    record.provider = credit.provider[:200]
    record.start_date = credit.start_date
    record.end_date = max(credit.end_date, credit.start_date)
    record.jp = record.jp_claimed = max(0, int(credit.jp))
    record.quantity = max(1, rules.days_spanned(record.start_date, record.end_date))
    record.certificate_number = credit.certificate_number
    record.competencies = list(credit.competencies)
    record.status = LearningStatus.VERIFIED  # attendance recorded by the organizer needs no further check
    record.verified_at = record.verified_at or utcnow()
    record.updated_at = utcnow()
    return record


def void_workshop_attendance(user: Actor | int, workshop_id: int) -> bool:
    """Remove the credit of an attendance that no longer completes the workshop. Does not commit."""
    user_id = user if isinstance(user, int) else user.id
    record = attendance_record(user_id, workshop_id)
    if record is None:
        return False
    db.session.delete(record)
    return True


# ---------------------------------------------------------------- targets


def target_group(user: Employed) -> TargetGroup:
    return TargetGroup.PPPK if EmploymentStatus(user.employment_status).is_pppk else TargetGroup.PNS


def _default_target(group: TargetGroup) -> int:
    key = "LEARNING_TARGET_PPPK" if group == TargetGroup.PPPK else "LEARNING_TARGET_PNS"
    return int(current_app.config[key])


def targets_for_years(years: Sequence[int]) -> dict[int, dict[TargetGroup, int]]:
    """Both groups' targets for each year, in one query: the year's rows, else the settings' defaults."""
    rows = {
        (row.year, row.group): row.jp
        for row in db.session.scalars(select(AnnualTarget).where(AnnualTarget.year.in_(years)))
    }
    return {year: {group: rows.get((year, group), _default_target(group)) for group in TargetGroup} for year in years}


def targets_for_year(year: int) -> dict[TargetGroup, int]:
    return targets_for_years([year])[year]


def target_for(user: Employed, year: int) -> int:
    """The JP the user must reach in the year (CPNS counts as PNS; PPPK part time as PPPK)."""
    return targets_for_year(year)[target_group(user)]


# ---------------------------------------------------------------- who may verify


def can_verify(user: Actor) -> bool:
    return has_permission(user, Permission.VERIFY_LEARNING)


# ---------------------------------------------------------------- reading the ledger


def records_for(user: Actor, year: int | None = None) -> list[LearningRecord]:
    stmt = (
        select(LearningRecord)
        .where(LearningRecord.user_id == user.id)
        .order_by(LearningRecord.end_date.desc(), LearningRecord.id.desc())
    )
    if year is not None:
        stmt = stmt.where(*_year_bounds(year))
    return list(db.session.scalars(stmt))


def _sum(column: Any, user: Actor, year: int, statuses: Sequence[LearningStatus]) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(column), 0)).where(
            LearningRecord.user_id == user.id, LearningRecord.status.in_(statuses), *_year_bounds(year)
        )
    )
    return int(total or 0)


def verified_jp(user: Actor, year: int) -> int:
    """JP of the user's verified records that ended in the given year."""
    return _sum(LearningRecord.jp, user, year, (LearningStatus.VERIFIED,))


def pending_jp(user: Actor, year: int) -> int:
    """JP claimed by the user's records still waiting (diajukan, perlu revisi) that end in the given year."""
    return _sum(LearningRecord.jp_claimed, user, year, PENDING_STATUSES)


def jp_totals(year: int, unit_id: int | None = None) -> dict[int, int]:
    """Verified JP per user id for a year (optionally only a unit's users), in one query; 0-JP users absent."""
    stmt = (
        select(LearningRecord.user_id, func.sum(LearningRecord.jp))
        .where(LearningRecord.status == LearningStatus.VERIFIED, *_year_bounds(year))
        .group_by(LearningRecord.user_id)
    )
    if unit_id is not None:
        stmt = stmt.join(User, User.id == LearningRecord.user_id).where(User.unit_id == unit_id)
    return {user_id: int(total or 0) for user_id, total in db.session.execute(stmt)}


@dataclass
class Ledger:
    owner: User
    year: int
    target: int
    verified: int
    pending: int
    records: list[LearningRecord]
    by_source: dict[str, int]  # source label -> verified JP
    by_type: list[tuple[str, int]]  # type name -> verified JP, largest first

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.verified)

    @property
    def reached(self) -> bool:
        return self.verified >= self.target

    @property
    def percent(self) -> int:
        return 100 if self.target <= 0 else min(100, self.verified * 100 // self.target)


def ledger(owner: User, year: int) -> Ledger:
    records = records_for(owner, year)
    verified = [r for r in records if r.status == LearningStatus.VERIFIED]
    by_source: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    for record in verified:
        by_source[source_label(record.source)] += record.jp
        by_type[str(record.development_type or _l("Tanpa jenis"))] += record.jp
    return Ledger(
        owner=owner,
        year=year,
        target=target_for(owner, year),
        verified=sum(r.jp for r in verified),
        pending=sum(r.jp_claimed for r in records if r.status in PENDING_STATUSES),
        records=records,
        by_source=dict(by_source),
        by_type=sorted(by_type.items(), key=lambda item: (-item[1], item[0])),
    )


@dataclass(frozen=True)
class YearTotal:
    year: int
    verified: int
    target: int

    @property
    def reached(self) -> bool:
        return self.verified >= self.target


def history(owner: User) -> list[YearTotal]:
    """Verified JP against the target for every year from the owner's first record to this year, newest first."""
    year_of = extract("year", LearningRecord.end_date)
    verified_jp = case((LearningRecord.status == LearningStatus.VERIFIED, LearningRecord.jp), else_=0)
    totals = {
        int(year): int(total or 0)
        for year, total in db.session.execute(
            select(year_of, func.sum(verified_jp)).where(LearningRecord.user_id == owner.id).group_by(year_of)
        )
    }
    this_year = local_today().year
    years = list(range(this_year, min([this_year, *totals]) - 1, -1))
    targets = targets_for_years(years)
    group = target_group(owner)
    return [YearTotal(year, totals.get(year, 0), targets[year][group]) for year in years]


# ---------------------------------------------------------------- who may see and change a record


def can_view_record(viewer: Actor, record: LearningRecord) -> bool:
    """The owner and whoever oversees them (:mod:`oversight`), and BKPSDM's verifiers."""
    if can_verify(viewer):
        return True
    owner = accounts.get_user(record.user_id)
    return owner is not None and oversight.can_view_records(viewer, owner)


def get_visible_record(viewer: Actor, record_id: int) -> LearningRecord | None:
    """The record if the viewer may see it; None otherwise (a 404: it does not reveal that it exists)."""
    record = db.session.get(LearningRecord, record_id)
    if record is None or not can_view_record(viewer, record):
        return None
    return record


def can_edit(user: Actor, record: LearningRecord) -> bool:
    """The owner changes or withdraws a self-reported record until it is decided (diajukan, perlu revisi)."""
    return (
        getattr(user, "is_authenticated", False)
        and record.user_id == user.id
        and record.source == LearningSource.SELF_REPORTED
        and record.status in PENDING_STATUSES
    )


def can_decide(user: Actor, record: LearningRecord) -> bool:
    """A verifier decides a waiting self-reported record that is not their own."""
    return (
        can_verify(user)
        and record.user_id != user.id
        and record.source == LearningSource.SELF_REPORTED
        and record.status == LearningStatus.SUBMITTED
    )
