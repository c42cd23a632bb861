"""Learning-record rules: the JP ledger, self-reported records and their verification, targets, attendance credit.

Crediting and voiding attendance add to the caller's transaction and never commit: the workshop service that
recorded the attendance commits both together, so a credit never exists without the attendance behind it (and
vice versa). Everything else takes the acting user, checks permission here and commits; bad input raises
:class:`LearningError` and writes nothing.

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from portal.accounts import services as accounts
from portal.accounts.models import EmploymentStatus, User
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core import fragments, uploads
from portal.core.database import write_transaction
from portal.core.forms import RuleError
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, PermissionDenied, has_permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import oversight, rules
from portal.learning.models import (
    AnnualTarget,
    DevelopmentType,
    JpRule,
    LearningRecord,
    LearningSource,
    LearningStatus,
    TargetGroup,
)
from portal.learning.seed import upsert_development_types
from portal.notifications import services as notifications

UPLOAD_SUBDIR = "learning"
EVIDENCE_KINDS = ("pdf", "jpeg", "png")
TITLE_MIN, TITLE_MAX = 5, 200
PROVIDER_MIN, PROVIDER_MAX = 2, 200
CERTIFICATE_MAX, DESCRIPTION_MAX, MAX_COMPETENCIES = 40, 2000, 10
NOTE_MIN, NOTE_MAX = 5, 1000
MAX_JP, MAX_QUANTITY, MAX_SPAN_DAYS, YEARS_BACK = 999, 366, 366, 5
MAX_TARGET = 200
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
NOTIFICATION_KINDS: dict[str, Any] = {
    "learning.verified": _l('Kegiatan "%(title)s" diverifikasi: %(jp)s JP diakui.'),
    "learning.returned": _l('Kegiatan "%(title)s" dikembalikan untuk diperbaiki: %(note)s'),
    "learning.rejected": _l('Kegiatan "%(title)s" ditolak: %(reason)s'),
}


class LearningError(RuleError):
    """A learning-record rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


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


def local_today() -> date:
    """Today in Sawahlunto (WIB): what "not in the future" and "this year" mean for a record."""
    return utcnow().astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _year_bounds(year: int) -> tuple[Any, ...]:
    return LearningRecord.end_date >= date(year, 1, 1), LearningRecord.end_date <= date(year, 12, 31)


def path_for(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


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


def credit_workshop_attendance(user: Any, workshop_id: int, credit: AttendanceCredit) -> LearningRecord:
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


def void_workshop_attendance(user: Any, workshop_id: int) -> bool:
    """Remove the credit of an attendance that no longer completes the workshop. Does not commit."""
    user_id = user if isinstance(user, int) else user.id
    record = attendance_record(user_id, workshop_id)
    if record is None:
        return False
    db.session.delete(record)
    return True


# ---------------------------------------------------------------- targets


def target_group(user: Any) -> TargetGroup:
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


def target_for(user: Any, year: int) -> int:
    """The JP the user must reach in the year (CPNS counts as PNS; PPPK part time as PPPK)."""
    return targets_for_year(year)[target_group(user)]


def set_targets(actor: User, year: int | None, values: dict[TargetGroup, int | None]) -> None:
    """Set a year's targets per group (BKPSDM); audited. A value equal to the one in force changes nothing."""
    require(actor, Permission.VERIFY_LEARNING)
    today = local_today()
    if year is None or not today.year - YEARS_BACK <= year <= today.year + 1:
        raise LearningError(
            _l("Tahun harus antara %(start)d dan %(end)d.", start=today.year - YEARS_BACK, end=today.year + 1), "year"
        )
    for group, jp in values.items():
        if jp is None or not 0 <= jp <= MAX_TARGET:
            raise LearningError(_l("Target JP harus 0 sampai %(max)d.", max=MAX_TARGET), group.value)
    current = targets_for_year(year)
    rows = {row.group: row for row in db.session.scalars(select(AnnualTarget).where(AnnualTarget.year == year))}
    for group, jp in values.items():
        if current[group] == jp:
            continue
        row = rows.get(group) or AnnualTarget(year=year, group=group, jp=jp)
        row.jp, row.updated_at = jp, utcnow()
        db.session.add(row)
        audit.record(actor, "learning.target", None, label=f"{year} {group.value}", year=year, group=group.value, jp=jp)
    db.session.commit()


# ---------------------------------------------------------------- JP rules (administration)


def can_verify(user: Any) -> bool:
    return has_permission(user, Permission.VERIFY_LEARNING)


def rule_rows() -> list[tuple[DevelopmentType, JpRule | None]]:
    """Every development type (inactive too) with its rule, for the settings page."""
    by_type = rules.rules_by_type()
    return [(t, by_type.get(t.id)) for t in list_development_types(include_inactive=True)]


def save_rule(actor: User, development_type: DevelopmentType, data: rules.RuleInput) -> JpRule:
    require(actor, Permission.VERIFY_LEARNING)
    values = rules.validated_rule(data)
    rule = rules.rule_for(development_type.id) or JpRule(development_type_id=development_type.id)
    for name, value in values.items():
        setattr(rule, name, value)
    db.session.add(rule)
    audit.record(
        actor,
        "learning.rule",
        development_type,
        label=f"{development_type.code} {development_type.name}",
        **{k: (v.value if hasattr(v, "value") else v) for k, v in values.items() if k != "updated_at"},
    )
    db.session.commit()
    return rule


def load_reference_data(actor: User) -> Counter[str]:
    """Load the BKN development types and their default JP rules (a fresh installation has none); audited."""
    require(actor, Permission.VERIFY_LEARNING)
    counts = upsert_development_types()
    audit.record(actor, "learning.reference_data", None, label="development_types", **dict(counts))
    db.session.commit()
    return counts


# ---------------------------------------------------------------- reading the ledger


def records_for(user: Any, year: int | None = None) -> list[LearningRecord]:
    stmt = (
        select(LearningRecord)
        .where(LearningRecord.user_id == user.id)
        .order_by(LearningRecord.end_date.desc(), LearningRecord.id.desc())
    )
    if year is not None:
        stmt = stmt.where(*_year_bounds(year))
    return list(db.session.scalars(stmt))


def _sum(column: Any, user: Any, year: int, statuses: Sequence[LearningStatus]) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(column), 0)).where(
            LearningRecord.user_id == user.id, LearningRecord.status.in_(statuses), *_year_bounds(year)
        )
    )
    return int(total or 0)


