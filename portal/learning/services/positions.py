"""Jobs (jabatan) and their competency standards (standar kompetensi jabatan, PermenPANRB 38/2017).

Admins with ``MANAGE_POSITIONS`` create and edit positions, set the level each one requires per competency,
give users their position, and import the whole catalogue from CSV or XLSX (layout: ``docs/positions-import.md``).
Positions are deactivated, never deleted: the users who hold one keep pointing at it.

Import rules: every line is checked first and every problem is reported with its line number; one bad line
writes nothing. Positions are matched by code, so a re-run updates instead of duplicating. For each position in
the file, its standard becomes exactly the file's lines (competencies missing from the file are removed);
positions absent from the file are left alone.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.forms import RuleError
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, require
from portal.core.uploads import UploadError, detect_kind
from portal.extensions import db
from portal.learning.models import JobType, Position, PositionRequirement
from portal.units import services as units

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,39}$")
NAME_MIN, NAME_MAX = 3, 200
LEVEL_MIN, LEVEL_MAX = 1, 5
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
IMPORT_COLUMNS = ("kode_jabatan", "nama_jabatan", "jenis_jabatan", "kode_unit", "kode_kompetensi", "level")
COLUMN_ALIASES = {
    "kode": "kode_jabatan",
    "jabatan": "nama_jabatan",
    "nama": "nama_jabatan",
    "jenis": "jenis_jabatan",
    "unit": "kode_unit",
    "kode_opd": "kode_unit",
    "kompetensi": "kode_kompetensi",
    "level_kompetensi": "level",
    "level_standar": "level",
}
ANY_UNIT = "umum"  # the unit filter value for positions open to every unit

JOB_TYPE_LABELS: dict[JobType, Any] = {
    JobType.JPT_UTAMA: _l("JPT Utama"),
    JobType.JPT_MADYA: _l("JPT Madya"),
    JobType.JPT_PRATAMA: _l("JPT Pratama"),
    JobType.ADMINISTRATOR: _l("Administrator"),
    JobType.PENGAWAS: _l("Pengawas"),
    JobType.PELAKSANA: _l("Pelaksana"),
    JobType.AHLI_PERTAMA: _l("Fungsional Ahli Pertama"),
    JobType.AHLI_MUDA: _l("Fungsional Ahli Muda"),
    JobType.AHLI_MADYA: _l("Fungsional Ahli Madya"),
    JobType.AHLI_UTAMA: _l("Fungsional Ahli Utama"),
    JobType.TERAMPIL: _l("Fungsional Terampil"),
    JobType.MAHIR: _l("Fungsional Mahir"),
    JobType.PENYELIA: _l("Fungsional Penyelia"),
}


class PositionError(RuleError):
    """A position rule was broken."""


@dataclass
class PositionData:
    code: str
    name: str
    job_type: JobType | str
    unit_id: int | None = None  # None: the position exists in any unit


@dataclass
class PositionFilters:
    query: str = ""
    job_type: JobType | None = None
    unit: str = ""  # "" every position, ANY_UNIT those open to every unit, or a unit id
    status: str = "active"  # "active", "inactive" or "" (all)


# ---------------------------------------------------------------- lookups


def _job_type_key(text: str) -> str:
    return re.sub(r"[^a-z]+", "_", (text or "").strip().lower()).strip("_")


def parse_job_type(value: JobType | str | None) -> JobType | None:
    """A job type from its value (``ahli_muda``) or label (``Fungsional Ahli Muda``, ``JPT Pratama``)."""
    if isinstance(value, JobType):
        return value
    key = _job_type_key(value or "")
    if not key:
        return None
    for job_type, label in JOB_TYPE_LABELS.items():
        if key in (job_type.value, _job_type_key(str(label)), f"fungsional_{job_type.value}"):
            return job_type
    return None


def job_type_hint() -> str:
    return ", ".join(job_type.value for job_type in JobType)


def get(position_id: int) -> Position | None:
    return db.session.get(Position, position_id) if position_id else None


def get_by_code(code: str) -> Position | None:
    return db.session.scalar(select(Position).where(Position.code == normalize_code(code)))


def position_of(user: Any) -> Position | None:
    """The user's job in the catalogue, with its requirements."""
    position_id = getattr(user, "position_id", None)
    if not position_id:
        return None
    stmt = select(Position).where(Position.id == position_id).options(selectinload(Position.requirements))
    return db.session.scalar(stmt)


