"""External learning records (issue 18, item 4): CSV from ASN Unggul / BPSDM / Moodle, all or nothing.

Every bad line is reported with its line number and nothing is written; a line repeating an activity the person
already has is skipped (never a second credit); --dry-run writes nothing.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.cli import learning_cli
from portal.learning.models import LearningRecord, LearningStatus
from portal.learning.services import record_import

pytestmark = pytest.mark.usefixtures("development_types")

HEADER = "nip,judul,kode_jenis,tanggal_mulai,tanggal_selesai,jp,penyelenggara,nomor_sertifikat\n"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(LearningRecord)) or 0


@pytest.fixture
def people(make_user):
    return make_user(name="Ani Rahmawati"), make_user(name="Budi Santoso")


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def _good(people) -> bytes:
    ani, budi = people
    return _csv(
        f"{ani.nip},Pelatihan Dasar SPBE,NKL03,2025-02-03,2025-02-07,3,LAN RI (ASN Unggul),LAN-2025-77",
        f"{budi.nip},Bimtek Penyusunan Anggaran,KL10,10-03-2025,12-03-2025,24,BPSDM Provinsi Sumatera Barat,",
    )


def test_pending_import_creates_waiting_records(people):
    report = record_import.import_records(None, _good(people), source="ASN Unggul")
    assert (report.rows, report.created, report.skipped) == (2, 2, [])
    records = db.session.scalars(select(LearningRecord).order_by(LearningRecord.id)).all()
    assert [(r.status, r.jp, r.jp_claimed) for r in records] == [
        (LearningStatus.SUBMITTED, 0, 3),
        (LearningStatus.SUBMITTED, 0, 24),
    ]
    assert records[1].start_date == date(2025, 3, 10)  # day-month-year accepted
    assert records[0].description == "Diimpor dari ASN Unggul."


def test_recognised_import_counts_jp_and_reimport_changes_nothing(people, verifier):
    report = record_import.import_records(verifier, _good(people), source="BPSDM", recognise=True)
    assert report.created == 2
    records = db.session.scalars(select(LearningRecord).order_by(LearningRecord.id)).all()
    assert [(r.status, r.jp, r.verifier_id) for r in records] == [
        (LearningStatus.VERIFIED, 3, verifier.id),
        (LearningStatus.VERIFIED, 24, verifier.id),
    ]
    again = record_import.import_records(verifier, _good(people), source="BPSDM", recognise=True)
    assert again.created == 0 and [s.line for s in again.skipped] == [2, 3]
    assert _count() == 2


def test_dry_run_writes_nothing(people):
    report = record_import.import_records(None, _good(people), source="Moodle", dry_run=True)
    assert report.created == 2 and report.dry_run
    assert _count() == 0


def test_every_bad_line_reported_and_nothing_written(people):
    ani, budi = people
    content = _csv(
        f"{ani.nip},Pelatihan Dasar SPBE,NKL03,2025-02-03,2025-02-07,3,LAN RI,",  # good
        "12345,Pelatihan X yang benar,KL03,2025-02-03,2025-02-07,3,LAN RI,",  # bad NIP
        f"{budi.nip},Pelatihan Y yang benar,KL99,2025-02-03,2025-02-07,3,LAN RI,",  # unknown type
        f"{budi.nip},Pelatihan Z yang benar,KL03,2025-02-09,2025-02-07,abc,LAN RI,",  # dates reversed, JP
        f"{budi.nip},Pelatihan Z yang benar,KL03,7 Feb 2025,2025-02-07,3,LAN RI,",  # date form
        f"{ani.nip},Pelatihan Dasar SPBE,NKL03,2025-02-03,2025-02-07,3,LAN RI,",  # repeats line 2
        f"{'1' * 18},Pelatihan tidak dikenal,KL03,2025-02-03,2025-02-07,3,LAN RI,",  # unknown NIP
    )
    with pytest.raises(record_import.RecordImportError) as caught:
        record_import.import_records(None, content, source="BPSDM")
    errors = {e.line: " ".join(e.messages) for e in caught.value.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "18 angka" in errors[3]
    assert "KL99" in errors[4]
    assert "sebelum tanggal mulai" in errors[5] and "JP harus" in errors[5]
    assert "TTTT-BB-HH" in errors[6]
    assert "baris 2" in errors[7]
    assert "tidak terdaftar" in errors[8]
    assert "6 baris bermasalah" in caught.value.message
    assert _count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "kosong"),
        (b"nip,judul\n1,2\n", "Kolom wajib"),
        (HEADER.encode(), "hanya berisi baris judul"),
        (b"\xff\xfe\x00n\x00i", "UTF-8"),
    ],
)
def test_bad_files(content, message):
    with pytest.raises(record_import.RecordImportError, match=message):
        record_import.import_records(None, content, source="BPSDM")


def test_a_source_is_required_and_only_bkpsdm_imports(people, make_user):
    with pytest.raises(record_import.RecordImportError, match="sumber"):
        record_import.import_records(None, _good(people), source=" ")
    with pytest.raises(PermissionDenied):
        record_import.import_records(make_user(Role.ORGANIZER), _good(people), source="BPSDM")
    assert _count() == 0


def test_future_activity_refused(people, monkeypatch):
    monkeypatch.setattr(record_import, "local_today", lambda: date(2025, 2, 5))  # frozen: mid-course
    with pytest.raises(record_import.RecordImportError) as caught:
        record_import.import_records(None, _good(people), source="BPSDM")
    assert [e.line for e in caught.value.errors] == [2, 3]


def test_cli(app, people, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "asn-unggul.csv"
    good.write_bytes(_good(people))
    dry = runner.invoke(learning_cli, ["import-records", str(good), "--source", "ASN Unggul", "--dry-run"])
    assert dry.exit_code == 0 and "tidak ada yang disimpan" in dry.output and _count() == 0
    done = runner.invoke(learning_cli, ["import-records", str(good), "--source", "ASN Unggul", "--recognise"])
    assert done.exit_code == 0, done.output
    assert "Kegiatan baru: 2 (terverifikasi)" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("123,Judul yang cukup,KL03,2025-01-01,2025-01-02,3,LAN,"))
    failed = runner.invoke(learning_cli, ["import-records", str(bad), "--source", "BPSDM"])
    assert failed.exit_code == 1
    assert "Baris 2: NIP harus 18 angka." in failed.output
    assert _count() == 2


# ---------------------------------------------------------------- the admin page


def _upload(client, content: bytes, **fields):
    data = {"file": (io.BytesIO(content), "riwayat.csv"), "source": "ASN Unggul (LAN)", **fields}
    return client.post("/rekam-jejak/impor", data=data, content_type="multipart/form-data")


def test_page_per_role(login_as):
    for role in (Role.MEMBER, Role.ORGANIZER, Role.MODERATOR):
        assert login_as(role).get("/rekam-jejak/impor").status_code == 403
    page = login_as(Role.ADMIN).get("/rekam-jejak/impor")
    assert page.status_code == 200 and "nomor_sertifikat" in page.get_data(as_text=True)


def test_page_imports_and_reports_bad_lines(login_as, people):
    admin = login_as(Role.ADMIN)
    checked = _upload(admin, _good(people), dry_run="y")
    assert checked.status_code == 200 and "belum disimpan" in checked.get_data(as_text=True)
    assert _count() == 0
    done = _upload(admin, _good(people), recognise="y")
    assert done.status_code == 200 and "Kegiatan baru: 2 (terverifikasi)" in done.get_data(as_text=True)
    assert _count() == 2
    bad = _upload(admin, _csv("123,Judul yang cukup,KL03,2025-01-01,2025-01-02,3,LAN,"))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Baris 2:" in html and "NIP harus 18 angka." in html
    empty = admin.post("/rekam-jejak/impor", data={"source": "BPSDM"}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Pilih berkas" in empty.get_data(as_text=True)
    assert _count() == 2