def verified_jp(user: Any, year: int) -> int:
    """JP of the user's verified records that ended in the given year."""
    return _sum(LearningRecord.jp, user, year, (LearningStatus.VERIFIED,))


def pending_jp(user: Any, year: int) -> int:
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


def can_view_record(viewer: Any, record: LearningRecord) -> bool:
    """The owner and whoever oversees them (:mod:`oversight`), and BKPSDM's verifiers."""
    if can_verify(viewer):
        return True
    owner = accounts.get_user(record.user_id)
    return owner is not None and oversight.can_view_records(viewer, owner)


def get_visible_record(viewer: Any, record_id: int) -> LearningRecord | None:
    """The record if the viewer may see it; None otherwise (a 404: it does not reveal that it exists)."""
    record = db.session.get(LearningRecord, record_id)
    if record is None or not can_view_record(viewer, record):
        return None
    return record


def can_edit(user: Any, record: LearningRecord) -> bool:
    """The owner changes or withdraws a self-reported record until it is decided (diajukan, perlu revisi)."""
    return (
        getattr(user, "is_authenticated", False)
        and record.user_id == user.id
        and record.source == LearningSource.SELF_REPORTED
        and record.status in PENDING_STATUSES
    )


def can_decide(user: Any, record: LearningRecord) -> bool:
    """A verifier decides a waiting self-reported record that is not their own."""
    return (
        can_verify(user)
        and record.user_id != user.id
        and record.source == LearningSource.SELF_REPORTED
        and record.status == LearningStatus.SUBMITTED
    )


@contextmanager
def _locked(record_id: int) -> Iterator[LearningRecord]:
    """The record, locked against a concurrent decision, edit or withdrawal until the caller commits."""
    write_transaction(db.session())
    try:
        record = db.session.scalar(
            select(LearningRecord)
            .where(LearningRecord.id == record_id)
            .with_for_update(of=LearningRecord)
            .execution_options(populate_existing=True)
        )
        if record is None:
            raise LearningError(_l("Kegiatan tidak ditemukan."))
        yield record
    except BaseException:
        db.session.rollback()
        raise


# ---------------------------------------------------------------- self-reported records


@dataclass
class RecordInput:
    development_type_id: int | None
    title: str
    provider: str
    start_date: date | None
    end_date: date | None
    quantity: int | None
    jp_claimed: int | None
    is_international: bool = False
    competency_codes: Sequence[str] = ()
    certificate_number: str = ""
    description: str = ""
    evidence: FileStorage | None = None