def sorted_requirements(position: Position) -> list[PositionRequirement]:
    return sorted(position.requirements, key=lambda r: (r.competency.category.value, r.competency.code))


def choices_for(user: User) -> list[Position]:
    """Active positions the user may hold: their unit's and those open to every unit (plus their current one)."""
    stmt = select(Position).where(
        or_(Position.is_active.is_(True), Position.id == (user.position_id or -1)),
        or_(Position.unit_id.is_(None), Position.unit_id == (user.unit_id or -1)),
    )
    return list(db.session.scalars(stmt.order_by(Position.name, Position.id)))


def holder_counts(position_ids: list[int]) -> dict[int, int]:
    if not position_ids:
        return {}
    stmt = (
        select(User.position_id, func.count(User.id))
        .where(User.position_id.in_(position_ids), User.active.is_(True))
        .group_by(User.position_id)
    )
    return {row[0]: row[1] for row in db.session.execute(stmt)}


def list_positions(actor: Any, filters: PositionFilters, page: int, per_page: int = 50) -> Page[Position]:
    require(actor, Permission.MANAGE_POSITIONS)
    stmt = select(Position).options(selectinload(Position.requirements))
    query = (filters.query or "").strip().lower()
    if query:
        term = f"%{query}%"
        stmt = stmt.where(or_(func.lower(Position.name).like(term), func.lower(Position.code).like(term)))
    if filters.job_type:
        stmt = stmt.where(Position.job_type == filters.job_type)
    if filters.unit == ANY_UNIT:
        stmt = stmt.where(Position.unit_id.is_(None))
    elif filters.unit.isdigit():
        stmt = stmt.where(Position.unit_id == int(filters.unit))
    if filters.status == "active":
        stmt = stmt.where(Position.is_active.is_(True))
    elif filters.status == "inactive":
        stmt = stmt.where(Position.is_active.is_(False))
    return paginate(stmt.order_by(Position.is_active.desc(), Position.name, Position.id), page, per_page)


