"""Verification of self-reported records by BKPSDM (``VERIFY_LEARNING``), and BKPSDM's settings: yearly JP rules
(targets and ceilings, :mod:`.targets`), JP rules.

A verifier approves (recognising JP that may differ from the claim), returns for revision or rejects a waiting
record that is not their own; the ASN is notified and the decision audited. Each decision locks the record, so
two verifiers (or a verifier and the owner's edit) cannot both act on the same version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies.queries import list_development_types
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import seed
from portal.learning.models import (
    AnnualTarget,
    DevelopmentType,
    JpRule,
    LearningRecord,
    LearningSource,
    LearningStatus,
    TargetGroup,
    TargetKind,
)
from portal.learning.services import duplicates, rules, targets
from portal.learning.services.claims import CLAIM_SUBMITTED, MAX_JP
from portal.learning.services.common import YEARS_BACK, LearningError, local_today, locked_record
from portal.learning.services.records import can_decide, record_path
from portal.notifications import services as notifications
from portal.notifications.services import EmailChoice

NOTE_MIN, NOTE_MAX = 5, 1000
MAX_TARGET = 200
# Each kind has a row on the notification settings page: (message, label, default email, who sees the row).
NOTIFICATION_KINDS: dict[str, tuple[Any, Any, EmailChoice, Permission | None]] = {
    "learning.verified": (
        _l('Kegiatan "%(title)s" diverifikasi: %(jp)s JP diakui.'),
        _l("Kegiatan saya diverifikasi"),
        EmailChoice.IMMEDIATE,
        None,
    ),
    "learning.returned": (
        _l('Kegiatan "%(title)s" dikembalikan untuk diperbaiki: %(note)s'),
        _l("Kegiatan saya dikembalikan untuk diperbaiki"),
        EmailChoice.IMMEDIATE,
        None,
    ),
    "learning.rejected": (
        _l('Kegiatan "%(title)s" ditolak: %(reason)s'),
        _l("Kegiatan saya ditolak"),
        EmailChoice.IMMEDIATE,
        None,
    ),
    CLAIM_SUBMITTED: (
        _l('%(actor)s mengajukan kegiatan "%(title)s" (%(jp)s JP) untuk diverifikasi.'),
        _l("Kegiatan diajukan untuk diverifikasi (verifikator)"),
        EmailChoice.DIGEST,
        Permission.VERIFY_LEARNING,
    ),
}


def register_notification_kinds() -> None:
    for kind, (message, label, email, audience) in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message, label=label, email=email, audience=audience)


# ---------------------------------------------------------------- the queue


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
    matches: list[duplicates.Match] = field(default_factory=list)  # records of the owner it resembles

    @property
    def likely_duplicate(self) -> bool:
        """Approving needs "bukan duplikat" with a reason: it resembles a recognised record."""
        return bool(duplicates.recognised_matches(self.matches))


def _row(record: LearningRecord, owner: User) -> QueueRow:
    pending = record.status in (LearningStatus.SUBMITTED, LearningStatus.NEEDS_REVISION)
    return QueueRow(record, owner, rules.check_record(record), duplicates.matches_for(record) if pending else [])


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
    rows = [_row(r, owners[r.user_id]) for r in found.items if r.user_id in owners]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def queue_row(actor: User, record: LearningRecord) -> QueueRow:
    require(actor, Permission.VERIFY_LEARNING)
    owner = accounts.get_user(record.user_id)
    assert owner is not None, "a record's owner exists: its foreign key deletes the record with the account"
    return _row(record, owner)


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


def _decide(
    actor: User,
    record_id: int,
    decision: _Decision,
    text: str,
    check: Callable[[LearningRecord], None] | None = None,
    **params: Any,
) -> LearningRecord:
    with locked_record(record_id) as record:
        if record.user_id == actor.id:
            raise LearningError(_l("Kegiatan Anda sendiri diverifikasi oleh verifikator lain."))
        if not can_decide(actor, record):
            raise LearningError(_l("Kegiatan ini tidak sedang menunggu verifikasi."))
        if check is not None:
            check(record)
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
        try:
            db.session.commit()
        except IntegrityError:  # another verifier recognised the same certificate number meanwhile
            db.session.rollback()
            raise LearningError(_CERTIFICATE_RECOGNISED) from None
    return record


_CERTIFICATE_RECOGNISED = _l(
    "Nomor sertifikat ini sudah diakui pada kegiatan lain pegawai ini; satu sertifikat hanya diakui sekali. "
    "Kembalikan atau tolak pengajuan ini."
)


def _duplicate_check(actor: User, not_duplicate: bool, reason: str) -> Callable[[LearningRecord], None]:
    """Before approving: a recognised certificate number is refused; a resemblance to a recognised record needs
    "bukan duplikat" with a reason, which is kept on the record and audited."""

    def check(record: LearningRecord) -> None:
        if duplicates.certificate_recognised(record) is not None:
            raise LearningError(_CERTIFICATE_RECOGNISED, "not_duplicate")
        resembled = duplicates.recognised_matches(duplicates.matches_for(record))
        if not resembled:
            return
        if not not_duplicate:
            message = _l(
                "Kegiatan ini mirip dengan kegiatan yang sudah diakui. Bandingkan keduanya; setujui hanya bila "
                "bukan duplikat, dengan alasannya."
            )
            raise LearningError(message, "not_duplicate")
        if len(reason) < NOTE_MIN:
            message = _l("Tulis alasan mengapa ini bukan duplikat (minimal %(n)d karakter).", n=NOTE_MIN)
            raise LearningError(message, "not_duplicate_reason")
        record.not_duplicate_reason = reason
        audit.record(
            actor,
            "learning.not_duplicate",
            record,
            label=record.title,
            user_id=record.user_id,
            resembles=[m.record.id for m in resembled],
            reason=reason,
        )

    return check


def approve(
    actor: User, record_id: int, jp: int | None, note: str = "", not_duplicate: bool = False, reason: str = ""
) -> LearningRecord:
    """Verify a waiting record, recognising ``jp`` (which may differ from the claim); the ASN is notified.

    A record resembling a recognised one of the same person (:mod:`.duplicates`) is approved only with
    ``not_duplicate`` and a ``reason``; one whose certificate number is already recognised, never.
    """
    require(actor, Permission.VERIFY_LEARNING)
    if jp is None or not 0 <= jp <= MAX_JP:
        raise LearningError(_l("JP yang diakui harus 0 sampai %(max)d.", max=MAX_JP), "jp")
    note = _check_note(note, "note", required=False)
    reason = _check_note(reason, "not_duplicate_reason", required=False) if not_duplicate else ""
    check = _duplicate_check(actor, not_duplicate, reason)
    return _decide(actor, record_id, _VERIFY, note, check=check, jp=jp)


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


# ---------------------------------------------------------------- BKPSDM's settings: targets and JP rules


def _kind(group: TargetGroup, value: TargetKind | str | None, current: TargetKind) -> TargetKind:
    if value is None or value == "":
        return current
    try:
        return TargetKind(value)
    except ValueError:
        raise LearningError(_l("Pilih target atau batas."), f"{group.value}_kind") from None


def _basis(group: TargetGroup, value: str | None, current: str) -> str:
    if value is None:
        return current
    text = " ".join(value.split()) or targets.DEFAULT_BASIS[group]
    if len(text) > targets.BASIS_MAX:
        raise LearningError(_l("Dasar hukum maksimal %(max)d karakter.", max=targets.BASIS_MAX), f"{group.value}_basis")
    return text


def set_targets(
    actor: User,
    year: int | None,
    values: dict[TargetGroup, int | None],
    kinds: dict[TargetGroup, TargetKind | str | None] | None = None,
    bases: dict[TargetGroup, str | None] | None = None,
) -> None:
    """Set a year's rule per group (BKPSDM): the JP figure, whether it is a target or a ceiling (``kinds``; None
    keeps it) and its legal basis (``bases``; None keeps it, "" restores the default); audited. A rule equal to the
    one in force changes nothing; every value is checked before anything is written."""
    require(actor, Permission.VERIFY_LEARNING)
    today = local_today()
    if year is None or not today.year - YEARS_BACK <= year <= today.year + 1:
        raise LearningError(
            _l("Tahun harus antara %(start)d dan %(end)d.", start=today.year - YEARS_BACK, end=today.year + 1), "year"
        )
    current = targets.rules_for_years([year])[year]
    wanted: dict[TargetGroup, tuple[int, TargetKind, str]] = {}
    for group, jp in values.items():
        if jp is None or not 0 <= jp <= MAX_TARGET:
            raise LearningError(_l("Target JP harus 0 sampai %(max)d.", max=MAX_TARGET), group.value)
        kind = _kind(group, (kinds or {}).get(group), current[group].kind)
        basis = _basis(group, (bases or {}).get(group), current[group].basis)
        wanted[group] = (jp, kind, basis)
    rows = {row.group: row for row in db.session.scalars(select(AnnualTarget).where(AnnualTarget.year == year))}
    for group, (jp, kind, basis) in wanted.items():
        rule = current[group]
        if (rule.jp, rule.kind, rule.basis) == (jp, kind, basis):
            continue
        row = rows.get(group) or AnnualTarget(year=year, group=group, jp=jp)
        row.jp, row.updated_at = jp, utcnow()
        # The defaults are stored as empty, so they keep following the group's default.
        row.kind = None if kind == targets.DEFAULT_KIND[group] else kind
        row.legal_basis = None if basis == targets.DEFAULT_BASIS[group] else basis
        db.session.add(row)
        audit.record(
            actor,
            "learning.target",
            None,
            label=f"{year} {group.value}",
            year=year,
            group=group.value,
            jp=jp,
            kind=kind.value,
            basis=basis,
        )
    db.session.commit()


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
    counts = seed.upsert_development_types()
    audit.record(actor, "learning.reference_data", None, label="development_types", **dict(counts))
    db.session.commit()
    return counts