def _text(value: str | None, minimum: int, maximum: int, field_name: str, label: Any) -> str:
    text = " ".join((value or "").split())
    if len(text) < minimum:
        raise LearningError(_l("%(label)s minimal %(n)d karakter.", label=label, n=minimum), field_name)
    if len(text) > maximum:
        raise LearningError(_l("%(label)s paling banyak %(n)d karakter.", label=label, n=maximum), field_name)
    return text


def _check_dates(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None:
        raise LearningError(_l("Isi tanggal mulai."), "start_date")
    if end is None:
        raise LearningError(_l("Isi tanggal selesai."), "end_date")
    if end < start:
        raise LearningError(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."), "end_date")
    today = local_today()
    if end > today:
        raise LearningError(_l("Kegiatan yang belum selesai belum dapat diajukan."), "end_date")
    if start.year < today.year - YEARS_BACK:
        raise LearningError(
            _l("Kegiatan sebelum tahun %(year)d tidak dapat diajukan lagi.", year=today.year - YEARS_BACK),
            "start_date",
        )
    if rules.days_spanned(start, end) > MAX_SPAN_DAYS:
        raise LearningError(_l("Satu kegiatan paling lama %(n)d hari.", n=MAX_SPAN_DAYS), "end_date")
    return start, end


def _check_type(type_id: int | None, current_id: int | None = None) -> DevelopmentType:
    development_type = get_development_type(type_id)
    if development_type is None or not (development_type.is_active or development_type.id == current_id):
        raise LearningError(_l("Pilih jenis pengembangan kompetensi."), "development_type_id")
    return development_type


def _check_quantity(quantity: int | None, rule: JpRule | None, start: date, end: date) -> int:
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        raise LearningError(_l("Jumlah harus 1 sampai %(max)d.", max=MAX_QUANTITY), "quantity")
    days = rules.days_spanned(start, end)
    if rule is not None and rule.unit in (rules.JpUnit.DAY, rules.JpUnit.CURRICULUM) and quantity > days:
        raise LearningError(
            _l("Jumlah hari (%(n)d) melebihi rentang tanggal kegiatan (%(days)d hari).", n=quantity, days=days),
            "quantity",
        )
    return quantity


def _check_competencies(codes: Sequence[str]) -> list[Competency]:
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes if code and code.strip()))
    if len(wanted) > MAX_COMPETENCIES:
        raise LearningError(_l("Pilih paling banyak %(n)d kompetensi.", n=MAX_COMPETENCIES), "competencies")
    found = [competencies.get_by_code(code) for code in wanted]
    if any(c is None or not c.is_active for c in found):
        raise LearningError(_l("Ada kompetensi yang tidak dikenal."), "competencies")
    return found


def _validated(data: RecordInput, record: LearningRecord | None = None) -> dict[str, Any]:
    """Every field checked before anything is written; the column values."""
    development_type = _check_type(data.development_type_id, record.development_type_id if record else None)
    title = _text(data.title, TITLE_MIN, TITLE_MAX, "title", _l("Nama kegiatan"))
    provider = _text(data.provider, PROVIDER_MIN, PROVIDER_MAX, "provider", _l("Penyelenggara"))
    start, end = _check_dates(data.start_date, data.end_date)
    quantity = _check_quantity(data.quantity, rules.rule_for(development_type.id), start, end)
    if data.jp_claimed is None or not 1 <= data.jp_claimed <= MAX_JP:
        raise LearningError(_l("JP yang diajukan harus 1 sampai %(max)d.", max=MAX_JP), "jp_claimed")
    certificate = " ".join((data.certificate_number or "").split())
    if len(certificate) > CERTIFICATE_MAX:
        message = _l("Nomor sertifikat paling banyak %(n)d karakter.", n=CERTIFICATE_MAX)
        raise LearningError(message, "certificate_number")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise LearningError(_l("Uraian paling banyak %(n)d karakter.", n=DESCRIPTION_MAX), "description")
    return {
        "development_type_id": development_type.id,
        "title": title,
        "provider": provider,
        "start_date": start,
        "end_date": end,
        "quantity": quantity,
        "jp_claimed": data.jp_claimed,
        "is_international": bool(data.is_international),
        "competencies": _check_competencies(data.competency_codes),
        "certificate_number": certificate,
        "description": description,
    }


def _save_evidence(file: FileStorage | None, required: bool) -> uploads.StoredFile | None:
    if file is None or not file.filename:
        if required:
            raise LearningError(_l("Unggah bukti kegiatan (sertifikat atau surat tugas)."), "evidence")
        return None
    max_bytes = int(current_app.config.get("MAX_UPLOAD_MB", 10)) * 1024 * 1024
    try:
        return uploads.save_upload(file, EVIDENCE_KINDS, max_bytes, UPLOAD_SUBDIR)
    except uploads.UploadError as error:
        raise LearningError(str(error), "evidence") from None


