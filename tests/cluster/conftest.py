"""The cluster tests: two app servers behind nginx, one PostgreSQL database, one Redis, a shared upload folder.

``make test-cluster`` (``pytest -m cluster tests/cluster``); ``make test`` and ``make test-pg`` leave them out. The
session fixture starts the cluster of ``bench/cluster.py`` on a database of its own (dropped afterwards), seeds the
few rows the tests need in-process before the servers start, and logs people in over HTTP. Needs PostgreSQL on
127.0.0.1:5432, Redis on 6379 and ``/usr/sbin/nginx`` (``.ci/run`` installs nginx-light); ports 5740-5742
(CLUSTER_PORT moves them: nginx on it, the app servers on the next two).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.cluster import NGINX, Cluster, ClusterConfig
from tests.cluster.client import Browser
from tests.conftest import PASSWORD, make_nip

MEMBERS = 150  # 100 for the sign-up burst, the rest for the other tests
BURST_SEATS = 30
LOGGED_IN = 140  # members 0-139 are logged in once for the session; 140-149 are for tests that log in themselves


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Runs before ``-m`` deselection, so ``-m "not cluster"`` sees the marker."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.cluster)


# The suite's per-test fixtures work on the suite's own database: nothing to do against a cluster.
@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def search_index() -> Iterator[None]:
    yield


@dataclass
class Seeded:
    admin_nip: str
    organizer_nip: str
    member_nips: list[str]
    thread_id: int
    workshops: dict[str, int] = field(default_factory=dict)


def _require_services(port: int) -> None:
    missing = []
    if not Path(NGINX).exists():
        missing.append(f"{NGINX} (apt-get install nginx-light)")
    if shutil.which("createdb") is None:
        missing.append("createdb (postgresql-client)")
    for name, address in (("PostgreSQL", ("127.0.0.1", 5432)), ("Redis", ("127.0.0.1", 6379))):
        with socket.socket() as probe:
            probe.settimeout(2)
            if probe.connect_ex(address) != 0:
                missing.append(f"{name} on {address[0]}:{address[1]}")
    for busy in (port, port + 1, port + 2):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", busy)) == 0:
                missing.append(f"port {busy} is already in use (CLUSTER_PORT=... picks others)")
    if missing:
        pytest.fail("The cluster tests need: " + "; ".join(missing), pytrace=False)


def _seed(cluster: Cluster) -> Seeded:
    """The rows the tests start from, written in-process before any server runs (so no cache holds older ones)."""
    from werkzeug.security import generate_password_hash

    from portal import create_app
    from portal.accounts.models import EmploymentStatus, User
    from portal.competencies.models import Competency, CompetencyCategory
    from portal.core.permissions import Role
    from portal.extensions import db
    from portal.forums import services as forums
    from portal.forums.models import ForumCategory
    from portal.learning.seed import upsert_development_types
    from portal.learning.services import get_development_type_by_code
    from portal.units.models import Unit
    from portal.units.seed import upsert_units
    from portal.workshops import services as workshops
    from portal.workshops.services import SessionInput, WorkshopInput

    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    os.environ["PORTAL_INSTANCE_PATH"] = str(cluster.config.workdir / "seed")
    try:
        app = create_app(
            {
                "PORTAL_CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": cluster.database_url,
                "UPLOAD_ROOT": str(cluster.upload_root),
                "SEARCH_INDEX_DIR": str(cluster.shared / "search-index"),
            }
        )
    finally:
        if previous is None:
            os.environ.pop("PORTAL_INSTANCE_PATH", None)
        else:
            os.environ["PORTAL_INSTANCE_PATH"] = previous
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # quick to check
    with app.app_context():
        upsert_units()
        upsert_development_types()
        db.session.add(Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik"))
        unit = db.session.scalars(db.select(Unit).order_by(Unit.id)).first()
        assert unit is not None

        def person(n: int, role: Role) -> User:
            user = User(
                nip=make_nip(gender=1 + n % 2, born=datetime(1970, 1, 1).date() + timedelta(days=n)),
                name=f"Pegawai Klaster {n}",
                email=f"klaster{n}@sawahluntokota.go.id",
                unit_id=unit.id,
                position="Analis Kebijakan",
                employment_status=EmploymentStatus.PNS,
                role=role,
                password_hash=password_hash,
                session_token=os.urandom(16).hex(),
                is_verified=True,
            )
            db.session.add(user)
            return user

        admin, organizer = person(0, Role.ADMIN), person(1, Role.ORGANIZER)
        members = [person(n, Role.MEMBER) for n in range(2, 2 + MEMBERS)]
        category = ForumCategory(slug="umum", name="Umum")
        db.session.add(category)
        db.session.commit()
        thread = forums.create_thread(members[0], category, "Klaim JP webinar", "Bagaimana caranya?")
        first_day = (datetime.now(UTC) + timedelta(days=10)).replace(hour=1, minute=0, second=0, microsecond=0)
        seeded = Seeded(admin.nip, organizer.nip, [m.nip for m in members], thread.id)
        for key, capacity in (("burst", BURST_SEATS), ("one-seat", 1), ("large", 500)):
            workshop = workshops.create(
                organizer,
                WorkshopInput(
                    title=f"Pelatihan klaster {key}",
                    description="Pelatihan untuk uji klaster.",
                    development_type_id=get_development_type_by_code("KL03").id,
                    competency_codes=["M.05"],
                    provider_name="BKPSDM Kota Sawahlunto",
                    location="Aula",
                    sessions=[SessionInput(first_day, first_day + timedelta(hours=4))],
                    capacity=capacity,
                ),
            )
            workshops.publish(organizer, workshop)
            seeded.workshops[key] = workshop.id
        db.session.remove()
        db.engine.dispose()
    return seeded


@pytest.fixture(scope="session")
def _cluster_run(tmp_path_factory) -> Iterator[tuple[Cluster, Seeded]]:
    port = int(os.environ.get("CLUSTER_PORT", "5740"))
    _require_services(port)
    config = ClusterConfig(
        database=f"portal_cluster_test_{os.getpid()}",
        port=port,
        app_ports=(port + 1, port + 2),
        workdir=tmp_path_factory.mktemp("cluster"),
        redis_db=int(os.environ.get("CLUSTER_REDIS_DB", "13")),
        demo=False,
        extra_env={"LOGIN_RATE_LIMIT": "10 per minute;50 per hour"},
    )
    running = Cluster(config)
    try:
        running.prepare()
        seeded = _seed(running)
        running.start_servers()
        yield running, seeded
    finally:
        running.stop()
        running.drop_database()


@pytest.fixture(scope="session")
def cluster(_cluster_run) -> Cluster:
    return _cluster_run[0]


@pytest.fixture(scope="session")
def seeded(_cluster_run) -> Seeded:
    return _cluster_run[1]


def member_address(n: int) -> str:
    """Person ``n``'s own loopback address (127.1.x.y)."""
    return f"127.1.{n // 200}.{n % 200 + 1}"


@pytest.fixture(scope="session")
def members(cluster, seeded) -> list[Browser]:
    """Members 0-139 logged in over HTTP, each from an address of their own."""

    def log_in(n: int) -> Browser:
        browser = Browser(cluster.url, member_address(n))
        answer = browser.login(seeded.member_nips[n], PASSWORD)
        assert answer.status == 302, answer.text[:500]
        return browser

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(log_in, range(LOGGED_IN)))


@pytest.fixture(scope="session")
def admin(cluster, seeded) -> Browser:
    browser = Browser(cluster.url, "127.2.0.1")
    assert browser.login(seeded.admin_nip, PASSWORD).status == 302
    return browser
