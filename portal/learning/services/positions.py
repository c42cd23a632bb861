"""Jobs (jabatan) and their competency standards (standar kompetensi jabatan, PermenPANRB 38/2017).

Admins with ``MANAGE_POSITIONS`` create and edit positions, set the level each one requires per competency,
give users their position, and import the whole catalogue from CSV or XLSX (layout: ``docs/positions-import.md``;
reading and applying a file is :mod:`.position_import`).
Positions are deactivated, never deleted: the users who hold one keep pointing at it.

Import rules: every line is checked first and every problem is reported with its line number; one bad line
writes nothing. Positions are matched by code, so a re-run updates instead of duplicating. For each position in
the file, its standard becomes exactly the file's lines (competencies missing from the file are removed);
positions absent from the file are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies.models import Competency
from portal.core import records
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, require
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


def position_of(user: User) -> Position | None:
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
    # The query leaves out None; the check says so to the type checker.
    return {position_id: count for position_id, count in db.session.execute(stmt) if position_id is not None}


def list_positions(actor: Actor, filters: PositionFilters, page: int, per_page: int = 50) -> Page[Position]:
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


def _conflict() -> PositionError:
    """Another admin saved the same code or name between the check and the write."""
    return PositionError(_l("Kode atau nama jabatan ini baru saja dipakai. Periksa lalu coba lagi."))


# ---------------------------------------------------------------- positions


def create(actor: Actor, data: PositionData) -> Position:
    require(actor, Permission.MANAGE_POSITIONS)
    position = Position(**_validated(data))
    db.session.add(position)
    db.session.flush()
    audit.record(actor, "position.create", position, code=position.code)
    records.commit_unique(_conflict())
    return position


def update(actor: Actor, position: Position, data: PositionData) -> Position:
    require(actor, Permission.MANAGE_POSITIONS)
    values = _validated(data, position)
    records.update_audited(actor, position, values, action="position.update", audit=audit.record, conflict=_conflict())
    return position


def set_active(actor: Actor, position: Position, active: bool) -> None:
    records.set_active(
        actor, position, active, permission=Permission.MANAGE_POSITIONS, action="position", audit=audit.record
    )


# ---------------------------------------------------------------- requirements (standar kompetensi jabatan)


def _check_level(level: Any, field_name: str = "level") -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if not LEVEL_MIN <= value <= LEVEL_MAX:
        raise PositionError(_l("Level harus angka 1 sampai 5."), field_name)
    return value


def set_requirement(actor: Actor, position: Position, competency_id: int, level: Any) -> PositionRequirement:
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
    records.commit_unique(_conflict())
    return existing


def remove_requirement(actor: Actor, position: Position, requirement_id: int) -> bool:
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


def assign_position(actor: Actor, user: User, position_id: int | None) -> None:
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


# ---------------------------------------------------------------- import: its errors and the example file


@dataclass(frozen=True)
class LineError:
    line: int
    messages: list[str]


class PositionImportError(PositionError):
    """The file cannot be imported; ``errors`` lists the problems per line. Nothing was written."""

    def __init__(self, message: Any, errors: list[LineError] | None = None):
        super().__init__(message, "file")
        self.errors = errors or []


def import_template() -> list[list[str]]:
    """An example file: the header and a few lines, for the download on the import page."""
    return [
        list(IMPORT_COLUMNS),
        ["ADM-UMUM-01", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", "", "M.01", "2"],
        ["ADM-UMUM-01", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", "", "M.05", "2"],
        ["PLK-LOKET-01", "Pengadministrasi Layanan", "pelaksana", "MPP", "M.05", "1"],
        ["PLK-LOKET-01", "Pengadministrasi Layanan", "pelaksana", "MPP", "SK.01", "1"],
    ]
