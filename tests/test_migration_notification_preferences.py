"""The migration to email choices per kind keeps each person's old email switch, and back."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.extensions import db
from tests.test_migration_certificate_once import USER
from tests.test_migrations import empty_database_url, migration_app  # noqa: F401 - the fixtures

BEFORE = "d4e5f6a7b8c9"
SECOND_USER = text(
    "INSERT INTO users (id, nip, name, email, position, employment_status, role, password_hash, bio, is_verified,"
    " active, created_at, session_token) VALUES (2, '198801012019031002', 'Budi', 'budi@example.go.id', '', 'PNS',"
    " 'member', '', '', true, true, '2025-01-01 00:00:00+00', 'y')"
)


def test_email_on_becomes_immediate_for_other_kinds_and_back(migration_app):  # noqa: F811 - the fixture
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        conn.execute(USER)
        conn.execute(SECOND_USER)
        conn.execute(text("INSERT INTO notification_settings (user_id, email_enabled) VALUES (1, true), (2, false)"))
        conn.execute(
            text(
                "INSERT INTO notifications (user_id, kind, params, url, created_at)"
                " VALUES (1, 'forum.replied', '{}', '/forum', '2025-01-02 00:00:00+00')"
            )
        )

    upgrade()

    with db.engine.connect() as conn:
        choices = conn.execute(text("SELECT user_id, kind, email FROM notification_preferences")).all()
        old = conn.execute(text("SELECT email_digest, emailed_at FROM notifications")).one()
    assert [tuple(row) for row in choices] == [(1, "*", "immediate")]
    assert not old.email_digest and old.emailed_at is None  # nothing old goes into a digest

    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        settings = conn.execute(text("SELECT user_id, email_enabled FROM notification_settings")).all()
    assert [(row.user_id, bool(row.email_enabled)) for row in settings] == [(1, True)]
