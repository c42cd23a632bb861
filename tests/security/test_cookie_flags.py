"""Session and remember-me cookies are HttpOnly and SameSite=Lax; Secure in production."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from werkzeug.security import generate_password_hash

from portal.accounts.models import User
from portal.core.permissions import Role
from portal.extensions import db

PASSWORD = "Rahasia#2026"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _login_cookies(client, nip: str) -> dict[str, str]:
    """Log in the way a browser does, with "remember me", and return each Set-Cookie header by name."""
    form = client.get("/masuk").get_data(as_text=True)
    token = CSRF_INPUT.search(form).group(1)
    response = client.post(
        "/masuk", data={"identifier": nip, "password": PASSWORD, "remember": "y", "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookies[next(iter(SimpleCookie(header)))] = header
    return cookies


def _flags(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_login_cookies_are_http_only_and_same_site(client, make_user):
    user = make_user(Role.MEMBER)
    cookies = _login_cookies(client, user.nip)
    for name in ("session", "remember_token"):
        flags = _flags(cookies[name])
        assert {"httponly", "samesite=lax"} <= flags, name
        assert "secure" not in flags, "plain-HTTP development must still be able to log in"


def test_production_login_cookies_are_secure(production_app):
    nip = "198805172019031001"
    with production_app.app_context():
        db.session.add(
            User(
                nip=nip,
                name="Pegawai Produksi",
                email="produksi@sawahluntokota.go.id",
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                session_token="production-session-token",
                is_verified=True,
            )
        )
        db.session.commit()
        cookies = _login_cookies(production_app.test_client(), nip)
    for name in ("session", "remember_token"):
        assert {"secure", "httponly", "samesite=lax"} <= _flags(cookies[name]), name
