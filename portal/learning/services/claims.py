"""Self-reported records: an ASN submits an activity with its evidence, corrects it while it waits, or withdraws it.

Every field is checked before anything is written (:class:`LearningError` for bad input); an uploaded evidence file
is removed again when its record is not stored. Verification is in :mod:`.verification`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from werkzeug.datastructures import FileStorage

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.competencies.queries import get_development_type
from portal.core import uploads
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import DevelopmentType, JpRule, LearningRecord, LearningSource, LearningStatus
from portal.learning.services import duplicates, rules, siasn
from portal.learning.services.common import YEARS_BACK, LearningError, local_today, locked_record
from portal.learning.services.records import can_edit, record_path
from portal.notifications import services as notifications

UPLOAD_SUBDIR = "learning"
EVIDENCE_KINDS = ("pdf", "jpeg", "png")
TITLE_MIN, TITLE_MAX = 5, 200
PROVIDER_MIN, PROVIDER_MAX = 2, 200
CERTIFICATE_MAX, DESCRIPTION_MAX, MAX_COMPETENCIES = 40, 2000, 10
MAX_JP, MAX_QUANTITY, MAX_SPAN_DAYS = 999, 366, 366
CLAIM_SUBMITTED = "learning.claim_submitted"  # registered with the other kinds in :mod:`.verification`


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
    acknowledge_duplicate: bool = False  # the ASN saw the records it resembles and submits it anyway
    leadership_level_id: int | None = None  # structural training (KL01) only: PKN I/II, PKA, PKP


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
    return [c for c in found if c is not None]  # all of them, after the check above


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
    level = siasn.check_level(development_type, data.leadership_level_id)
    return {
        "development_type_id": development_type.id,
        "leadership_level_id": level.id if level else None,
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


def _check_duplicates(user_id: int, data: RecordInput, values: dict[str, Any], record_id: int | None = None) -> None:
    """Refuse (until acknowledged) an activity resembling the person's other records (:mod:`.duplicates`)."""
    if data.acknowledge_duplicate:
        return
    candidate = duplicates.Candidate(
        user_id, values["title"], values["start_date"], values["end_date"], values["certificate_number"], record_id
    )
    matches = duplicates.find_matches(candidate)
    if matches:
        raise duplicates.LikelyDuplicate(matches)


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


def check_input(user: Actor, data: RecordInput, record_id: int | None = None) -> rules.ClaimCheck | None:
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
    _check_duplicates(user.id, data, values)
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
    db.session.flush()
    _notify_verifiers(user, record)
    _commit_or_forget(stored)
    return record


def _notify_verifiers(owner: User, record: LearningRecord) -> None:
    """A claim waits for verification: every verifier but its owner hears once (until they read it)."""
    verifiers = accounts.active_ids_with(Permission.VERIFY_LEARNING)
    path = record_path(record)
    notifications.notify_once(verifiers, CLAIM_SUBMITTED, path, actor=owner, title=record.title, jp=record.jp_claimed)


def update(user: User, record: LearningRecord, data: RecordInput) -> LearningRecord:
    """The owner corrects a waiting record; one returned for revision is thereby submitted again."""
    if not can_edit(user, record):
        raise PermissionDenied("learning.edit")
    values = _validated(data, record)
    _check_duplicates(record.user_id, data, values, record.id)
    stored = _save_evidence(data.evidence, required=not record.evidence_path and not record.contribution_key)
    try:
        with locked_record(record.id) as locked:
            if not can_edit(user, locked):
                raise LearningError(_l("Kegiatan ini sudah diputuskan dan tidak dapat diubah lagi."))
            for name, value in values.items():
                setattr(locked, name, value)
            replaced = _attach(locked, stored)
            locked.updated_at = utcnow()
            if locked.status == LearningStatus.NEEDS_REVISION:
                locked.status, locked.submitted_at = LearningStatus.SUBMITTED, locked.updated_at
                _notify_verifiers(user, locked)
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
    with locked_record(record.id) as locked:
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
