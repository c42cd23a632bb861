"""Home page, language choice, health check, CSRF, security headers, error pages and the htmx helpers."""

import logging
from html import unescape

import pytest
from flask import session

from portal.core.htmx import redirect_to, render
from portal.core.permissions import Role
from portal.extensions import db
from tests.conftest import login

CSRF_MESSAGE = "Sesi formulir sudah kedaluwarsa atau tidak valid. Muat ulang halaman lalu kirim lagi."


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


# ---------------------------------------------------------------- home, language, health


def test_home_page_is_indonesian_by_default(client):
    response = client.get("/")
    text = page_text(response)
    assert response.status_code == 200
    assert '<html lang="id">' in text
    assert "Portal Kompetensi ASN Kota Sawahlunto" in text
    assert "Daftar dengan NIP" in text


@pytest.mark.parametrize("role", list(Role))
def test_home_page_greets_every_role(login_as, role):
    client = login_as(role)
    assert f"Selamat datang kembali, {client.user.name}" in page_text(client.get("/"))


def test_switching_to_english_sticks_for_the_session(client):
    response = client.post("/bahasa", data={"locale": "en", "next": "/masuk?next=/akun/profil"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk?next=/akun/profil"
    with client.session_transaction() as stored:
        assert stored["locale"] == "en"
    assert '<html lang="en">' in page_text(client.get("/"))
    assert '<html lang="en">' in page_text(client.get("/masuk"))


def test_the_choice_is_saved_on_the_account_and_follows_the_user(app, member_client):
    member_client.post("/bahasa", data={"locale": "en"})
    me = member_client.user
    db.session.refresh(me)
    assert me.locale == "en"

    other_device = login(app.test_client(), me)
    assert '<html lang="en">' in page_text(other_device.get("/"))


def test_switching_back_to_indonesian(client):
    client.post("/bahasa", data={"locale": "en"})
    client.post("/bahasa", data={"locale": "id"})
    assert '<html lang="id">' in page_text(client.get("/"))


def test_unknown_language_is_refused_with_a_message(client):
    response = client.post("/bahasa", data={"locale": "xx"}, follow_redirects=True)
    text = page_text(response)
    assert "Bahasa tidak dikenal." in text
    assert '<html lang="id">' in text
    with client.session_transaction() as stored:
        assert "locale" not in stored


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/bahasa", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_language_switch_is_post_only(client):
    assert client.get("/bahasa").status_code == 405


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# ---------------------------------------------------------------- CSRF


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/bahasa", {"locale": "en"}),
        ("/masuk", {"identifier": "198503142010011002", "password": "x"}),
        ("/daftar", {"name": "Budi"}),
        ("/lupa-sandi", {"identifier": "198503142010011002"}),
        ("/keluar", {}),
    ],
)
def test_any_post_without_csrf_token_gets_the_indonesian_400_page(client, path, form):
    response = client.post(path, data=form, csrf=False)
    text = page_text(response)
    assert response.status_code == 400
    assert CSRF_MESSAGE in text
    assert '<nav class="navbar' in text


def test_a_forged_csrf_token_is_refused_too(client):
    response = client.post("/bahasa", data={"locale": "en", "csrf_token": "forged"}, csrf=False)
    assert response.status_code == 400
    with client.session_transaction() as stored:
        assert "locale" not in stored


def test_htmx_posts_may_send_the_token_as_a_header(client):
    token = client.csrf_token()
    response = client.post("/bahasa", data={"locale": "en"}, headers={"X-CSRFToken": token}, csrf=False)
    assert response.status_code == 302


# ---------------------------------------------------------------- security headers


def assert_security_headers(response) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/"), ("get", "/masuk"), ("get", "/healthz"), ("get", "/tidak-ada"), ("get", "/static/js/portal.js")],
)
def test_security_headers_on_every_response(client, method, path):
    response = getattr(client, method)(path)
    response.close()  # a static file streams from an open file
    assert_security_headers(response)


def test_security_headers_on_redirects_and_errors(client, member_client):
    assert_security_headers(client.post("/bahasa", data={"locale": "en"}))
    assert_security_headers(client.post("/bahasa", data={"locale": "en"}, csrf=False))
    assert_security_headers(member_client.get("/akun/profil"))


def test_no_strict_transport_security_without_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


# ---------------------------------------------------------------- error pages


def test_404_page_in_the_portals_style(client):
    response = client.get("/halaman-yang-tidak-ada")
    text = page_text(response)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text
    assert '<nav class="navbar' in text
    assert "Kembali ke beranda" in text


def test_405_page(client):
    response = client.get("/keluar")
    assert response.status_code == 405
    assert "Metode tidak diizinkan" in page_text(response)


def test_api_errors_are_json(client):
    response = client.get("/api/tidak-ada")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_htmx_error_is_a_fragment(client):
    response = client.get("/tidak-ada", headers={"HX-Request": "true"})
    text = page_text(response)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text
    assert "<html" not in text
    assert "HX-Request" in response.headers["Vary"]


@pytest.fixture
def failing_app(make_app):
    application = make_app()

    @application.get("/_boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    @application.get("/api/_boom")
    def api_boom():
        raise RuntimeError("database password is hunter2")

    return application


def test_500_page_in_the_portals_style_without_a_stack_trace(failing_app, caplog):
    caplog.set_level(logging.ERROR, logger="portal.core.errors")
    response = failing_app.test_client().get("/_boom")
    text = page_text(response)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in text
    assert '<nav class="navbar' in text
    assert "hunter2" not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert_security_headers(response)
    assert "hunter2" in caplog.text, "the error is logged for the operators"


def test_500_under_api_is_json_without_details(failing_app):
    response = failing_app.test_client().get("/api/_boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500
    assert "hunter2" not in response.get_data(as_text=True)


# ---------------------------------------------------------------- htmx helpers


PARTS = {"code": 200, "title": "Judul uji", "message": "Isi uji"}


@pytest.mark.parametrize(
    ("headers", "full_page"),
    [({}, True), ({"HX-Request": "true"}, False), ({"HX-Request": "true", "HX-Boosted": "true"}, True)],
)
def test_render_gives_htmx_the_fragment_and_others_the_page(app, headers, full_page):
    with app.test_request_context("/", headers=headers):
        session["locale"] = "id"
        response = render("errors/error.html", partial="errors/_partials/error.html", **PARTS)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Judul uji" in text
    assert ("<html" in text) is full_page
    assert "HX-Request" in response.vary


def test_render_without_a_partial_always_gives_the_page(app):
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        response = render("errors/error.html", status=201, **PARTS)
    assert response.status_code == 201
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.vary


def test_redirect_to_uses_hx_redirect_for_htmx(app):
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        response = redirect_to("/pegawai/1")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/pegawai/1"
    assert "Location" not in response.headers


def test_redirect_to_is_a_plain_redirect_otherwise(app):
    with app.test_request_context("/"):
        response = redirect_to("/pegawai/1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/pegawai/1"
