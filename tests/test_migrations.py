"""The Alembic history builds exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.extensions import db

SCHEMA = "migration_check"


@pytest.fixture
def empty_database_url(tmp_path, run_db):
    if not run_db.is_postgres:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = run_db.url  # this run's own database (tests/database.py): no other run touches the schema
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{SCHEMA}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture
def migration_app(empty_database_url, tmp_path):
    application = create_app(
        {"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url, "UPLOAD_ROOT": str(tmp_path)}
    )
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _schema_diff() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_models(migration_app):
    upgrade()
    assert _schema_diff() == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "units", "competencies", "audit_entries"} <= tables


def test_downgrade_to_base_and_upgrade_again(migration_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert _schema_diff() == []
