from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from portal.accounts.models import EmploymentStatus
from portal.core.permissions import Role
from tests.cli.conftest import audit_entries, user_count, users
from tests.conftest import PASSWORD

HEADER = "nip,name,email,unit,position,status,role"
SRI = '198604172009122001,"Sri Wahyuni, S.Kep.",sri.wahyuni@sawahluntokota.go.id,RSUD,Perawat Ahli Muda,PNS,'
HENDRI = (
    "199107142022211004,Hendri Saputra,hendri@sawahluntokota.go.id,"
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia,Analis Kepegawaian,PPPK,organizer"
)


@pytest.fixture
def csv_file(tmp_path):
    def write(*lines: str, encoding: str = "utf-8", name: str = "pegawai.csv") -> str:
        path = Path(tmp_path, name)
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return str(path)

    return write


@pytest.fixture
def run_import(cli, bkpsdm, rsud):
    def run(path: str, *options: str):
        return cli.invoke(args=["users", "import", path, *options])

    return run


def test_import_creates_verified_accounts_from_a_bkpsdm_export(run_import, csv_file, bkpsdm, rsud):
    result = run_import(csv_file(HEADER, SRI, HENDRI))

    assert result.exit_code == 0, result.output
    assert "Ringkasan: 2 dibuat, 0 diperbarui, 0 tidak berubah, 0 gagal." in result.output
    sri, hendri = users()
    assert (sri.name, sri.unit_id, sri.employment_status, sri.role) == (
        "Sri Wahyuni, S.Kep.",
        rsud.id,
        EmploymentStatus.PNS,
        Role.MEMBER,
    )
    assert (hendri.unit_id, hendri.employment_status, hendri.role) == (bkpsdm.id, EmploymentStatus.PPPK, Role.ORGANIZER)
    assert all(user.is_verified and user.active for user in (sri, hendri))
    assert [(e.actor_id, e.details["source"]) for e in audit_entries("user.create")] == [(None, "import")] * 2


def test_imported_accounts_cannot_log_in_until_they_set_a_password(run_import, csv_file, client):
    run_import(csv_file(HEADER, SRI))

    response = client.post("/masuk", data={"identifier": "198604172009122001", "password": ""})
    assert response.status_code == 200
    assert users()[0].password_hash.startswith("scrypt:")  # a real hash of a random secret, not a blank


def test_import_help_explains_the_forgotten_password_route(cli):
    result = cli.invoke(args=["users", "import", "--help"])

    text = " ".join(result.output.split())  # click wraps the help to the terminal width
    assert 'lewat "Lupa kata sandi" di halaman masuk' in text
    assert "nip,name,email,unit,position[,status][,role]" in text


def test_rerunning_an_import_updates_by_nip_and_never_duplicates(run_import, csv_file):
    run_import(csv_file(HEADER, SRI, HENDRI))
    moved = SRI.replace("RSUD,Perawat Ahli Muda", "BKPSDM,Perawat Ahli Madya")

    result = run_import(csv_file(HEADER, moved, HENDRI, name="lagi.csv"))

    assert result.exit_code == 0, result.output
    assert "Ringkasan: 0 dibuat, 1 diperbarui, 1 tidak berubah, 0 gagal." in result.output
    assert user_count() == 2
    sri = users()[0]
    assert (sri.unit.code, sri.position) == ("BKPSDM", "Perawat Ahli Madya")
    [update] = audit_entries("user.update")
    assert update.details["changes"]["position"] == {"old": "Perawat Ahli Muda", "new": "Perawat Ahli Madya"}


def test_empty_role_and_status_keep_the_existing_values(run_import, csv_file, make_user, rsud):
    admin = make_user(Role.ADMIN, nip="198604172009122001", employment_status=EmploymentStatus.CPNS)

    result = run_import(csv_file("nip,name,email,unit,position", SRI.rsplit(",", 2)[0]))

    assert result.exit_code == 0, result.output
    [user] = users()
    assert (user.id, user.role, user.employment_status) == (admin.id, Role.ADMIN, EmploymentStatus.CPNS)
    assert user.email == "sri.wahyuni@sawahluntokota.go.id"


def test_import_verifies_a_pending_registration_and_drops_its_password(run_import, csv_file, make_user):
    make_user(Role.MEMBER, nip="198604172009122001", is_verified=False)

    result = run_import(csv_file(HEADER, SRI))

    assert "1 diperbarui" in result.output
    [user] = users()
    assert user.is_verified
    assert not check_password_hash(user.password_hash, PASSWORD)