# ---------------------------------------------------------------- checks


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def _check_code(code: str) -> str:
    code = normalize_code(code)
    if not CODE_RE.match(code):
        raise PositionError(
            _l("Kode jabatan 1-40 karakter: huruf besar, angka, titik, garis miring, atau tanda hubung."), "code"
        )
    return code


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise PositionError(_l("Nama jabatan harus %(min)d-%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    return name


def _check_job_type(value: JobType | str) -> JobType:
    job_type = parse_job_type(value)
    if job_type is None:
        raise PositionError(_l("Jenis jabatan tidak dikenal: pakai salah satu dari %(types)s.", types=job_type_hint()))
    return job_type


def _check_unit(unit_id: int | None, current: int | None = None) -> int | None:
    if not unit_id:
        return None
    unit = units.get(unit_id)
    if unit is None or not (unit.is_active or unit.id == current):
        raise PositionError(_l("Unit kerja tidak dikenal atau nonaktif."), "unit_id")
    return unit.id


def _code_taken(code: str, exclude_id: int | None) -> bool:
    stmt = select(Position.id).where(Position.code == code)
    if exclude_id:
        stmt = stmt.where(Position.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _name_taken(name: str, unit_id: int | None, exclude_id: int | None) -> bool:
    stmt = select(Position.id).where(func.lower(Position.name) == name.lower())
    stmt = stmt.where(Position.unit_id.is_(None) if unit_id is None else Position.unit_id == unit_id)
    if exclude_id:
        stmt = stmt.where(Position.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _validated(data: PositionData, position: Position | None = None) -> dict[str, Any]:
    exclude_id = position.id if position else None
    code = _check_code(data.code)
    if _code_taken(code, exclude_id):
        raise PositionError(_l("Kode jabatan %(code)s sudah dipakai jabatan lain.", code=code), "code")
    name = _check_name(data.name)
    try:
        job_type = _check_job_type(data.job_type)
    except PositionError as error:
        raise PositionError(error.message, "job_type") from None
    unit_id = _check_unit(data.unit_id, position.unit_id if position else None)
    if _name_taken(name, unit_id, exclude_id):
        raise PositionError(_l("Jabatan dengan nama ini sudah ada di unit yang sama."), "name")
    return {"code": code, "name": name, "job_type": job_type, "unit_id": unit_id}


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # another admin saved the same code or name between the check and the write
        db.session.rollback()
        raise PositionError(_l("Kode atau nama jabatan ini baru saja dipakai. Periksa lalu coba lagi.")) from None


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, JobType) else value


# ---------------------------------------------------------------- positions


def create(actor: Any, data: PositionData) -> Position:
    require(actor, Permission.MANAGE_POSITIONS)
    position = Position(**_validated(data))
    db.session.add(position)
    db.session.flush()
    audit.record(actor, "position.create", position, code=position.code)
    _commit()
    return position


def update(actor: Any, position: Position, data: PositionData) -> Position:
    require(actor, Permission.MANAGE_POSITIONS)
    values = _validated(data, position)
    changes = {
        key: {"old": _plain(getattr(position, key)), "new": _plain(value)}
        for key, value in values.items()
        if getattr(position, key) != value
    }
    if not changes:
        return position
    for key, value in values.items():
        setattr(position, key, value)
    audit.record(actor, "position.update", position, **changes)
    _commit()
    return position


def set_active(actor: Any, position: Position, active: bool) -> None:
    require(actor, Permission.MANAGE_POSITIONS)
    if position.is_active == active:
        return
    position.is_active = active
    audit.record(actor, "position.activate" if active else "position.deactivate", position, code=position.code)
    db.session.commit()


# ---------------------------------------------------------------- requirements (standar kompetensi jabatan)


def _check_level(level: Any, field_name: str = "level") -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if not LEVEL_MIN <= value <= LEVEL_MAX:
        raise PositionError(_l("Level harus angka 1 sampai 5."), field_name)
    return value


def set_requirement(actor: Any, position: Position, competency_id: int, level: Any) -> PositionRequirement:
    """Require a level of a competency (add it, or change the level it already has)."""
    require(actor, Permission.MANAGE_POSITIONS)
    existing = next((r for r in position.requirements if r.competency_id == competency_id), None)
    competency = db.session.get(Competency, competency_id) if competency_id else None
    if competency is None or not (competency.is_active or existing):
        raise PositionError(_l("Pilih kompetensi dari katalog."), "competency_id")
    value = _check_level(level)
    if existing is not None and existing.level == value:
        return existing
    old = existing.level if existing else None
    if existing is None:
        existing = PositionRequirement(position=position, competency=competency, level=value)
        db.session.add(existing)
    existing.level = value
    audit.record(actor, "position.requirement", position, competency=competency.code, old=old, new=value)
    _commit()
    return existing


def remove_requirement(actor: Any, position: Position, requirement_id: int) -> bool:
    require(actor, Permission.MANAGE_POSITIONS)
    requirement = next((r for r in position.requirements if r.id == requirement_id), None)
    if requirement is None:
        return False
    code, level = requirement.competency.code, requirement.level
    position.requirements.remove(requirement)
    audit.record(actor, "position.requirement", position, competency=code, old=level, new=None)
    db.session.commit()
    return True


# ---------------------------------------------------------------- giving a user their position


def assign_position(actor: Any, user: User, position_id: int | None) -> None:
    """Set (or clear, with None) the user's position; it must be active and open to the user's unit."""
    require(actor, Permission.MANAGE_POSITIONS)
    position = get(position_id) if position_id else None
    if position_id and position is None:
        raise PositionError(_l("Jabatan tidak ditemukan."), "position_id")
    if position is not None and position.id != user.position_id:
        if not position.is_active:
            raise PositionError(_l("Jabatan %(name)s nonaktif.", name=position.name), "position_id")
        if position.unit_id is not None and position.unit_id != user.unit_id:
            message = _l("Jabatan %(name)s milik unit lain: pilih jabatan unitnya atau umum.", name=position.name)
            raise PositionError(message, "position_id")
    new_id = position.id if position else None
    if new_id == user.position_id:
        return
    old = get(user.position_id) if user.position_id else None
    user.position_id = new_id
    audit.record(actor, "user.position", user, old=old.code if old else None, new=position.code if position else None)
    db.session.commit()


# ---------------------------------------------------------------- import (CSV or XLSX)


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    name: str
    job_type: str
    unit: str
    competency: str
    level: str


@dataclass(frozen=True)
class LineError:
    line: int
    messages: list[str]


class PositionImportError(PositionError):
    """The file cannot be imported; ``errors`` lists the problems per line. Nothing was written."""

    def __init__(self, message: Any, errors: list[LineError] | None = None):
        super().__init__(message, "file")
        self.errors = errors or []


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: list[str] = field(default_factory=list)  # position codes
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    requirements_added: int = 0
    requirements_changed: int = 0
    requirements_removed: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel stores 3 as 3.0
        value = int(value)
    return " ".join(str(value).split())


def _column_name(raw: Any) -> str:
    name = re.sub(r"\s+", "_", _cell_text(raw).lower())
    return COLUMN_ALIASES.get(name, name)


def _table_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row; XLSX is read from its first sheet, anything else as CSV."""
    try:
        kind = detect_kind(content)
    except UploadError as error:
        raise PositionImportError(str(error)) from None
    if kind == "xlsx":
        try:
            with warnings.catch_warnings():  # styles openpyxl does not know are harmless for reading values
                warnings.simplefilter("ignore")
                workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # any damage inside the workbook means the same thing to the user
            raise PositionImportError(_l("Berkas XLSX rusak atau tidak dapat dibaca.")) from None
        try:
            sheet = workbook.worksheets[0]
            rows = [
                (number, [_cell_text(cell) for cell in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    elif kind is not None:
        raise PositionImportError(_l("Unggah berkas CSV atau XLSX."))
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PositionImportError(
                _l("Berkas bukan teks UTF-8. Di Excel, simpan ulang sebagai “CSV UTF-8” atau unggah XLSX.")
            ) from None
        if "\x00" in text:
            raise PositionImportError(_l("Unggah berkas CSV atau XLSX."))
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [(reader.line_num, [_cell_text(cell) for cell in cells]) for cells in reader]
    return [(line, cells) for line, cells in rows if any(cells)]


def read_import_file(content: bytes) -> tuple[list[ImportRow], list[str]]:
    """Parse the file into rows and the names of ignored columns; raises PositionImportError for the file."""
    if len(content) > IMPORT_MAX_BYTES:
        raise PositionImportError(_l("Berkas melebihi batas %(mb)d MB.", mb=IMPORT_MAX_BYTES // (1024 * 1024)))
    rows = _table_rows(content)
    if not rows:
        raise PositionImportError(_l("Berkas kosong: tidak ada baris judul maupun data."))
    (_header_line, header_cells), data = rows[0], rows[1:]
    header = [_column_name(cell) for cell in header_cells]
    missing = [column for column in IMPORT_COLUMNS if column not in header]
    if missing:
        raise PositionImportError(
            _l(
                "Kolom wajib tidak ada di baris judul: %(missing)s. Baris judul harus memuat %(columns)s.",
                missing=", ".join(missing),
                columns=",".join(IMPORT_COLUMNS),
            )
        )
    if not data:
        raise PositionImportError(_l("Berkas hanya berisi baris judul, tanpa data."))
    if len(data) > IMPORT_MAX_ROWS:
        raise PositionImportError(
            _l("Berkas berisi lebih dari %(n)d baris; bagi menjadi beberapa berkas.", n=IMPORT_MAX_ROWS)
        )
    index = {column: header.index(column) for column in IMPORT_COLUMNS}
    parsed = []
    for line, cells in data:
        values = {column: cells[i] if i < len(cells) else "" for column, i in index.items()}
        parsed.append(
            ImportRow(
                line=line,
                code=values["kode_jabatan"],
                name=values["nama_jabatan"],
                job_type=values["jenis_jabatan"],
                unit=values["kode_unit"],
                competency=values["kode_kompetensi"],
                level=values["level"],
            )
        )
    ignored = [column for column in header if column and column not in IMPORT_COLUMNS]
    return parsed, ignored


@dataclass
class _PositionPlan:
    """A position as the file describes it, and its required levels by competency."""

    code: str
    name: str
    job_type: JobType
    unit_id: int | None
    first_line: int
    levels: dict[int, int] = field(default_factory=dict)  # competency id -> level


class _Checker:
    """Checks every row against the catalogue and the other rows; collects problems per line."""

    def __init__(self) -> None:
        self.problems: dict[int, list[str]] = defaultdict(list)
        self.units = {unit.code.upper(): unit for unit in units.list_active()}
        self.competencies = {c.code: c for c in db.session.scalars(select(Competency))}
        self.plans: dict[str, _PositionPlan] = {}

    def fail(self, line: int, message: Any) -> None:
        self.problems[line].append(str(message))

    def attempt(self, line: int, check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except PositionError as error:
            self.fail(line, error.message)
            return None

    def unit_id(self, row: ImportRow) -> tuple[bool, int | None]:
        if not row.unit:
            return True, None
        unit = self.units.get(row.unit.upper())
        if unit is None:
            self.fail(row.line, _l("Kode unit “%(code)s” tidak dikenal atau nonaktif.", code=row.unit))
            return False, None
        return True, unit.id

    def competency(self, row: ImportRow) -> Competency | None:
        competency = self.competencies.get(competencies.normalize_code(row.competency))
        if competency is None or not competency.is_active:
            self.fail(row.line, _l("Kode kompetensi “%(code)s” tidak ada di katalog.", code=row.competency))
            return None
        return competency

    def check(self, row: ImportRow) -> None:
        code = self.attempt(row.line, _check_code, row.code)
        name = self.attempt(row.line, _check_name, row.name)
        job_type = self.attempt(row.line, _check_job_type, row.job_type)
        unit_ok, unit_id = self.unit_id(row)
        competency = self.competency(row)
        level = self.attempt(row.line, _check_level, row.level)
        if code is None or name is None or job_type is None or not unit_ok:
            return
        plan = self.plans.get(code)
        if plan is None:
            plan = self.plans[code] = _PositionPlan(code, name, job_type, unit_id, row.line)
        elif (plan.name.lower(), plan.job_type, plan.unit_id) != (name.lower(), job_type, unit_id):
            self.fail(
                row.line,
                _l(
                    "Nama, jenis, atau unit jabatan %(code)s berbeda dengan baris %(line)d: "
                    "tulis sama di setiap baris.",
                    code=code,
                    line=plan.first_line,
                ),
            )
            return
        if competency is None or level is None:
            return
        if competency.id in plan.levels:
            self.fail(
                row.line, _l("Kompetensi %(c)s untuk jabatan %(p)s sudah ada di baris lain.", c=competency.code, p=code)
            )
            return
        plan.levels[competency.id] = level

    def check_names(self) -> None:
        """Two codes may not share a name in one unit, neither in the file nor against other positions."""
        seen: dict[tuple[str, int | None], str] = {}
        for plan in self.plans.values():
            key = (plan.name.lower(), plan.unit_id)
            if key in seen:
                self.fail(
                    plan.first_line,
                    _l("Nama jabatan ini sudah dipakai kode %(other)s di unit yang sama.", other=seen[key]),
                )
                continue
            seen[key] = plan.code
            existing = get_by_code(plan.code)
            if _name_taken(plan.name, plan.unit_id, existing.id if existing else -1):
                self.fail(plan.first_line, _l("Jabatan lain dengan nama ini sudah ada di unit yang sama."))


def _apply(plan: _PositionPlan, report: ImportReport) -> Position:
    position = get_by_code(plan.code)
    created = position is None
    if position is None:
        position = Position(code=plan.code, name=plan.name, job_type=plan.job_type, unit_id=plan.unit_id)
        db.session.add(position)
    changed = (position.name, position.job_type, position.unit_id) != (plan.name, plan.job_type, plan.unit_id)
    position.name, position.job_type, position.unit_id = plan.name, plan.job_type, plan.unit_id
    current = {r.competency_id: r for r in position.requirements}
    for requirement in list(position.requirements):
        if requirement.competency_id not in plan.levels:
            position.requirements.remove(requirement)
            report.requirements_removed += 1
            changed = True
    for competency_id, level in plan.levels.items():
        requirement = current.get(competency_id)
        if requirement is None:
            position.requirements.append(PositionRequirement(competency_id=competency_id, level=level))
            report.requirements_added += 1
            changed = True
        elif requirement.level != level:
            requirement.level = level
            report.requirements_changed += 1
            changed = True
    if created:
        report.created.append(plan.code)
    elif changed:
        report.updated.append(plan.code)
    else:
        report.unchanged.append(plan.code)
    return position


def import_positions(actor: Any, content: bytes, *, dry_run: bool = False) -> ImportReport:
    """Import positions and their standards (``actor`` None: the command line). All or nothing."""
    if actor is not None:
        require(actor, Permission.MANAGE_POSITIONS)
    rows, ignored = read_import_file(content)
    checker = _Checker()
    for row in rows:
        checker.check(row)
    if not checker.problems:
        checker.check_names()
    if checker.problems:
        errors = [LineError(line, messages) for line, messages in sorted(checker.problems.items())]
        raise PositionImportError(
            _l("%(n)d baris bermasalah; tidak ada data yang disimpan. Perbaiki lalu unggah lagi.", n=len(errors)),
            errors,
        )
    report = ImportReport(dry_run=dry_run, rows=len(rows), ignored_columns=ignored)
    for plan in checker.plans.values():
        _apply(plan, report)
    if dry_run:
        db.session.rollback()
        return report
    if report.created or report.updated:
        audit.record(
            actor,
            "position.import",
            None,
            label="jabatan",
            created=len(report.created),
            updated=len(report.updated),
            requirements_added=report.requirements_added,
            requirements_changed=report.requirements_changed,
            requirements_removed=report.requirements_removed,
            source="web" if actor is not None else "cli",
        )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PositionImportError(_l("Data jabatan baru saja diubah orang lain; jalankan impor lagi.")) from None
    return report


def import_template() -> list[list[str]]:
    """An example file: the header and a few lines, for the download on the import page."""
    return [
        list(IMPORT_COLUMNS),
        ["ADM-UMUM-01", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", "", "M.01", "2"],
        ["ADM-UMUM-01", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", "", "M.05", "2"],
        ["PLK-LOKET-01", "Pengadministrasi Layanan", "pelaksana", "MPP", "M.05", "1"],
        ["PLK-LOKET-01", "Pengadministrasi Layanan", "pelaksana", "MPP", "SK.01", "1"],
    ]
