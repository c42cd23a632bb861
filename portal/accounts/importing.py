"""Accounts provisioned outside the web forms: the BKPSDM CSV import, ``flask users create-admin``, demo data.

CSV import rules
- Header ``nip,name,email,unit,position[,status][,role]`` (Indonesian names nama/unit_kerja/jabatan/peran are
  accepted too); ``,`` or ``;`` as delimiter; UTF-8 with or without BOM. A missing required column rejects the
  whole file.
- Every row is validated on its own and all its problems are reported with the CSV line number. A bad row writes
  nothing; each good row is written in its own transaction, so one bad row never blocks the others.
- Accounts are matched by NIP: a known NIP is updated, never duplicated. An empty status or role cell keeps the
  existing account's value (new accounts get PNS and member), so a file without a role column cannot demote an
  admin.
- Optional ``contract_start``/``contract_end`` (``mulai_kontrak``/``akhir_kontrak``): a PPPK's employment contract,
  ``YYYY-MM-DD`` or ``DD/MM/YYYY``. Both cells empty keep the existing dates; other statuses have none (giving one
  is an error, and an account that stops being PPPK loses them).
- Imported accounts are verified and get an unusable random password: the owner sets one through
  "lupa kata sandi", which mails the address BKPSDM has on file. For the same reason a pending self-registration
  that the import verifies loses the password it was registered with.
"""

from __future__ import annotations

import csv
import enum
import io
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from portal.accounts import services
from portal.accounts.models import EmploymentStatus, User
from portal.accounts.nip import NipError, normalize_nip, parse_nip
from portal.audit import services as audit
from portal.core import records
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.units import services as units
from portal.units.models import Unit

