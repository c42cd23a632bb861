"""Login at /masuk and logout at /keluar."""

import re
from html import unescape

import pytest

from portal.core.permissions import Role
from tests.conftest import PASSWORD

WRONG = "NIP/email atau kata sandi salah."


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def alert(response) -> str:
    found = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>\s*</div>', page_text(response), re.S)
    assert found, "no error alert on the page"
    return found.group(1)


def set_cookie(response, name: str) -> str:
    headers = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]
    assert headers, f"no {name} cookie set"
    return headers[-1]


def is_logged_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


def test_login_page_renders(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    assert 'name="identifier"' in response.get_data(as_text=True)


@pytest.mark.parametrize("identifier", ["nip", "spaced nip", "email", "shouted email"])
def test_log_in_with_nip_or_email(client, make_user, identifier):
    user = make_user(nip="198503142010011002", email="andi@sawahluntokota.go.id")
    value = {
        "nip": "198503142010011002",
        "spaced nip": " 19850314 201001 1 002 ",
        "email": "andi@sawahluntokota.go.id",
        "shouted email": "  ANDI@SawahluntoKota.go.id ",
    }[identifier]
    response = client.post("/masuk", data={"identifier": value, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.last_login_at is not None
    assert f"Selamat datang kembali, {user.name}" in page_text(client.get("/"))


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    user = make_user()
    wrong_password = client.post("/masuk", data={"identifier": user.nip, "password": "Salah#20260"})
    unknown_nip = client.post("/masuk", data={"identifier": "199001012015031001", "password": PASSWORD})
    unknown_email = client.post("/masuk", data={"identifier": "siapa@x.go.id", "password": PASSWORD})
    for response in (wrong_password, unknown_nip, unknown_email):
        assert response.status_code == 200
        assert WRONG in alert(response)
    assert alert(wrong_password) == alert(unknown_nip) == alert(unknown_email)
    assert not is_logged_in(client)


def test_empty_form_asks_for_both_fields(client):
    text = page_text(client.post("/masuk", data={"identifier": "", "password": ""}))
    assert "Isi NIP atau email Anda." in text
    assert "Isi kata sandi Anda." in text


def test_deactivated_account_is_refused_with_its_message(client, make_user):
    user = make_user(active=False)
    response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD})
    assert "Akun ini dinonaktifkan. Hubungi admin BKPSDM." in alert(response)
    assert not is_logged_in(client)


def test_deactivated_account_with_a_wrong_password_reveals_nothing(client, make_user):
    user = make_user(active=False)
    response = client.post("/masuk", data={"identifier": user.nip, "password": "Salah#20260"})
    assert WRONG in alert(response)
    assert "dinonaktifkan" not in page_text(response)


def test_unverified_account_is_refused_with_its_message(client, make_user):
    user = make_user(is_verified=False)
    response = client.post("/masuk", data={"identifier": user.email, "password": PASSWORD})
    assert "belum diverifikasi oleh admin BKPSDM" in alert(response)
    assert not is_logged_in(client)


def test_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    user = make_user()
    response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD})
    cookie = set_cookie(response, "session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert not [value for value in response.headers.getlist("Set-Cookie") if value.startswith("remember_token=")]


def test_remember_me_sets_a_protected_cookie_that_outlives_the_session(client, make_user):
    user = make_user()
    response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD, "remember": "y"})
    cookie = set_cookie(response, "remember_token")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie

    client.delete_cookie("session")
    assert is_logged_in(client)


@pytest.mark.parametrize("target", ["/akun/profil", "/pegawai/1?tab=aktivitas"])
def test_next_is_followed_for_local_paths(client, make_user, target):
    user = make_user()
    response = client.post("/masuk", query_string={"next": target}, data={"identifier": user.nip, "password": PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://localhost.evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leads_off_site(client, make_user, target):
    user = make_user()
    response = client.post("/masuk", query_string={"next": target}, data={"identifier": user.nip, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_required_page_sends_anonymous_users_to_login_and_back(client, make_user):
    user = make_user()
    response = client.get("/akun/profil")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")
    back = client.post(response.headers["Location"], data={"identifier": user.nip, "password": PASSWORD})
    assert back.headers["Location"] == "/akun/profil"


def test_htmx_login_redirects_with_a_header(client, make_user):
    user = make_user()
    response = client.post(
        "/masuk", data={"identifier": user.nip, "password": PASSWORD}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


@pytest.mark.parametrize("role", list(Role))
def test_logged_in_users_skip_the_login_page(login_as, role):
    response = login_as(role).get("/masuk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_is_post_only(member_client):
    assert member_client.get("/keluar").status_code == 405
    assert is_logged_in(member_client)


def test_logout_without_csrf_token_is_refused(member_client):
    response = member_client.post("/keluar", csrf=False)
    assert response.status_code == 400
    assert "Sesi formulir sudah kedaluwarsa atau tidak valid." in page_text(response)
    assert is_logged_in(member_client)


def test_logout_ends_the_session_and_the_remember_cookie(client, make_user):
    user = make_user()
    client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD, "remember": "y"})
    response = client.post("/keluar", follow_redirects=True)
    assert "Anda sudah keluar." in page_text(response)
    assert not is_logged_in(client)
