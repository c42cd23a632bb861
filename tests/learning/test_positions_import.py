"""Importing positions and their competency standards from CSV and XLSX: web page, service and command line."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.cli import learning_cli
from portal.learning.models import JobType, Position, PositionRequirement
from portal.learning.services import position_import, positions
from portal.learning.services.positions import PositionImportError
from tests.learning.profile_helpers import add_catalogue, add_position

HEADER = "kode_jabatan,nama_jabatan,jenis_jabatan,kode_unit,kode_kompetensi,level"
GOOD = f"""{HEADER}
PLK-LOKET,Pengadministrasi Layanan,pelaksana,DISKOMINFO,M.05,1
PLK-LOKET,Pengadministrasi Layanan,pelaksana,DISKOMINFO,SK.01,1
KASUBAG-UMUM,Kepala Subbagian Umum,Pengawas,,M.01,2
KASUBAG-UMUM,Kepala Subbagian Umum,Pengawas,,M.05,2
KASUBAG-UMUM,Kepala Subbagian Umum,Pengawas,,M.03,3
"""


@pytest.fixture
def catalogue():
    return add_catalogue()


@pytest.fixture
def diskominfo(make_unit):
    return make_unit("Dinas Kominfo Impor", code="DISKOMINFO")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _standards() -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for position in db.session.scalars(select(Position).order_by(Position.code)):
        result[position.code] = {r.competency.code: r.level for r in position.requirements}
    return result


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _xlsx(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in text.strip().splitlines():
        cells = line.split(",")
        sheet.append([int(cell) if cell.isdigit() else cell for cell in cells])  # Excel keeps numbers as numbers
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_good_csv_creates_positions_and_standards(admin, catalogue, diskominfo):
    report = position_import.import_positions(admin, GOOD.encode())
    assert (report.rows, sorted(report.created), report.updated, report.requirements_added) == (
        5,
        ["KASUBAG-UMUM", "PLK-LOKET"],
        [],
        5,
    )
    assert _standards() == {
        "KASUBAG-UMUM": {"M.01": 2, "M.05": 2, "M.03": 3},
        "PLK-LOKET": {"M.05": 1, "SK.01": 1},
    }
    loket = positions.get_by_code("PLK-LOKET")
    head = positions.get_by_code("KASUBAG-UMUM")
    assert (loket.unit_id, loket.job_type, head.unit_id, head.job_type) == (
        diskominfo.id,
        JobType.PELAKSANA,
        None,
        JobType.PENGAWAS,
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "position.import"))
    assert entry.details["created"] == 2 and entry.details["source"] == "web"


def test_rerun_is_idempotent_and_updates(admin, catalogue, diskominfo):
    position_import.import_positions(admin, GOOD.encode())
    again = position_import.import_positions(admin, GOOD.encode())
    assert (again.created, again.updated, sorted(again.unchanged)) == ([], [], ["KASUBAG-UMUM", "PLK-LOKET"])
    assert (_count(Position), _count(PositionRequirement)) == (2, 5)
    assert _count(AuditEntry) == 1  # an import that changes nothing is not logged
    changed = f"""{HEADER}
KASUBAG-UMUM,Kepala Subbagian Umum dan Kepegawaian,pengawas,,M.01,3
KASUBAG-UMUM,Kepala Subbagian Umum dan Kepegawaian,pengawas,,T.SPBE.01,2
"""
    report = position_import.import_positions(admin, changed.encode())
    assert (report.updated, report.requirements_added, report.requirements_changed, report.requirements_removed) == (
        ["KASUBAG-UMUM"],
        1,
        1,
        2,
    )
    assert _standards() == {
        "KASUBAG-UMUM": {"M.01": 3, "T.SPBE.01": 2},
        "PLK-LOKET": {"M.05": 1, "SK.01": 1},  # not in the file: untouched
    }
    assert positions.get_by_code("KASUBAG-UMUM").name == "Kepala Subbagian Umum dan Kepegawaian"


def test_bad_rows_are_all_reported_and_nothing_is_written(admin, catalogue, diskominfo):
    bad = f"""{HEADER}
