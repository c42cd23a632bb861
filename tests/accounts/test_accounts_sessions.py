"""Logout ends the session for good: a copied session cookie or an old remember-me cookie no longer works."""

from __future__ import annotations

from html import unescape

from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import PASSWORD


def is_logged_in(client) -> bool:
    return client.get("/akun/profil").status_code == 200


def cookie_value(client, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def log_in(client, user, remember: bool = False):
    data = {"identifier": user.nip, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/masuk", data=data)
    assert response.status_code == 302
    return client


def test_replayed_session_cookie_is_refused_after_logout(app, make_user):
    user = make_user()
    client = log_in(app.test_client(), user)
    copied = cookie_value(client, "session")
    client.post("/keluar")
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert not is_logged_in(replay)


def test_old_remember_me_cookie_is_refused_after_logout(app, make_user):
    user = make_user()
    client = log_in(app.test_client(), user, remember=True)
    remember = cookie_value(client, "remember_token")
    assert remember
    client.post("/keluar")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert not is_logged_in(fresh)


def test_logout_rotates_the_session_token(app, make_user):
    user = make_user()
    before = user.session_token
    client = log_in(app.test_client(), user)
    client.post("/keluar")
    assert db.session.get(User, user.id, populate_existing=True).session_token != before


def test_logout_without_a_session_changes_nothing(client):
    response = client.post("/keluar", follow_redirects=True)
    assert "Anda sudah keluar." in unescape(response.get_data(as_text=True))


def test_profile_offers_log_out_everywhere(app, make_user):
    user = make_user()
    client = log_in(app.test_client(), user)
    page = client.get(f"/pegawai/{user.id}").get_data(as_text=True)
    assert "/akun/keluar-semua" in page
    assert "Keluar dari semua perangkat" in unescape(page)


def test_log_out_everywhere_ends_every_device(app, make_user):
    user = make_user()
    phone = log_in(app.test_client(), user, remember=True)
    laptop = log_in(app.test_client(), user)
    response = laptop.post("/akun/keluar-semua", follow_redirects=True)
    assert "Anda sudah keluar dari semua perangkat." in unescape(response.get_data(as_text=True))
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    phone.delete_cookie("session")  # the remember-me cookie alone does not bring the session back
    assert not is_logged_in(phone)


def test_log_out_everywhere_needs_a_csrf_token(app, make_user):
    user = make_user()
    client = log_in(app.test_client(), user)
    assert client.post("/akun/keluar-semua", csrf=False).status_code == 400
    assert is_logged_in(client)


def test_log_out_everywhere_needs_a_login(client):
    response = client.post("/akun/keluar-semua")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_csrf_token_is_renewed_at_login(app, make_user):
    user = make_user()
    client = app.test_client()
    client.get("/masuk")
    with client.session_transaction() as session:
        before = session["csrf_token"]
    log_in(client, user)
    client.get("/akun/profil")
    with client.session_transaction() as session:
        after = session["csrf_token"]
    assert after != before


def test_a_csrf_token_from_before_login_is_refused_after_it(app, make_user):
    user = make_user()
    client = app.test_client()
    old_token = client.csrf_token()
    log_in(client, user)
    response = client.post("/akun/keluar-semua", data={"csrf_token": old_token}, csrf=False)
    assert response.status_code == 400
    assert is_logged_in(client)
