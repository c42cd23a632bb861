"""Revision 5c1e7b9d2f40 keeps every stored workshop JP (marked as stored before the rule) and fills the seeded
JP rules' sources; downgrading restores ``jp_overridden``. On SQLite and, with TEST_DATABASE_URL, PostgreSQL."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.extensions import db
from tests.test_migrations import empty_database_url, migration_app  # noqa: F401 - fixtures

BEFORE = "5b1e7c2d9a40"
REVISION = "5c1e7b9d2f40"
NOW = "2026-11-30 08:00:00+00:00"


def _seed_before_the_rule() -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, nip, name, email, position, employment_status, role, password_hash, bio, "
                "is_verified, active, created_at, session_token) VALUES (1, '198001012005011001', 'Yulia', "
                "'y@example.go.id', '', 'PNS', 'organizer', 'x', '', true, true, :now, 't')"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO development_types (id, code, name, category, is_active, created_at) VALUES "
                "(7, 'KL07', 'Workshop/lokakarya', 'klasikal', true, :now), "
                "(6, 'KL06', 'Seminar/konferensi/sarasehan', 'klasikal', true, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO learning_jp_rules (development_type_id, unit, jp_per_unit, jp_international, note, "
                "updated_at) VALUES (7, 'day', 5, 7, '', :now), (6, 'day', 3, NULL, 'diubah admin', :now)"
            ),
            {"now": NOW},
        )
        for workshop_id, jp, overridden in ((1, 10, False), (2, 6, True)):
            conn.execute(
                text(
                    "INSERT INTO workshops (id, title, description_md, description_html, renderer_version, "
                    "development_type_id, provider_name, trainer_names, location, online_url, capacity, jp, "
                    "jp_overridden, employment_filter, approval_mode, status, status_note, organizer_id, starts_at, "
                    "ends_at, calendar_sequence, created_at, updated_at) VALUES (:id, 'Workshop', '', '', 0, 7, "
                    "'BKPSDM', '', '', '', 30, :jp, :overridden, 'all', 'automatic', 'published', '', 1, :now, :now, "
                    "0, :now, :now)"
                ),
                {"id": workshop_id, "jp": jp, "overridden": overridden, "now": NOW},
            )


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_the_migration_keeps_stored_jp_and_fills_the_seeded_sources(migration_app):  # noqa: F811
    upgrade(revision=BEFORE)
    _seed_before_the_rule()

    upgrade(revision=REVISION)

    assert _rows("SELECT id, jp, jp_basis, jp_reason FROM workshops ORDER BY id") == [
        (1, 10, "legacy", ""),  # 480 minutes / 45 stays 10 JP: history is not rewritten
        (2, 6, "legacy_organizer", ""),
    ]
    sources = dict(_rows("SELECT development_type_id, source FROM learning_jp_rules"))
    assert sources[7] == "Pedoman LAN tentang pengembangan kompetensi non-klasikal (2020)."
    assert sources[6] == ""  # an admin changed this rule: its source is theirs to give

    downgrade(revision=BEFORE)
    assert _rows("SELECT id, jp, jp_overridden FROM workshops ORDER BY id") == [(1, 10, False), (2, 6, True)]
