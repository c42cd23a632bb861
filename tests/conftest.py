"""Shared fixtures: one app per test session, a clean database per test, factories, and role clients.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL points elsewhere (PostgreSQL in CI).
CSRF protection stays ON in tests: :class:`PortalClient` adds a valid token to form posts the way a
browser would, and ``csrf=False`` sends a post without one.
"""

from __future__ import annotations

import itertools
import os
import secrets
from datetime import date

import pytest
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.accounts.models import EmploymentStatus, User
from portal.core.permissions import Role
from portal.extensions import db
from portal.units.models import Unit, UnitKind

PASSWORD = "Rahasia#2026"
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # fast to check in tests
_sequence = itertools.count(1)


class PortalClient(FlaskClient):
    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", secrets.token_hex(20))
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        self._forget_request_globals()
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"} and not kwargs.get("json"):
            data = kwargs.get("data")
            if data is None or isinstance(data, dict):
                data = dict(data or {})
                data.setdefault("csrf_token", self.csrf_token())
                kwargs["data"] = data
        return super().open(*args, **kwargs)

    def _forget_request_globals(self) -> None:
        """Requests reuse the test's app context and so its ``g``, where Flask-Login caches the user, Flask-Babel
        the locale and Flask-WTF the CSRF token: without this, a second client would act as the first."""
        if has_app_context() and current_app._get_current_object() is self.application:
            for name in list(g):
                g.pop(name)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite3'}"
    application = create_app(
        {
            "PORTAL_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": str(instance / "search-index"),
            "UPLOAD_DIR": str(instance / "uploads"),
        }
    )
    application.test_client_class = PortalClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts with empty tables (and an app context)."""
    with app.app_context():
        yield
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
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


def _empty_postgres_tables(conn, tables: list[str]) -> None:
    """Delete the rows of every table holding some (dependents first) and restart the used id sequences."""
    probes = [f"SELECT '{t}' FROM \"{t}\" HAVING count(*) > 0" for t in tables]  # noqa: S608 - names from metadata
    with_rows = " UNION ALL ".join(probes)
    filled = set(conn.execute(text(with_rows)).scalars())
    for table in tables:
        if table in filled:
            conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - table names from metadata
    conn.execute(_RESTART_USED_SEQUENCES)


@pytest.fixture
def client(app) -> PortalClient:
    return app.test_client()


def make_nip(gender: int = 1, status: str = "PNS", born: date = date(1988, 5, 17)) -> str:
    sequence = next(_sequence)
    middle = "201903" if status != "PPPK" else "202124"
    return f"{born:%Y%m%d}{middle}{gender}{sequence % 1000 or 1:03d}"


@pytest.fixture
def make_unit():
    def factory(name: str | None = None, **fields) -> Unit:
        n = next(_sequence)
        unit = Unit(
            code=fields.pop("code", f"U{n:03d}"),
            name=name or f"Dinas Uji {n}",
            kind=fields.pop("kind", UnitKind.OFFICE),
            **fields,
        )
        db.session.add(unit)
        db.session.commit()
        return unit

    return factory


@pytest.fixture
def unit(make_unit) -> Unit:
    return make_unit("Dinas Komunikasi dan Informatika", short_name="Diskominfo")


@pytest.fixture
def make_user(unit):
    def factory(role: Role | str = Role.MEMBER, **fields) -> User:
        n = next(_sequence)
        status = fields.pop("employment_status", EmploymentStatus.PNS)
        user = User(
            nip=fields.pop("nip", None) or make_nip(status=EmploymentStatus(status).value),
            name=fields.pop("name", f"Pegawai Uji {n}"),
            email=fields.pop("email", f"pegawai{n}@sawahluntokota.go.id"),
            unit_id=fields.pop("unit_id", unit.id),
            position=fields.pop("position", "Analis Kebijakan"),
            employment_status=EmploymentStatus(status),
            role=Role(role),
            password_hash=fields.pop("password_hash", _HASH),
            session_token=secrets.token_hex(16),
            is_verified=fields.pop("is_verified", True),
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return factory


def login(client: PortalClient, user: User, password: str = PASSWORD):
    response = client.post("/masuk", data={"identifier": user.nip, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def login_as(app, make_user):
    """``login_as("admin")`` -> a client logged in as a fresh user with that role."""

    def factory(role: Role | str = Role.MEMBER, **fields) -> PortalClient:
        user = make_user(role, **fields)
        test_client = app.test_client()
        login(test_client, user)
        test_client.user = user
        return test_client

    return factory


@pytest.fixture
def member_client(login_as):
    return login_as(Role.MEMBER)


@pytest.fixture
def organizer_client(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def moderator_client(login_as):
    return login_as(Role.MODERATOR)


@pytest.fixture
def admin_client(login_as):
    return login_as(Role.ADMIN)
