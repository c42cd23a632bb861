"""Reading a position catalogue file (CSV or XLSX), checking every line, and applying it in one transaction.

The rules are in :mod:`.positions`' docstring; the columns, the errors and the example file are defined there too.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.core.uploads import UploadError, detect_kind
from portal.extensions import db
from portal.learning.models import JobType, Position, PositionRequirement
from portal.learning.services.positions import (
    COLUMN_ALIASES,
    IMPORT_COLUMNS,
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    LineError,
    PositionError,
    PositionImportError,
    _check_code,
    _check_job_type,
    _check_level,
    _check_name,
    _name_taken,
    get_by_code,
)
from portal.units import services as units


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    name: str
    job_type: str
    unit: str
    competency: str
    level: str


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


def import_positions(actor: Actor | None, content: bytes, *, dry_run: bool = False) -> ImportReport:
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
