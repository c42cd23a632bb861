"""Profile pages, profile editing, password change, and what ends a session."""

from html import unescape

import pytest
from werkzeug.security import check_password_hash

from portal.accounts import services
from portal.core.permissions import Role
from portal.extensions import db
from tests.accounts.conftest import NEW_PASSWORD
from tests.conftest import PASSWORD, login


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def is_logged_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


# ---------------------------------------------------------------- profile page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_a_colleagues_profile_without_email_or_edit_links(login_as, make_user, role):
    colleague = make_user(name="Dewi Anggraini", email="dewi@sawahluntokota.go.id", bio="Suka menulis.")
    viewer = login_as(role)
    response = viewer.get(f"/pegawai/{colleague.id}")
    text = page_text(response)
    assert response.status_code == 200
    assert "Dewi Anggraini" in text
    assert colleague.nip in text
    assert "Suka menulis." in text
    assert "/akun/profil" not in text.split("<main", 1)[1]
    if role == Role.ADMIN:
        assert "dewi@sawahluntokota.go.id" in text
    else:
        assert "dewi@sawahluntokota.go.id" not in text


def test_own_profile_shows_email_and_edit_links(member_client):
    me = member_client.user
    text = page_text(member_client.get(f"/pegawai/{me.id}")).split("<main", 1)[1]
    assert me.email in text
    assert 'href="/akun/profil"' in text
    assert 'href="/akun/sandi"' in text


def test_profile_shows_the_status_label(login_as, make_user):
    colleague = make_user(employment_status="PPPK_PW")
    text = page_text(login_as().get(f"/pegawai/{colleague.id}"))
    assert "PPPK paruh waktu" in text


def test_unverified_profiles_are_hidden_from_colleagues(member_client, make_user):
    pending = make_user(is_verified=False)
    assert member_client.get(f"/pegawai/{pending.id}").status_code == 404


def test_admin_sees_unverified_profiles(admin_client, make_user):
    pending = make_user(is_verified=False)
    assert admin_client.get(f"/pegawai/{pending.id}").status_code == 200


@pytest.mark.parametrize("user_id", ["987654", "99999999999999999999"])
def test_unknown_profile_is_404(member_client, user_id):
    response = member_client.get(f"/pegawai/{user_id}")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page_text(response)


@pytest.mark.parametrize("path", ["/pegawai/1", "/akun/profil", "/akun/sandi"])
def test_anonymous_visitors_are_sent_to_login(client, make_user, path):
    make_user()
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


# ---------------------------------------------------------------- edit profile


@pytest.fixture
def profile_form(unit):
    def build(**overrides) -> dict:
        form = {
            "name": "Yulia Fitri, S.E.",
            "email": "yulia@sawahluntokota.go.id",
            "unit_id": str(unit.id),
            "position": "Analis Keuangan",
            "bio": "Bendahara pengeluaran.",
        }
        form.update(overrides)
        return form

    return build


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_open_the_edit_form_with_its_own_data(login_as, role):
    client = login_as(role)
    response = client.get("/akun/profil")
    assert response.status_code == 200
    assert client.user.email in page_text(response)


def test_editing_saves_own_profile_and_ignores_a_forged_nip(member_client, profile_form, make_unit):
    other_unit = make_unit("Dinas Kesehatan")
    me = member_client.user
    nip = me.nip
    response = member_client.post(
        "/akun/profil",
        data=profile_form(
            email="Yulia@SawahluntoKota.go.id",
            unit_id=str(other_unit.id),
            nip="199001012015031001",
            current_password=PASSWORD,
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pegawai/{me.id}"
    db.session.refresh(me)
    assert (me.name, me.email, me.unit_id, me.position, me.bio) == (
        "Yulia Fitri, S.E.",
        "yulia@sawahluntokota.go.id",
        other_unit.id,
        "Analis Keuangan",
        "Bendahara pengeluaran.",
    )
    assert me.nip == nip


@pytest.mark.parametrize("password", ["", "salah-sandi-99"])
def test_changing_the_email_needs_the_current_password(member_client, profile_form, password):
    me = member_client.user
    before = (me.name, me.email)
    response = member_client.post(
        "/akun/profil", data=profile_form(email="baru@sawahluntokota.go.id", current_password=password)
    )
    assert response.status_code == 200
    assert "Masukkan kata sandi saat ini untuk mengganti email." in page_text(response)
    db.session.refresh(me)
    assert (me.name, me.email) == before


def test_keeping_the_same_email_is_allowed(member_client, profile_form):
    response = member_client.post("/akun/profil", data=profile_form(email=member_client.user.email.upper()))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "TAKEN@x.go.id"}, "Email ini sudah dipakai akun lain."),
        ({"email": "bukan-email"}, "Alamat email tidak valid."),
        ({"unit_id": "987654"}, "Unit kerja tidak ditemukan."),
        ({"unit_id": "0"}, "Pilih unit kerja."),
        ({"unit_id": "abc"}, "Pilih unit kerja."),
        ({"name": "Yo"}, "Nama lengkap minimal 3 karakter."),
        ({"bio": "b" * 2001}, "Tentang saya maksimal 2000 karakter."),
    ],
)
def test_bad_profile_input_shows_its_message_and_changes_nothing(
    member_client, make_user, profile_form, overrides, message
):
    make_user(email="taken@x.go.id")
    me = member_client.user
    before = (me.name, me.email, me.unit_id, me.bio)
    response = member_client.post("/akun/profil", data=profile_form(**overrides))
    text = page_text(response)
    assert response.status_code == 200
    assert message in text
    assert "Yulia Fitri" not in text.split("<main", 1)[0], "the header shows an unsaved name"
    db.session.expire_all()
    assert (me.name, me.email, me.unit_id, me.bio) == before