def test_bad_rows_are_reported_by_line_and_not_written_while_good_rows_are(run_import, csv_file, make_user):
    existing = make_user(Role.MEMBER, email="sudah.ada@sawahluntokota.go.id")
    result = run_import(
        csv_file(
            HEADER,
            SRI,  # line 2: good
            "19860417200912200,Pendek,pendek@sawahluntokota.go.id,RSUD,Perawat,,",  # 3: 17 digits
            "198702112010012001,Salah Unit,unit@sawahluntokota.go.id,DINAS-X,Staf,,",  # 4
            "198702112010012002,Salah Status,status@sawahluntokota.go.id,RSUD,Staf,HONORER,",  # 5
            "198702112010012003,Salah Email,bukan-email,RSUD,Staf,,",  # 6
            "198702112010012004,Email Orang,sudah.ada@sawahluntokota.go.id,RSUD,Staf,,",  # 7
            "198702112010012005,Kembar Satu,kembar1@sawahluntokota.go.id,RSUD,Staf,,",  # 8
            "198702112010012005,Kembar Dua,kembar2@sawahluntokota.go.id,RSUD,Staf,,",  # 9
            "198702112010012006,Salah Peran,peran@sawahluntokota.go.id,RSUD,Staf,PNS,raja",  # 10
            HENDRI,  # 11: good
        )
    )

    assert result.exit_code == 1
    output = result.output
    assert "Baris 3 (NIP 19860417200912200): NIP harus 18 digit (Anda memasukkan 17 digit)." in output
    assert "Baris 4 (NIP 198702112010012001): Unit kerja “DINAS-X” tidak dikenal" in output
    assert "Baris 5 (NIP 198702112010012002): Status kepegawaian “HONORER” tidak dikenal" in output
    assert "Baris 6 (NIP 198702112010012003): Alamat email tidak valid." in output
    assert "Baris 7 (NIP 198702112010012004): Email ini sudah dipakai akun lain." in output
    assert "Baris 8 (NIP 198702112010012005): NIP ini muncul di beberapa baris (8, 9)" in output
    assert "Baris 9 (NIP 198702112010012005): NIP ini muncul di beberapa baris (8, 9)" in output
    assert "Baris 10 (NIP 198702112010012006): Peran “raja” tidak dikenal" in output
    assert "Ringkasan: 2 dibuat, 0 diperbarui, 0 tidak berubah, 8 gagal." in output
    assert sorted(user.nip for user in users()) == sorted([existing.nip, "198604172009122001", "199107142022211004"])


def test_a_row_with_several_problems_reports_them_all(run_import, csv_file):
    result = run_import(csv_file(HEADER, "198713452010012001,X,bukan-email,,,PNS,"))

    assert result.exit_code == 1
    for message in (
        "Digit 1-8 NIP harus tanggal lahir yang valid",
        "Nama lengkap minimal 3 karakter.",
        "Alamat email tidak valid.",
        "Unit kerja wajib diisi",
    ):
        assert f"Baris 2 (NIP 198713452010012001): {message}" in result.output
    assert user_count() == 0


def test_excel_exports_with_bom_and_semicolons_are_read(run_import, csv_file):
    semicolons = [line.replace(",", ";") for line in (HEADER, HENDRI)]
    semicolons.append('198604172009122001;"Sri Wahyuni; S.Kep.";sri@sawahluntokota.go.id;RSUD;Perawat;;')

    result = run_import(csv_file(*semicolons, encoding="utf-8-sig"))

    assert result.exit_code == 0, result.output
    assert "2 dibuat" in result.output
    assert [user.name for user in users()] == ["Sri Wahyuni; S.Kep.", "Hendri Saputra"]


def test_indonesian_column_names_and_extra_columns_are_accepted(run_import, csv_file):
    result = run_import(
        csv_file(
            "NIP,Nama,Email,Unit Kerja,Jabatan,Golongan",
            "'198604172009122001,Sri Wahyuni,sri@sawahluntokota.go.id,rsud,Perawat,III/c",
        )
    )

    assert result.exit_code == 0, result.output
    assert "Kolom yang diabaikan: golongan." in result.output
    assert users()[0].nip == "198604172009122001"  # Excel's text-marking apostrophe is dropped


def test_a_missing_required_column_imports_nothing(run_import, csv_file):
    result = run_import(csv_file("nip,name,unit,position", "198604172009122001,Sri Wahyuni,RSUD,Perawat"))

    assert result.exit_code == 1
    assert "Kolom wajib tidak ada di baris judul: email." in result.output
    assert "Tidak ada data yang diimpor." in result.output
    assert user_count() == 0


def test_a_file_that_is_not_utf8_imports_nothing(run_import, csv_file):
    result = run_import(csv_file(HEADER, SRI.replace("Sri", "Sr\u00ee"), encoding="cp1252"))

    assert result.exit_code == 1
    assert "Berkas bukan teks UTF-8" in result.output
    assert user_count() == 0


def test_a_nip_mangled_into_scientific_notation_gets_a_hint(run_import, csv_file):
    result = run_import(csv_file(HEADER, SRI.replace("198604172009122001", "1.98604E+17")))

    assert result.exit_code == 1
    assert "format kolom NIP sebagai Teks di Excel" in result.output


def test_dry_run_reports_but_writes_nothing(run_import, csv_file):
    result = run_import(csv_file(HEADER, SRI, HENDRI, "123,Rusak,rusak@x.id,RSUD,,,"), "--dry-run")

    assert result.exit_code == 1
    assert "Ringkasan: 2 dibuat, 0 diperbarui, 0 tidak berubah, 1 gagal." in result.output
    assert "Uji coba (--dry-run): tidak ada yang disimpan." in result.output
    assert user_count() == 0
    assert audit_entries() == []
