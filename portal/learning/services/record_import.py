"""External learning records from a CSV/XLSX file (LAN's ASN Unggul, the provincial BPSDM, a Moodle LMS).

Columns (header names, any order; docs/record-import.md): ``nip``, ``judul``, ``kode_jenis`` (BKN SE 3/2022 code),
``tanggal_mulai``, ``tanggal_selesai`` (``YYYY-MM-DD`` or ``DD-MM-YYYY``), ``jp``, ``penyelenggara`` and, optional,
``nomor_sertifikat``. Every line is checked first; one bad line means nothing is written, and every bad line is
reported with its line number. ``recognise`` stores the rows as verified (BKPSDM vouches for the source), else as
waiting for verification. A line that repeats an activity the person already has (same certificate number, or the
same dates and a similar title: :mod:`.duplicates`) is skipped and listed, never a second credit, so importing the
same file again changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies.queries import get_development_type_by_code
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus, certificate_key
from portal.learning.services import duplicates, rules
from portal.learning.services.claims import (
    CERTIFICATE_MAX,
    MAX_JP,
    MAX_SPAN_DAYS,
    PROVIDER_MAX,
    PROVIDER_MIN,
    TITLE_MAX,
    TITLE_MIN,
)
from portal.learning.services.common import LearningError, local_today
from portal.learning.services.position_import import _column_name, _table_rows
from portal.learning.services.positions import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, LineError, PositionError

COLUMNS = ("nip", "judul", "kode_jenis", "tanggal_mulai", "tanggal_selesai", "jp", "penyelenggara")
OPTIONAL = ("nomor_sertifikat",)
ALIASES = {
    "nama_kegiatan": "judul",
    "nama_pelatihan": "judul",
    "jenis": "kode_jenis",
    "kode_jenis_pengembangan": "kode_jenis",
    "mulai": "tanggal_mulai",
    "selesai": "tanggal_selesai",
    "jam_pelajaran": "jp",
    "no_sertifikat": "nomor_sertifikat",
    "sertifikat": "nomor_sertifikat",
    "lembaga": "penyelenggara",
}
SOURCE_MAX = 60
_NIP = re.compile(r"^\d{18}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


class RecordImportError(LearningError):
    """The file cannot be imported; ``errors`` lists the problems per line. Nothing was written."""

    def __init__(self, message: Any, errors: list[LineError] | None = None):
        super().__init__(message, "file")
        self.errors = errors or []


@dataclass(frozen=True)
class Skipped:
    line: int
    nip: str
    title: str
    record_id: int  # the record it repeats


@dataclass
class ImportReport:
    dry_run: bool
    recognised: bool
    rows: int = 0
    created: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _date(text: str) -> date | None:
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _read(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    if len(content) > IMPORT_MAX_BYTES:
        raise RecordImportError(_l("Berkas melebihi batas %(mb)d MB.", mb=IMPORT_MAX_BYTES // (1024 * 1024)))
    try:
        rows = _table_rows(content)
    except PositionError as error:  # the shared reader's file errors (not CSV/XLSX, not UTF-8, damaged)
        raise RecordImportError(error.message) from None
    if not rows:
        raise RecordImportError(_l("Berkas kosong: tidak ada baris judul maupun data."))
    (_line, header_cells), data = rows[0], rows[1:]
    header = [ALIASES.get(name, name) for name in map(_column_name, header_cells)]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise RecordImportError(
            _l(
                "Kolom wajib tidak ada di baris judul: %(missing)s. Baris judul harus memuat %(columns)s.",
                missing=", ".join(missing),
                columns=",".join(COLUMNS),
            )
        )
    if not data:
        raise RecordImportError(_l("Berkas hanya berisi baris judul, tanpa data."))
    if len(data) > IMPORT_MAX_ROWS:
        raise RecordImportError(
            _l("Berkas berisi lebih dari %(n)d baris; bagi menjadi beberapa berkas.", n=IMPORT_MAX_ROWS)
        )
    index = {column: header.index(column) for column in (*COLUMNS, *OPTIONAL) if column in header}
    parsed = [(line, {c: cells[i] if i < len(cells) else "" for c, i in index.items()}) for line, cells in data]
    ignored = [name for name in header if name and name not in (*COLUMNS, *OPTIONAL)]
    return parsed, ignored


def _check(line: int, values: dict[str, str], users: dict[str, int], today: date, fail: Any) -> dict | None:
    nip = values["nip"].replace(" ", "")
    user_id = users.get(nip)
    if not _NIP.match(nip):
        fail(line, _l("NIP harus 18 angka."))
    elif user_id is None:
        fail(line, _l("NIP %(nip)s tidak terdaftar di portal.", nip=nip))
    title, provider = values["judul"], values["penyelenggara"]
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        fail(line, _l("Judul harus %(a)d sampai %(b)d karakter.", a=TITLE_MIN, b=TITLE_MAX))
    if not PROVIDER_MIN <= len(provider) <= PROVIDER_MAX:
        fail(line, _l("Penyelenggara harus %(a)d sampai %(b)d karakter.", a=PROVIDER_MIN, b=PROVIDER_MAX))
    development_type = get_development_type_by_code(values["kode_jenis"])
    if development_type is None or not development_type.is_active:
        fail(line, _l("Kode jenis “%(code)s” tidak dikenal (pakai KL01–KL12, NKL01–NKL13).", code=values["kode_jenis"]))
    start, end = _date(values["tanggal_mulai"]), _date(values["tanggal_selesai"])
    if start is None or end is None:
        fail(line, _l("Tanggal harus berbentuk TTTT-BB-HH atau HH-BB-TTTT."))
    elif end < start:
        fail(line, _l("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    elif end > today:
        fail(line, _l("Kegiatan yang belum selesai belum dapat dicatat."))
    elif rules.days_spanned(start, end) > MAX_SPAN_DAYS:
        fail(line, _l("Satu kegiatan paling lama %(n)d hari.", n=MAX_SPAN_DAYS))
    jp_text = values["jp"]
    if not jp_text.isdigit() or not 1 <= int(jp_text) <= MAX_JP:
        fail(line, _l("JP harus bilangan bulat 1 sampai %(max)d.", max=MAX_JP))
    certificate = values.get("nomor_sertifikat", "")
    if len(certificate) > CERTIFICATE_MAX:
        fail(line, _l("Nomor sertifikat paling banyak %(n)d karakter.", n=CERTIFICATE_MAX))
    if user_id is None or development_type is None or start is None or end is None or not jp_text.isdigit():
        return None
    return {
        "user_id": user_id,
        "title": title,
        "provider": provider,
        "development_type_id": development_type.id,
        "start_date": start,
        "end_date": end,
        "jp": int(jp_text),
        "certificate_number": certificate,
        "nip": nip,
    }


def import_records(
    actor: Actor | None, content: bytes, *, source: str, recognise: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import external records (``actor`` None: the command line). All or nothing; audited."""
    if actor is not None:
        require(actor, Permission.VERIFY_LEARNING)
    source = " ".join((source or "").split())
    if not 2 <= len(source) <= SOURCE_MAX:
        raise RecordImportError(_l("Sebutkan sumber data (2–%(n)d karakter), mis. ASN Unggul.", n=SOURCE_MAX))
    rows, ignored = _read(content)
    problems: dict[int, list[str]] = defaultdict(list)

    def fail(line: int, message: Any) -> None:
        problems[line].append(str(message))

    nips = {values["nip"].replace(" ", "") for _line, values in rows}
    users = {row.nip: row.id for row in db.session.execute(select(User.nip, User.id).where(User.nip.in_(nips)))}
    today, checked = local_today(), []
    seen_certificates: dict[tuple[int, str], int] = {}
    seen_activities: dict[tuple[int, date, date, str], int] = {}
    for line, values in rows:
        row = _check(line, values, users, today, fail)
        if row is None or line in problems:
            continue
        key = certificate_key(row["certificate_number"])
        activity = (row["user_id"], row["start_date"], row["end_date"], row["title"].casefold())
        first = seen_certificates.get((row["user_id"], key)) if key else None
        first = first or seen_activities.get(activity)
        if first is not None:
            fail(line, _l("Kegiatan yang sama sudah ada di baris %(line)d.", line=first))
            continue
        if key:
            seen_certificates[(row["user_id"], key)] = line
        seen_activities[activity] = line
        checked.append((line, row))
    if problems:
        errors = [LineError(line, messages) for line, messages in sorted(problems.items())]
        raise RecordImportError(
            _l("%(n)d baris bermasalah; tidak ada data yang disimpan. Perbaiki lalu unggah lagi.", n=len(errors)),
            errors,
        )
    report = ImportReport(dry_run=dry_run, recognised=recognise, rows=len(rows), ignored_columns=ignored)
    now = utcnow()
    for line, row in checked:
        nip = row.pop("nip")
        candidate = duplicates.Candidate(
            row["user_id"], row["title"], row["start_date"], row["end_date"], row["certificate_number"]
        )
        matches = duplicates.find_matches(candidate)
        if matches:
            report.skipped.append(Skipped(line, nip, row["title"], matches[0].record.id))
            continue
        jp = row.pop("jp")
        record = LearningRecord(
            **row,
            jp_claimed=jp,
            jp=jp if recognise else 0,
            source=LearningSource.SELF_REPORTED,
            status=LearningStatus.VERIFIED if recognise else LearningStatus.SUBMITTED,
            description=str(_l("Diimpor dari %(source)s.", source=source)),
            created_at=now,
            updated_at=now,
            submitted_at=now,
            verified_at=now if recognise else None,
            verifier_id=getattr(actor, "id", None) if recognise else None,
        )
        db.session.add(record)
        db.session.flush()  # the next lines' duplicate check sees this one
        report.created += 1
    if dry_run:
        db.session.rollback()
        return report
    if report.created:
        audit.record(
            actor,
            "learning.import",
            None,
            label=source,
            created=report.created,
            skipped=len(report.skipped),
            recognised=recognise,
            origin="web" if actor is not None else "cli",
        )
    db.session.commit()
    return report