def _attach(record: LearningRecord, stored: uploads.StoredFile | None) -> str:
    """Point the record at a new evidence file; returns the replaced file's name (to delete after commit)."""
    if stored is None:
        return ""
    old = record.evidence_path
    record.evidence_path = stored.stored_name
    record.evidence_name = stored.original_name[:200]
    record.evidence_mime = stored.mime
    return old


def check_input(user: Any, data: RecordInput, record_id: int | None = None) -> rules.ClaimCheck | None:
    """The rule's suggestion and warnings for a (possibly incomplete) form, for the live hint; None when unknown."""
    if not data.development_type_id or data.start_date is None:
        return None
    end = data.end_date if data.end_date and data.end_date >= data.start_date else data.start_date
    return rules.check_claim(
        user.id,
        rules.Claim(
            development_type_id=data.development_type_id,
            quantity=data.quantity or 1,
            start_date=data.start_date,
            end_date=end,
            jp_claimed=data.jp_claimed,
            is_international=data.is_international,
            exclude_record_id=record_id,
        ),
    )


def submit(user: User, data: RecordInput) -> LearningRecord:
    """The ASN submits an activity with its evidence for verification (status diajukan)."""
    values = _validated(data)
    stored = _save_evidence(data.evidence, required=True)
    now = utcnow()
    record = LearningRecord(
        user_id=user.id, source=LearningSource.SELF_REPORTED, status=LearningStatus.SUBMITTED, submitted_at=now
    )
    for name, value in values.items():
        setattr(record, name, value)
    _attach(record, stored)
    record.created_at = record.updated_at = now
    db.session.add(record)
    _commit_or_forget(stored)
    return record


def update(user: User, record: LearningRecord, data: RecordInput) -> LearningRecord:
    """The owner corrects a waiting record; one returned for revision is thereby submitted again."""
    if not can_edit(user, record):
        raise PermissionDenied("learning.edit")
    values = _validated(data, record)
    stored = _save_evidence(data.evidence, required=not record.evidence_path and not record.contribution_key)
    try:
        with _locked(record.id) as locked:
            if not can_edit(user, locked):
                raise LearningError(_l("Kegiatan ini sudah diputuskan dan tidak dapat diubah lagi."))
            for name, value in values.items():
                setattr(locked, name, value)
            replaced = _attach(locked, stored)
            locked.updated_at = utcnow()
            if locked.status == LearningStatus.NEEDS_REVISION:
                locked.status, locked.submitted_at = LearningStatus.SUBMITTED, locked.updated_at
            db.session.commit()
    except BaseException:
        if stored is not None:
            uploads.delete_stored(UPLOAD_SUBDIR, stored.stored_name)
        raise
    if replaced:
        uploads.delete_stored(UPLOAD_SUBDIR, replaced)
    return locked


def withdraw(user: User, record: LearningRecord) -> None:
    """The owner takes back a waiting record: it and its evidence are deleted."""
    if not can_edit(user, record):
        raise PermissionDenied("learning.withdraw")
    with _locked(record.id) as locked:
        if not can_edit(user, locked):
            raise LearningError(_l("Kegiatan ini sudah diputuskan dan tidak dapat ditarik lagi."))
        evidence = locked.evidence_path
        db.session.delete(locked)
        db.session.commit()
    if evidence:
        uploads.delete_stored(UPLOAD_SUBDIR, evidence)