# ---------------------------------------------------------------- change password


def password_form(current: str = PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None) -> dict:
    return {"current_password": current, "password": new, "password_confirm": new if confirm is None else confirm}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_open_the_password_form(login_as, role):
    assert login_as(role).get("/akun/sandi").status_code == 200


def test_changing_password_keeps_this_session_and_ends_the_others(app, member_client):
    me = member_client.user
    other_device = login(app.test_client(), me)
    response = member_client.post("/akun/sandi", data=password_form())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pegawai/{me.id}"

    assert is_logged_in(member_client)
    assert not is_logged_in(other_device)
    db.session.refresh(me)
    assert check_password_hash(me.password_hash, NEW_PASSWORD)
    login(app.test_client(), me, NEW_PASSWORD)


def test_changing_password_keeps_remember_me_working_on_this_device(app, make_user):
    me = make_user()
    client = app.test_client()
    client.post("/masuk", data={"identifier": me.nip, "password": PASSWORD, "remember": "y"})
    client.post("/akun/sandi", data=password_form())
    client.delete_cookie("session")
    assert is_logged_in(client)


def test_old_remember_cookies_die_with_the_password(app, make_user):
    me = make_user()
    other_device = app.test_client()
    other_device.post("/masuk", data={"identifier": me.nip, "password": PASSWORD, "remember": "y"})
    other_device.delete_cookie("session")
    this_device = login(app.test_client(), me)
    this_device.post("/akun/sandi", data=password_form())
    assert not is_logged_in(other_device)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (password_form(current="Salah#20260"), "Kata sandi saat ini salah."),
        (password_form(current=""), "Isi kata sandi saat ini."),
        (password_form(new="pendek1"), "Kata sandi minimal 10 karakter."),
        (password_form(confirm="Songket-Silungkang8"), "Kedua kata sandi tidak sama."),
    ],
)
def test_bad_password_change_shows_its_message_and_keeps_the_old_password(member_client, form, message):
    me = member_client.user
    old_hash, old_token = me.password_hash, me.session_token
    response = member_client.post("/akun/sandi", data=form)
    assert response.status_code == 200
    assert message in page_text(response)
    db.session.expire_all()
    assert (me.password_hash, me.session_token) == (old_hash, old_token)


def test_new_password_may_not_contain_the_users_name(login_as):
    client = login_as(name="Hendra Gunawan")
    response = client.post("/akun/sandi", data=password_form(new="Gunawan#2026"))
    assert "Kata sandi tidak boleh memuat NIP, nama, atau email Anda." in page_text(response)


# ---------------------------------------------------------------- deactivation


def test_deactivation_ends_an_open_session_on_the_next_request(member_client, make_user):
    admin = make_user(Role.ADMIN)
    assert is_logged_in(member_client)
    services.set_active(admin, member_client.user, False)
    response = member_client.get("/akun/profil")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_deactivation_ends_remember_me_too(app, make_user):
    admin = make_user(Role.ADMIN)
    me = make_user()
    client = app.test_client()
    client.post("/masuk", data={"identifier": me.nip, "password": PASSWORD, "remember": "y"})
    services.set_active(admin, me, False)
    client.delete_cookie("session")
    assert not is_logged_in(client)
