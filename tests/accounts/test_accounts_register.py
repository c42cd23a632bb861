"""Self-registration at /daftar."""

from html import unescape

import pytest
from sqlalchemy import select

from portal.accounts.models import EmploymentStatus, User
from portal.core.permissions import Role
from portal.extensions import db


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_form_offers_active_units_and_every_status(client, unit, make_unit):
    make_unit("Dinas Lama", is_active=False)
    response = client.get("/daftar")
    text = page_text(response)
    assert response.status_code == 200
    assert unit.name in text
    assert "Dinas Lama" not in text
    for status in ("PNS", "CPNS", "PPPK", "PPPK_PW"):
        assert f'value="{status}"' in text


def test_registration_creates_an_unverified_account_that_cannot_log_in(client, registration_form, unit):
    response = client.post(
        "/daftar", data=registration_form(nip="19850314 201001 2 003", email="Rina@SawahluntoKota.go.id")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk"

    user = db.session.scalar(select(User))
    assert user.nip == "198503142010012003"
    assert user.email == "rina@sawahluntokota.go.id"
    assert user.unit_id == unit.id
    assert user.employment_status == EmploymentStatus.PNS
    assert user.role == Role.MEMBER
    assert not user.is_verified
    assert user.password_hash != registration_form()["password"]

    login = client.post("/masuk", data={"identifier": user.nip, "password": registration_form()["password"]})
    assert login.status_code == 200
    assert "belum diverifikasi oleh admin BKPSDM" in page_text(login)
    assert client.get("/akun/profil").status_code == 302


def test_the_confirmation_page_says_the_account_waits_for_an_admin(client, registration_form):
    response = client.post("/daftar", data=registration_form(), follow_redirects=True)
    assert "menunggu verifikasi admin BKPSDM" in page_text(response)


def test_with_auto_verify_a_new_account_can_log_in_at_once(app, client, registration_form, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNTS_AUTO_VERIFY", True)
    response = client.post("/daftar", data=registration_form(), follow_redirects=True)
    assert "Pendaftaran berhasil. Silakan masuk." in page_text(response)
    assert db.session.scalar(select(User)).is_verified

    login = client.post(
        "/masuk", data={"identifier": "198503142010012003", "password": registration_form()["password"]}
    )
    assert login.status_code == 302


@pytest.mark.parametrize(
    ("status", "nip"),
    [("CPNS", "200012312026042015"), ("PPPK", "199001012021212001"), ("PPPK_PW", "199001012024242001")],
)
def test_cpns_and_pppk_can_register_with_their_numbers(client, registration_form, status, nip):
    response = client.post("/daftar", data=registration_form(employment_status=status, nip=nip))
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.nip, user.employment_status.value) == (nip, status)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nip": ""}, "NIP wajib diisi."),
        ({"nip": "19850314201001200X"}, "NIP hanya boleh berisi angka."),
        ({"nip": "19850314201001200"}, "NIP harus 18 digit (Anda memasukkan 17 digit)."),
        ({"nip": "198502302010012003"}, "Digit 1-8 NIP harus tanggal lahir yang valid (ttttbbhh)."),
        ({"nip": "193001012010012003"}, "Tanggal lahir pada digit 1-8 NIP tidak masuk akal."),
        ({"nip": "198503141995012003"}, "Digit 9-12 NIP harus tahun TMT CPNS yang valid."),
        (
            {"nip": "198503141995212003", "employment_status": "PPPK"},
            "Digit 9-12 NI PPPK harus tahun pengangkatan yang valid.",
        ),
        ({"nip": "198503142010212003"}, "Digit 13-14 NIP harus bulan TMT CPNS (01-12)."),
        ({"nip": "198503142010013003"}, "Digit 15 NIP harus kode jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."),
        ({"nip": "198503142010012000"}, "Digit 16-18 NIP (nomor urut) tidak boleh 000."),
        ({"name": ""}, "Nama lengkap wajib diisi."),
        ({"name": "Al"}, "Nama lengkap minimal 3 karakter."),
        ({"name": "A" * 161}, "Nama lengkap maksimal 160 karakter."),
        ({"position": "J" * 201}, "Jabatan maksimal 200 karakter."),
        ({"email": ""}, "Email wajib diisi."),
        ({"email": "rina.sawahlunto"}, "Alamat email tidak valid."),
        ({"password": "Pendek#1", "password_confirm": "Pendek#1"}, "Kata sandi minimal 10 karakter."),
        (
            {"password": "hanyahurufsaja", "password_confirm": "hanyahurufsaja"},
            "Kata sandi harus memuat huruf dan setidaknya satu angka atau simbol.",
        ),
        ({"password": "aaaa1111aaaa", "password_confirm": "aaaa1111aaaa"}, "Kata sandi terlalu mudah ditebak"),
        (
            {"password": "Marlina#2026", "password_confirm": "Marlina#2026"},
            "Kata sandi tidak boleh memuat NIP, nama, atau email Anda.",
        ),
        (
            {"password": "x198503142010012003", "password_confirm": "x198503142010012003"},
            "Kata sandi tidak boleh memuat NIP, nama, atau email Anda.",
        ),
        ({"password_confirm": "Songket-Silungkang8"}, "Kedua kata sandi tidak sama."),
        ({"password_confirm": ""}, "Ulangi kata sandi Anda."),
        ({"unit_id": None}, "Pilih unit kerja."),
        ({"unit_id": "0"}, "Pilih unit kerja."),
        ({"unit_id": "987654"}, "Unit kerja tidak ditemukan."),
        ({"unit_id": "99999999999999999999"}, "Unit kerja tidak ditemukan."),
        ({"unit_id": "-3"}, "Unit kerja tidak ditemukan."),
        ({"unit_id": "dinas"}, "Pilih unit kerja."),
        ({"employment_status": "HONORER"}, "Status kepegawaian tidak dikenal."),
    ],
)
def test_bad_input_shows_its_message_and_writes_nothing(client, registration_form, user_count, overrides, message):
    response = client.post("/daftar", data=registration_form(**overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert user_count() == 0


def test_an_inactive_unit_cannot_be_chosen(client, registration_form, make_unit, user_count):
    closed = make_unit("Kantor yang Ditutup", is_active=False)
    response = client.post("/daftar", data=registration_form(unit_id=str(closed.id)))
    assert "Unit kerja tidak ditemukan." in page_text(response)
    assert user_count() == 0


def test_a_registered_nip_cannot_register_again(client, registration_form, make_user, user_count):
    make_user(nip="198503142010012003")
    response = client.post("/daftar", data=registration_form(nip="19850314 201001 2 003"))
    assert response.status_code == 200
    assert "NIP ini sudah terdaftar" in page_text(response)
    assert user_count() == 1


def test_email_is_unique_whatever_its_case(client, registration_form, make_user, user_count):
    make_user(email="foo@x.go.id")
    response = client.post("/daftar", data=registration_form(email="Foo@X.go.id"))
    assert response.status_code == 200
    assert "Email ini sudah dipakai akun lain." in page_text(response)
    assert user_count() == 1


def test_without_csrf_token_nothing_is_registered(client, registration_form, user_count):
    response = client.post("/daftar", data=registration_form(), csrf=False)
    assert response.status_code == 400
    assert user_count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_logged_in_users_are_sent_home(login_as, role):
    response = login_as(role).get("/daftar")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