REQUIRED_COLUMNS = ("nip", "name", "email", "unit", "position")
OPTIONAL_COLUMNS = ("status", "role", "contract_start", "contract_end")
COLUMN_ALIASES = {
    "nama": "name",
    "unit_kerja": "unit",
    "opd": "unit",
    "jabatan": "position",
    "peran": "role",
    "mulai_kontrak": "contract_start",
    "akhir_kontrak": "contract_end",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
POSITION_MAX = 200
_SCIENTIFIC_NUMBER = re.compile(r"^\d([.,]\d+)?e\+?\d+$", re.IGNORECASE)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class ImportFileError(services.AccountError):
    """The file as a whole cannot be imported (encoding, header); nothing was written."""


class RowInvalid(ValueError):
    """One row broke one or more rules; ``messages`` lists them all."""

    def __init__(self, messages: list[Any]):
        super().__init__("; ".join(str(message) for message in messages))
        self.messages = [str(message) for message in messages]


@dataclass(frozen=True)
class AccountRow:
    """One account as written in a source (a CSV row, a demo record): raw text."""

    nip: str
    name: str
    email: str
    unit: str  # unit code or exact unit name
    position: str = ""
    status: str = ""  # empty: keep the existing account's status (PNS for a new one)
    role: str = ""  # empty: keep the existing account's role (member for a new one)
    contract_start: str = ""  # PPPK only; both contract cells empty: keep the existing dates
    contract_end: str = ""


@dataclass(frozen=True)
class AccountData:
    """A validated :class:`AccountRow`."""

    nip: str
    name: str
    email: str
    unit_id: int
    position: str
    status: EmploymentStatus
    role: Role | None  # None: keep the existing role
    contract: tuple[date | None, date | None] | None = None  # None: keep the existing dates (if still PPPK)


@dataclass(frozen=True)
class RowResult:
    line: int
    nip: str
    outcome: Outcome
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    ignored_columns: list[str]
    results: list[RowResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter[Outcome]:
        return Counter(result.outcome for result in self.results)

    @property
    def failures(self) -> list[RowResult]:
        return [result for result in self.results if result.outcome == Outcome.FAILED]


class UnitDirectory:
    """Active units found by code (case-insensitive) or by exact name (case- and spacing-insensitive)."""

    def __init__(self, active_units: Iterable[Unit]):
        self._by_key: dict[str, Unit] = {}
        for unit in active_units:
            self._by_key[unit.code.upper()] = unit
            self._by_key[self._name_key(unit.name)] = unit

    @classmethod
    def load(cls) -> UnitDirectory:
        return cls(units.list_active())

    @staticmethod
    def _name_key(name: str) -> str:
        return "name:" + " ".join(name.split()).lower()

    def find(self, code_or_name: str) -> Unit | None:
        text = (code_or_name or "").strip()
        return self._by_key.get(text.upper()) or self._by_key.get(self._name_key(text))

    def __bool__(self) -> bool:
        return bool(self._by_key)


# ---------------------------------------------------------------- one account


def _parse_status(raw: str, existing: User | None) -> EmploymentStatus:
    text = re.sub(r"[\s-]+", "_", (raw or "").strip().upper())
    if not text:
        return existing.employment_status if existing else EmploymentStatus.PNS
    try:
        return EmploymentStatus(text)
    except ValueError:
        raise services.AccountError(
            _l("Status kepegawaian “%(value)s” tidak dikenal: pakai PNS, CPNS, PPPK, atau PPPK_PW.", value=raw.strip())
        ) from None


def _parse_role(raw: str) -> Role | None:
    text = (raw or "").strip().lower()
    if not text:
        return None
    try:
        return Role(text)
    except ValueError:
        raise services.AccountError(
            _l("Peran “%(value)s” tidak dikenal: pakai member, organizer, moderator, atau admin.", value=raw.strip())
        ) from None


def _check_nip(raw: str, status: EmploymentStatus) -> str:
    nip = normalize_nip((raw or "").lstrip("'"))  # Excel marks a number kept as text with a leading apostrophe
    if _SCIENTIFIC_NUMBER.match(nip):
        raise services.AccountError(
            _l("NIP tertulis sebagai angka ilmiah (%(value)s): format kolom NIP sebagai Teks di Excel.", value=nip)
        )
    try:
        return parse_nip(nip, status).nip
    except NipError as error:
        raise services.AccountError(str(error)) from None


def _check_unit(raw: str, directory: UnitDirectory) -> int:
    if not (raw or "").strip():
        raise services.AccountError(_l("Unit kerja wajib diisi (kode atau nama unit)."))
    unit = directory.find(raw)
    if unit is None:
        raise services.AccountError(
            _l("Unit kerja “%(value)s” tidak dikenal atau nonaktif: pakai kode atau nama lengkap unit.", value=raw)
        )
    return unit.id


def _check_position(raw: str) -> str:
    position = " ".join((raw or "").split())
    if len(position) > POSITION_MAX:
        raise services.AccountError(_l("Jabatan maksimal %(max)d karakter.", max=POSITION_MAX))
    return position


def _parse_date(raw: str) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise services.AccountError(
        _l("Tanggal kontrak “%(value)s” tidak dikenal: tulis TTTT-BB-HH atau HH/BB/TTTT.", value=text)
    )


def _check_contract(row: AccountRow, status: EmploymentStatus) -> tuple[date | None, date | None] | None:
    if not (row.contract_start.strip() or row.contract_end.strip()):
        return None if status.is_pppk else (None, None)
    start, end = _parse_date(row.contract_start), _parse_date(row.contract_end)
    return services.check_contract(status, start, end)


def check_row(row: AccountRow, directory: UnitDirectory, existing: User | None) -> AccountData:
    """Validate every field and report all problems at once (raises :class:`RowInvalid`)."""
    problems: list[Any] = []

    def attempt(check, *args):
        try:
            return check(*args)
        except services.AccountError as error:
            problems.append(error.message)
            return None

    status = attempt(_parse_status, row.status, existing)
    role = attempt(_parse_role, row.role)
    # With an unknown status, check the NIP by the rules every status shares (PPPK's skip the TMT month).
    nip = attempt(_check_nip, row.nip, status or EmploymentStatus.PPPK)
    name = attempt(services.check_name, row.name)
    email = attempt(services.check_email, row.email, existing.id if existing else None)
    unit_id = attempt(_check_unit, row.unit, directory)
    position = attempt(_check_position, row.position)
    contract = attempt(_check_contract, row, status) if status is not None else None
    if problems:
        raise RowInvalid(problems)
    # No problem, so every check returned its value (only the role may be None).
    assert nip is not None and name is not None and email is not None and position is not None
    assert unit_id is not None and status is not None
    return AccountData(
        nip=nip,
        name=name,
        email=email,
        unit_id=unit_id,
        position=position,
        status=status,
        role=role,
        contract=contract,
    )


def _new_user(data: AccountData, password_hash: str, verified: bool, active: bool) -> User:
    now = utcnow()
    return User(
        nip=data.nip,
        name=data.name,
        email=data.email,
        unit_id=data.unit_id,
        position=data.position,
        employment_status=data.status,
        contract_start=data.contract[0] if data.contract else None,
        contract_end=data.contract[1] if data.contract else None,
        role=data.role or Role.MEMBER,
        password_hash=password_hash,
        session_token=services.new_session_token(),
        is_verified=verified,
        verified_at=now if verified else None,
        active=active,
        deactivated_at=None if active else now,
    )


def _set_state(user: User, *, verified: bool, active: bool | None, password_hash: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if verified != user.is_verified:
        changes["is_verified"] = {"old": user.is_verified, "new": verified}
        user.is_verified, user.verified_at = verified, utcnow() if verified else None
        if verified:  # whoever registered this NIP may not be its owner: the owner sets a password by email
            replace_password_hash(user, password_hash)
            changes["password_reset"] = True
    if active is not None and active != user.active:
        changes["active"] = {"old": user.active, "new": active}
        user.active, user.deactivated_at = active, None if active else utcnow()
        if not active:
            user.session_token = services.new_session_token()
    return changes


def upsert_account(
    data: AccountData,
    existing: User | None,
    *,
    password_hash: str,
    verified: bool = True,
    active: bool | None = None,
) -> tuple[User, Outcome, dict[str, Any]]:
    """Create the account or bring an existing one in line with ``data``; flushes, does not commit.

    ``password_hash`` is used for a new account and for one that becomes verified here. ``active`` None keeps an
    existing account's state (a new one is active). Returns the user, the outcome and the changed fields.
    """
    if existing is None:
        user = _new_user(data, password_hash, verified, active is not False)
        db.session.add(user)
        db.session.flush()
        return user, Outcome.CREATED, {}
    wanted: dict[str, Any] = {
        "name": data.name,
        "email": data.email,
        "unit_id": data.unit_id,
        "position": data.position,
        "employment_status": data.status,
    }
    if data.role is not None:
        wanted["role"] = data.role
    changes = records.changes(existing, wanted)
    for key, value in wanted.items():
        setattr(existing, key, value)
    if data.contract is not None and data.contract != (existing.contract_start, existing.contract_end):
        changes["contract"] = {
            "old": [str(value or "") for value in (existing.contract_start, existing.contract_end)],
            "new": [str(value or "") for value in data.contract],
        }
        existing.contract_start, existing.contract_end = data.contract
    changes.update(_set_state(existing, verified=verified, active=active, password_hash=password_hash))
    db.session.flush()
    return existing, (Outcome.UPDATED if changes else Outcome.UNCHANGED), changes


def replace_password_hash(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    user.session_token = services.new_session_token()  # old sessions and remember-me cookies stop working


def unusable_password_hash() -> str:
    """The hash of a random password nobody knows; one per run is enough since nobody can log in with it."""
    return generate_password_hash(secrets.token_urlsafe(32))


def any_account_exists() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


# ---------------------------------------------------------------- command line administrator


@dataclass(frozen=True)
class Promotion:
    user: User
    changed: list[str]  # "role", "is_verified", "active", "password"


def promote_to_admin(user: User, password: str | None = None) -> Promotion:
    """Make an existing account an admin who can log in (``flask users create-admin`` on a known NIP).

    Whoever runs the command on the server is trusted: the account is verified and activated too, and gets
    ``password`` when one is given (checked by the usual password rules).
    """
    changed: list[str] = []
    if password:
        services.set_password(user, password)
        changed.append("password")
    if user.role != Role.ADMIN:
        audit.record(None, "user.role", user, old=user.role.value, new=Role.ADMIN.value, source="cli")
        user.role = Role.ADMIN
        changed.append("role")
    if not user.is_verified:
        user.is_verified, user.verified_at = True, utcnow()
        changed.append("is_verified")
    if not user.active:
        user.active, user.deactivated_at = True, None
        changed.append("active")
    other_changes = [name for name in changed if name != "role"]
    if other_changes:
        audit.record(None, "user.update", user, fields=other_changes, source="cli")
    db.session.commit()
    return Promotion(user, changed)


# ---------------------------------------------------------------- CSV


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _l("Berkas bukan teks UTF-8. Di Excel, simpan ulang dengan jenis “CSV UTF-8 (Comma delimited)”.")
        ) from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _column_name(raw: str) -> str:
    name = re.sub(r"\s+", "_", (raw or "").strip().lower())
    return COLUMN_ALIASES.get(name, name)


def read_rows(content: bytes) -> tuple[list[tuple[int, AccountRow]], list[str]]:
    """Parse the file; returns ``[(line number, row)]`` and the ignored column names.

    Raises :class:`ImportFileError` for an undecodable file or a header without the required columns.
    """
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportFileError(_l("Berkas kosong: tidak ada baris judul maupun data."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header: list[str] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [_column_name(cell) for cell in cells]
            break
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            _l(
                "Kolom wajib tidak ada di baris judul: %(missing)s. Baris judul harus memuat "
                "nip,name,email,unit,position (boleh ditambah status dan role). Tidak ada data yang diimpor.",
                missing=", ".join(missing),
            )
        )
    known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    ignored = [column for column in header if column and column not in known]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        row = AccountRow(**{column: values.get(column, "") for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS})
        rows.append((reader.line_num, row))
    return rows, ignored


def _duplicates(rows: list[tuple[int, AccountRow]]) -> dict[int, str]:
    """Line -> message for every row whose NIP or email appears on more than one row: which one is right?"""
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for line, row in rows:
        nip = normalize_nip(row.nip.lstrip("'"))
        if nip:
            seen[("NIP", nip)].append(line)
        email = services.normalize_email(row.email)
        if email:
            seen[("Email", email)].append(line)
    messages: dict[int, str] = {}
    for (label, _value), lines in seen.items():
        if len(lines) > 1:
            message = str(
                _l(
                    "%(label)s ini muncul di beberapa baris (%(lines)s): perbaiki berkas agar tiap pegawai satu baris.",
                    label=label,
                    lines=", ".join(str(line) for line in lines),
                )
            )
            for line in lines:
                messages[line] = f"{messages[line]}; {message}" if line in messages else message
    return messages


def _import_row(line: int, row: AccountRow, directory: UnitDirectory, password_hash: str, dry_run: bool) -> RowResult:
    existing = services.get_by_nip(row.nip.lstrip("'"))
    try:
        data = check_row(row, directory, existing)
    except RowInvalid as error:
        return RowResult(line, row.nip, Outcome.FAILED, error.messages)
    try:
        user, outcome, changes = upsert_account(data, existing, password_hash=password_hash)
        if outcome == Outcome.CREATED:
            audit.record(None, "user.create", user, role=user.role.value, source="import")
        elif outcome == Outcome.UPDATED:
            audit.record(None, "user.update", user, changes=changes, source="import")
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except IntegrityError:  # someone registered this NIP or email while the import ran
        db.session.rollback()
        message = str(_l("NIP atau email ini baru saja dipakai akun lain; jalankan impor lagi."))
        return RowResult(line, data.nip, Outcome.FAILED, [message])
    return RowResult(line, data.nip, outcome)


def import_accounts(content: bytes, *, dry_run: bool = False) -> ImportReport:
    """Import a BKPSDM CSV export (see the module docstring for the rules). ``dry_run`` writes nothing."""
    rows, ignored = read_rows(content)
    duplicates = _duplicates(rows)
    directory = UnitDirectory.load()
    password_hash = unusable_password_hash()
    report = ImportReport(dry_run=dry_run, ignored_columns=ignored)
    for line, row in rows:
        if line in duplicates:
            report.results.append(RowResult(line, row.nip, Outcome.FAILED, [duplicates[line]]))
            continue
        report.results.append(_import_row(line, row, directory, password_hash, dry_run))
    return report
