"""Start-up settings: production refuses a weak secret key and marks cookies Secure."""

import secrets

import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, DevelopmentConfig, ProductionConfig
from tests.conftest import PASSWORD


@pytest.mark.parametrize("secret_key", [DEV_SECRET_KEY, "", "kurang-dari-32-karakter"])
def test_production_refuses_to_start_without_a_proper_secret_key(monkeypatch, secret_key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secret_key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_an_overridden_dev_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"PORTAL_CONFIG": "production", "SECRET_KEY": DEV_SECRET_KEY})


@pytest.fixture
def production_app(make_app):
    return make_app(PORTAL_CONFIG="production", SECRET_KEY=secrets.token_urlsafe(48), MAIL_BACKEND="log")


def test_production_marks_cookies_secure_and_sends_hsts(production_app, make_user):
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
    user = make_user()
    client = production_app.test_client()
    response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token"):
        (cookie,) = [value for value in cookies if value.startswith(f"{name}=")]
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_limits_login_attempts(production_app):
    assert production_app.config["RATELIMIT_ENABLED"] is True


def test_development_keeps_the_debugger_off():
    assert DevelopmentConfig.DEBUG is False
