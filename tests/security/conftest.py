"""A second app built with the production config, next to the session's testing app."""

from __future__ import annotations

import secrets

import pytest

from portal import create_app
from portal.extensions import db


@pytest.fixture
def production_app(tmp_path):
    """``create_app("production")`` on its own SQLite file, with a real 48-character secret key.

    Rate limiting stays off: the limiter is one object shared by every app, and enabling it here would
    switch it on for the rest of the test session.
    """
    application = create_app(
        {
            "PORTAL_CONFIG": "production",
            "SECRET_KEY": secrets.token_urlsafe(36),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "log",
        }
    )
    assert len(application.secret_key) == 48
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