def _commit_or_forget(stored: uploads.StoredFile | None) -> None:
    """Commit; if that fails, the file saved for it is removed so no upload is left without its record."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored is not None:
            uploads.delete_stored(UPLOAD_SUBDIR, stored.stored_name)
        raise


# ---------------------------------------------------------------- verification


@dataclass
class QueueFilters:
    status: LearningStatus | None = LearningStatus.SUBMITTED  # None: every status
    unit_id: int | None = None
    development_type_id: int | None = None


@dataclass
class QueueRow:
    record: LearningRecord
    owner: User
    check: rules.ClaimCheck


def verification_queue(actor: User, filters: QueueFilters, page: int) -> Page[QueueRow]:
    """Self-reported records, oldest submission first, with their owners and the rule's check."""
    require(actor, Permission.VERIFY_LEARNING)
    stmt = select(LearningRecord).where(LearningRecord.source == LearningSource.SELF_REPORTED)
    if filters.status is not None:
        stmt = stmt.where(LearningRecord.status == filters.status)
    if filters.development_type_id:
        stmt = stmt.where(LearningRecord.development_type_id == filters.development_type_id)
    if filters.unit_id:
        stmt = stmt.where(LearningRecord.user_id.in_(select(User.id).where(User.unit_id == filters.unit_id)))
    stmt = stmt.order_by(
        func.coalesce(LearningRecord.submitted_at, LearningRecord.created_at), LearningRecord.id
    ).options(selectinload(LearningRecord.competencies))
    found = paginate(stmt, page, int(current_app.config["LEARNING_PAGE_SIZE"]))
    owners = {user.id: user for user in accounts.get_users({r.user_id for r in found.items})}
    rows = [QueueRow(r, owners[r.user_id], rules.check_record(r)) for r in found.items if r.user_id in owners]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def queue_row(actor: User, record: LearningRecord) -> QueueRow:
    require(actor, Permission.VERIFY_LEARNING)
    return QueueRow(record, accounts.get_user(record.user_id), rules.check_record(record))


def waiting_count() -> int:
    stmt = select(func.count()).select_from(LearningRecord)
    return db.session.scalar(stmt.where(LearningRecord.status == LearningStatus.SUBMITTED)) or 0


def _check_note(note: str | None, field_name: str, required: bool) -> str:
    text = (note or "").strip()
    if required and len(text) < NOTE_MIN:
        message = _l("Tulis catatan untuk pegawai (minimal %(n)d karakter).", n=NOTE_MIN)
        if field_name == "reason":
            message = _l("Tulis alasan penolakan (minimal %(n)d karakter).", n=NOTE_MIN)
        raise LearningError(message, field_name)
    if len(text) > NOTE_MAX:
        raise LearningError(_l("Catatan paling banyak %(n)d karakter.", n=NOTE_MAX), field_name)
    return text


@dataclass(frozen=True)
class _Decision:
    status: LearningStatus
    action: str  # audit log
    kind: str  # notification


_VERIFY = _Decision(LearningStatus.VERIFIED, "learning.verify", "learning.verified")
_RETURN = _Decision(LearningStatus.NEEDS_REVISION, "learning.return", "learning.returned")
_REJECT = _Decision(LearningStatus.REJECTED, "learning.reject", "learning.rejected")


def _decide(actor: User, record_id: int, decision: _Decision, text: str, **params: Any) -> LearningRecord:
    with _locked(record_id) as record:
        if record.user_id == actor.id:
            raise LearningError(_l("Kegiatan Anda sendiri diverifikasi oleh verifikator lain."))
        if not can_decide(actor, record):
            raise LearningError(_l("Kegiatan ini tidak sedang menunggu verifikasi."))
        now = utcnow()
        record.status, record.verifier_id, record.verifier_note = decision.status, actor.id, text
        record.verified_at = now if decision.status == LearningStatus.VERIFIED else None
        record.updated_at = now
        if decision.status == LearningStatus.VERIFIED:
            record.jp = params["jp"]
        notifications.notify(
            [record.user_id], decision.kind, record_path(record), actor=actor, title=record.title, **params
        )
        audit.record(
            actor,
            decision.action,
            record,
            label=record.title,
            user_id=record.user_id,
            claimed=record.jp_claimed,
            recognised=record.jp,
            note=text,
        )
        db.session.commit()
    return record


def approve(actor: User, record_id: int, jp: int | None, note: str = "") -> LearningRecord:
    """Verify a waiting record, recognising ``jp`` (which may differ from the claim); the ASN is notified."""
    require(actor, Permission.VERIFY_LEARNING)
    if jp is None or not 0 <= jp <= MAX_JP:
        raise LearningError(_l("JP yang diakui harus 0 sampai %(max)d.", max=MAX_JP), "jp")
    note = _check_note(note, "note", required=False)
    return _decide(actor, record_id, _VERIFY, note, jp=jp)


def return_for_revision(actor: User, record_id: int, note: str) -> LearningRecord:
    """Send a waiting record back to the ASN with what to fix (perlu revisi)."""
    require(actor, Permission.VERIFY_LEARNING)
    note = _check_note(note, "note", required=True)
    return _decide(actor, record_id, _RETURN, note, note=note)


def reject(actor: User, record_id: int, reason: str) -> LearningRecord:
    """Refuse a waiting record for good (ditolak), with the reason."""
    require(actor, Permission.VERIFY_LEARNING)
    reason = _check_note(reason, "reason", required=True)
    return _decide(actor, record_id, _REJECT, reason, reason=reason)
