"""Shared fixtures: one app per test session, a clean database and search index per test, factories, role clients.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL points to a PostgreSQL server (CI); there each
run works in a database of its own, created and dropped here (tests/database.py). ``demo_loaded`` gives a test the
demo city, loaded once per run and copied in for each test that asks.
CSRF protection stays ON in tests: :class:`PortalClient` adds a valid token to form posts the way a
browser would, and ``csrf=False`` sends a post without one.
"""

from __future__ import annotations

import itertools
import secrets
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.accounts.models import EmploymentStatus, User
from portal.core.permissions import Role
from portal.extensions import db
from portal.search.whoosh_backend import close_all
from portal.units.models import Unit, UnitKind
from tests import database
from tests.database import RunDatabase, Snapshot

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
def run_db(tmp_path_factory) -> RunDatabase:
    with database.run_database(tmp_path_factory.mktemp("database")) as run:
        yield run


@pytest.fixture(scope="session")
def app(tmp_path_factory, run_db):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "PORTAL_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": run_db.url,
            "SEARCH_INDEX_DIR": str(instance / "search-index"),
            "UPLOAD_ROOT": str(instance / "uploads"),
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
        database.empty_tables()


_search_indexes = itertools.count(1)


@pytest.fixture(autouse=True)
def search_index(app):
    """Each test gets an empty search index of its own (removed afterwards); the app's setting is restored."""
    previous = app.config["SEARCH_INDEX_DIR"]
    path = Path(previous) / f"test-{next(_search_indexes)}"
    app.config["SEARCH_INDEX_DIR"] = str(path)
    yield app.config["SEARCH_INDEX_DIR"]
    close_all()
    app.config["SEARCH_INDEX_DIR"] = previous
    shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class DemoLoad:
    result: Result  # what `flask demo load` printed on the empty database
    snapshot: Snapshot  # the database it left


@pytest.fixture(scope="session")
def demo_snapshot(app, run_db, tmp_path_factory) -> DemoLoad:
    """``flask demo load`` once per run on the empty database, saved as a snapshot; the tables are emptied again."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        snapshot = database.take_snapshot(run_db, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
        database.empty_tables()
    yield DemoLoad(result, snapshot)
    database.drop_snapshot(snapshot)


@pytest.fixture
def demo_loaded(demo_snapshot) -> Result:
    """The database exactly as ``flask demo load`` leaves an empty one; returns that command's result.

    The demo takes seconds to build, so it is built once (``demo_snapshot``) and copied in for each test.
    """
    database.restore_snapshot(demo_snapshot.snapshot)
    return demo_snapshot.result


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