PLK-LOKET,Pengadministrasi Layanan,pelaksana,DISKOMINFO,M.05,1
PLK-LOKET,Pengadministrasi Layanan Umum,pelaksana,DISKOMINFO,SK.01,1
KASUBAG,Kepala Subbagian,kepala,,M.01,2
ANALIS,Analis,pelaksana,DINAS-X,M.99,7
ANALIS,Analis,pelaksana,,M.05,2
PLK-LOKET,Pengadministrasi Layanan,pelaksana,DISKOMINFO,M.05,2
"""
    with pytest.raises(PositionImportError) as caught:
        position_import.import_positions(admin, bad.encode())
    problems = {error.line: " | ".join(error.messages) for error in caught.value.errors}
    assert sorted(problems) == [3, 4, 5, 7]
    assert "berbeda dengan baris 2" in problems[3]
    assert "Jenis jabatan tidak dikenal" in problems[4]
    assert "DINAS-X" in problems[5] and "M.99" in problems[5] and "1 sampai 5" in problems[5]
    assert "sudah ada di baris lain" in problems[7]
    assert "4 baris bermasalah" in str(caught.value.message)
    assert (_count(Position), _count(PositionRequirement), _count(AuditEntry)) == (0, 0, 0)


def test_a_name_taken_by_another_code_is_refused(admin, catalogue):
    add_position("LAMA-1", {}, name="Analis Kebijakan")
    text = f"{HEADER}\nBARU-1,Analis Kebijakan,pelaksana,,M.05,2\n"
    with pytest.raises(PositionImportError) as caught:
        position_import.import_positions(admin, text.encode())
    assert "nama ini sudah ada" in caught.value.errors[0].messages[0]
    assert _count(Position) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "kosong"),
        (b"kode_jabatan,nama_jabatan,level\nA,B,1\n", "jenis_jabatan, kode_unit, kode_kompetensi"),
        (f"{HEADER}\n".encode(), "tanpa data"),
        ("kode_jabatan;nama".encode("utf-16"), "UTF-8"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "CSV atau XLSX"),
    ],
)
def test_unreadable_files_are_refused_whole(admin, content, message):
    with pytest.raises(PositionImportError, match=message):
        position_import.import_positions(admin, content)


def test_xlsx_semicolon_csv_bom_and_aliases(admin, catalogue, diskominfo):
    report = position_import.import_positions(admin, _xlsx(GOOD))
    assert sorted(report.created) == ["KASUBAG-UMUM", "PLK-LOKET"]
    assert _standards()["KASUBAG-UMUM"] == {"M.01": 2, "M.05": 2, "M.03": 3}
    semicolon = (
        "\ufeffKode Jabatan;Nama Jabatan;Jenis;Unit;Kompetensi;Level;Catatan\n"
        "JF-1;Pranata Komputer;Ahli Muda;;T.SPBE.01;3;x\n"
    )
    report = position_import.import_positions(admin, semicolon.encode())
    assert report.created == ["JF-1"] and report.ignored_columns == ["catatan"]
    assert positions.get_by_code("JF-1").job_type == JobType.AHLI_MUDA


def test_dry_run_writes_nothing(admin, catalogue, diskominfo):
    report = position_import.import_positions(admin, GOOD.encode(), dry_run=True)
    assert sorted(report.created) == ["KASUBAG-UMUM", "PLK-LOKET"]
    assert (_count(Position), _count(AuditEntry)) == (0, 0)


# ---------------------------------------------------------------- the upload page and the template files


def test_upload_page_imports_and_shows_line_errors(admin_client, catalogue, diskominfo):
    page = admin_client.get("/admin/jabatan/impor").get_data(as_text=True)
    assert "kode_jabatan" in page and "Susunan berkas" in page
    bad = admin_client.post(
        "/admin/jabatan/impor",
        data={"file": (io.BytesIO(f"{HEADER}\nA-1,Analis,pelaksana,,M.05,9\n".encode()), "jabatan.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    assert "Baris 2:" in bad.get_data(as_text=True)
    assert _count(Position) == 0
    checked = admin_client.post(
        "/admin/jabatan/impor",
        data={"file": (io.BytesIO(_xlsx(GOOD)), "jabatan.xlsx"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    assert "Berkas lolos pemeriksaan" in checked.get_data(as_text=True)
    assert _count(Position) == 0
    done = admin_client.post(
        "/admin/jabatan/impor",
        data={"file": (io.BytesIO(GOOD.encode()), "jabatan.csv")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200 and "Impor selesai" in done.get_data(as_text=True)
    assert _count(Position) == 2
    missing = admin_client.post("/admin/jabatan/impor", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Pilih berkas" in missing.get_data(as_text=True)


def test_example_files_download_and_import(admin_client, admin, catalogue, make_unit):
    make_unit("Mal Pelayanan Publik", code="MPP")
    as_csv = admin_client.get("/admin/jabatan/impor/contoh.csv")
    assert as_csv.mimetype == "text/csv"
    assert as_csv.get_data(as_text=True).lstrip("\ufeff").startswith(HEADER)
    as_xlsx = admin_client.get("/admin/jabatan/impor/contoh.xlsx")
    rows = list(load_workbook(io.BytesIO(as_xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.split(","))
    report = position_import.import_positions(admin, as_xlsx.data)
    assert sorted(report.created) == ["ADM-UMUM-01", "PLK-LOKET-01"]


# ---------------------------------------------------------------- command line


def test_cli_imports_and_fails_with_line_numbers(app, tmp_path, catalogue, diskominfo):
    runner = app.test_cli_runner()
    good = tmp_path / "jabatan.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(learning_cli, ["import-positions", str(good)])
    assert result.exit_code == 0, result.output
    assert "Jabatan baru: 2" in result.output
    again = runner.invoke(learning_cli, ["import-positions", str(good)])
    assert "tidak berubah: 2" in again.output
    bad = tmp_path / "salah.csv"
    bad.write_text(f"{HEADER}\nA-1,Analis,pelaksana,,M.77,2\n", encoding="utf-8")
    failed = runner.invoke(learning_cli, ["import-positions", str(bad)])
    assert failed.exit_code == 1
    assert "Baris 2:" in failed.output and "M.77" in failed.output
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "position.import"))
    assert entry.actor_id is None and entry.details["source"] == "cli"
