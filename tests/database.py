"""The test run's database: where it lives, how it is emptied after a test, and snapshots of it.

SQLite: a file in the run's temporary folder. PostgreSQL (``TEST_DATABASE_URL``): that URL names the server and a
database to connect to for administration; each run creates a database of its own next to it
(``<name>_<pid>_<random>``) and drops it at the end, so two runs on one server never see each other's rows.

A snapshot (``take_snapshot``) saves the current content of the run's database once — a SQLite file written with
SQLite's backup API, or a PostgreSQL database created from it as a template — and ``restore_snapshot`` puts that
content back in a moment, for tests that need a large data set (the demo city) without building it each time.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from portal.extensions import db

# A cleanup waiting this long for a lock (a connection a test left inside a transaction) fails that test's
# teardown instead of hanging the whole run.
CLEANUP_LOCK_TIMEOUT = "10s"
_PG_NAME_MAX = 63


@dataclass(frozen=True)
class RunDatabase:
    url: str
    admin: Engine | None = None  # PostgreSQL: an AUTOCOMMIT engine on the configured (administration) database
    name: str | None = None  # PostgreSQL: the run's own database

    @property
    def is_postgres(self) -> bool:
        return self.admin is not None


@contextmanager
def run_database(instance: Path) -> Iterator[RunDatabase]:
    configured = os.environ.get("TEST_DATABASE_URL")
    if not configured:
        yield RunDatabase(url=f"sqlite:///{instance / 'test.sqlite3'}")
        return
    with run_database_at(configured) as run:
        yield run


@contextmanager
def run_database_at(configured: str) -> Iterator[RunDatabase]:
    """A PostgreSQL database of its own next to ``configured``'s, dropped at the end."""
    url = make_url(configured)
    suffix = f"_{os.getpid()}_{secrets.token_hex(3)}"
    name = f"{(url.database or 'test')[: _PG_NAME_MAX - len(suffix) - len('_snapshot')]}{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield RunDatabase(url=url.set(database=name).render_as_string(hide_password=False), admin=admin, name=name)
    finally:
        _drop_postgres_database(admin, name)
        admin.dispose()


def _drop_postgres_database(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ---------------------------------------------------------------- emptying after a test


def empty_tables() -> None:
    """Delete every row of the app's tables (dependents first); on PostgreSQL also restart the used sequences."""
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SET LOCAL lock_timeout = '{CLEANUP_LOCK_TIMEOUT}'"))
            _empty_postgres_tables(conn, tables)
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - table names from metadata


# TRUNCATE costs file work per table (and CASCADE from users reaches nearly all of them) even when the tables
# are empty, about 0.2 s a test; a test touches a few tables, and deleting those rows is cheap.
_RESTART_USED_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
    " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _empty_postgres_tables(conn: Connection, tables: list[str]) -> None:
    """Delete the rows of every table holding some (dependents first) and restart the used id sequences."""
    probes = [f"SELECT '{t}' FROM \"{t}\" HAVING count(*) > 0" for t in tables]  # noqa: S608 - names from metadata
    with_rows = " UNION ALL ".join(probes)
    filled = set(conn.execute(text(with_rows)).scalars())
    for table in tables:
        if table in filled:
            conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - table names from metadata
    conn.execute(_RESTART_USED_SEQUENCES)


# ---------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class Snapshot:
    database: RunDatabase
    location: str  # SQLite: the snapshot file; PostgreSQL: the template database's name


def take_snapshot(database: RunDatabase, path: Path) -> Snapshot:
    """Save the run database's current content (call inside an app context, with no transaction open)."""
    db.session.remove()
    if database.is_postgres:
        template = f"{database.name}_snapshot"
        db.engine.dispose()
        with database.admin.connect() as conn:
            _close_other_connections(conn, database.name)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{template}"'))
            conn.execute(text(f'CREATE DATABASE "{template}" TEMPLATE "{database.name}"'))
        return Snapshot(database, template)
    raw = db.engine.raw_connection()
    target = sqlite3.connect(path)
    try:
        raw.driver_connection.backup(target)
    finally:
        target.close()
        raw.close()
    return Snapshot(database, str(path))


def restore_snapshot(snapshot: Snapshot) -> None:
    """Replace the run database's content with the snapshot's (inside an app context, before the test's queries)."""
    db.session.remove()
    database = snapshot.database
    if database.is_postgres:
        db.engine.dispose()
        with database.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{database.name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database.name}" TEMPLATE "{snapshot.location}"'))
        return
    raw = db.engine.raw_connection()
    source = sqlite3.connect(snapshot.location)
    try:
        source.backup(raw.driver_connection)
    finally:
        source.close()
        raw.close()


def drop_snapshot(snapshot: Snapshot) -> None:
    if snapshot.database.is_postgres:
        _drop_postgres_database(snapshot.database.admin, snapshot.location)
    else:
        Path(snapshot.location).unlink(missing_ok=True)


def _close_other_connections(conn: Connection, name: str) -> None:
    """A template must have no other sessions; the run's database is ours, so ending stragglers is safe."""
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )
