"""Browser journeys: a real server process on a fresh SQLite instance, driven by Debian's headless Chromium.

Everything under tests/e2e is marked ``e2e`` (the PostgreSQL pass runs ``-m "not e2e"``) and skipped, with
the reason printed, when /usr/bin/chromium (or $PORTAL_E2E_CHROMIUM) is missing; with PORTAL_E2E_REQUIRED=1 (set by
.ci/run) a missing browser stops the run instead. ``SCREENSHOTS=1`` saves each
visited page at the viewport's width into tests/e2e/artifacts/; a failing test always leaves screenshots of its
pages and the server's log there.

The server runs the fragment caches as production does (in Redis, under a prefix of its own removed at the end,
when the local Redis answers; stamp files otherwise), with ``FRAGMENT_CHECK_TABLES`` on: a cached render that
reads a table its key does not name answers 500, which fails the journey.

The server's instance (migrations, ``db check``, the demo city: most of the setup's time) is prepared by one
background process that starts as soon as collection has chosen browser journeys to run; in a whole-suite run it is
ready, built on the second core, long before the first journey starts.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.config import Config
from tests.e2e import prepare_instance

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
ARTIFACTS = E2E_DIR / "artifacts"
AXE_SCRIPT = E2E_DIR / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
STARTUP_SECONDS = 30
PREPARE_SECONDS = 360  # migrations, db check and the demo load (three commands of up to 120 s each before)
# Settings the server must not inherit from the developer's shell: the journeys need a throwaway SQLite instance.
INHERITED_SETTINGS = (
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "SEARCH_INDEX_DIR",
    "UPLOAD_ROOT",
    "UPLOAD_DIR",
    "SECRET_KEY",
    "ACCOUNTS_AUTO_VERIFY",
    "SESSION_COOKIE_SECURE",
    "FLASK_DEBUG",
    "FLASK_APP",
    "CACHE_REDIS_URL",
    "FRAGMENT_CACHE_PREFIX",
    "FRAGMENT_CACHE_SIZE",
    "RATELIMIT_STORAGE_URI",
)

MIGRATIONS_LAG = (
    "`flask db check`: migrations/ lags behind the models, so `flask db upgrade` cannot build every table "
    "the pages use; generate the revision (flask db migrate) before running the browser journeys."
)

ADMIN_NIP = Config.DEMO_ADMIN_NIP
ADMIN_PASSWORD = Config.DEMO_ADMIN_PASSWORD


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Runs before ``-m`` deselection, so ``-m "not e2e"`` sees the marker."""
    missing = f"{CHROMIUM} not found (apt-get install chromium)"
    if not CHROMIUM.exists() and os.environ.get("PORTAL_E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"the browser journeys must run here (PORTAL_E2E_REQUIRED=1): {missing}")
    skip = pytest.mark.skip(reason=f"e2e browser journeys skipped: {missing}")
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


# ---------------------------------------------------------------- the server


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    """The local Redis when it answers: the server then keeps its caches there, as several hosts do."""
    from tests.redis_support import REDIS_URL

    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis: the embedded default (stamp files) still runs the caches
        if os.environ.get("PORTAL_REDIS_REQUIRED") == "1":
            raise
        return None
    return REDIS_URL


def _cache_prefix(instance: Path) -> str:
    return f"portal-e2e-{instance.name}:"


def _server_env(instance: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
    env.update(
        PORTAL_INSTANCE_PATH=str(instance),
        PORTAL_CONFIG="development",
        RATELIMIT_ENABLED="false",
        MAIL_BACKEND="log",
        PYTHONUNBUFFERED="1",
        # Caches on, as in production: every render checked against the tables its SQL read (a miss is a 500,
        # which fails the journey), fragments and versions in Redis when it runs here.
        FRAGMENT_CACHE_SIZE="2000",
        FRAGMENT_CHECK_TABLES="1",
    )
    redis_url = _redis_url()
    if redis_url:
        env.update(CACHE_REDIS_URL=redis_url, FRAGMENT_CACHE_PREFIX=_cache_prefix(instance))
    return env


def _flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


@dataclass(frozen=True)
class Preparation:
    """The background process building the server's instance (tests/e2e/prepare_instance.py)."""

    instance: Path
    process: subprocess.Popen
    log: Path


_PREPARATION = pytest.StashKey[Preparation]()


def _start_preparation(config: pytest.Config) -> Preparation:
    instance = Path(tempfile.mkdtemp(prefix="portal-e2e-instance-"))
    log = instance / "prepare.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed command line
            [sys.executable, "-m", "tests.e2e.prepare_instance"],
            cwd=REPO,
            env=_server_env(instance),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    preparation = Preparation(instance=instance, process=process, log=log)
    config.stash[_PREPARATION] = preparation
    return preparation


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Start preparing the server's instance once the run's tests are known, if browser journeys are among them."""
    if session.config.option.collectonly or not CHROMIUM.exists() or _PREPARATION in session.config.stash:
        return
    if any(E2E_DIR in item.path.parents for item in session.items):
        _start_preparation(session.config)


def pytest_sessionfinish(session):
    preparation = session.config.stash.get(_PREPARATION, None)
    if preparation is not None:
        if preparation.process.poll() is None:
            preparation.process.kill()
            preparation.process.wait()
        shutil.rmtree(preparation.instance, ignore_errors=True)
        if _redis_url():
            from tests.redis_support import delete_matching, redis_client

            delete_matching(redis_client(), f"{_cache_prefix(preparation.instance)}*")


def _prepared_instance(config: pytest.Config) -> Path:
    """Wait for the preparation (starting it if collection did not) and fail the setup the way it failed."""
    preparation = config.stash.get(_PREPARATION, None) or _start_preparation(config)
    try:
        status = preparation.process.wait(timeout=PREPARE_SECONDS)
    except subprocess.TimeoutExpired:
        preparation.process.kill()
        preparation.process.wait()
        status = None
    output = preparation.log.read_text()[-3000:]
    if status == prepare_instance.MIGRATIONS_LAG:
        pytest.fail(f"{MIGRATIONS_LAG}\n{output}", pytrace=False)
    if status != 0:
        ending = f"exit status {status}" if status is not None else f"no end in {PREPARE_SECONDS}s"
        pytest.fail(
            f"preparing the e2e instance (db upgrade, db check, demo load) failed, {ending}:\n{output}", pytrace=False
        )
    return preparation.instance


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the e2e server exited:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the e2e server did not answer /healthz in {STARTUP_SECONDS}s:\n{log.read_text()}", pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    """The server runs in its own process group: end the whole group, forcefully if it lingers."""
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def server(request):
    instance = _prepared_instance(request.config)
    env = _server_env(instance)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = instance / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed command line
            _flask_command("run", "--host", "127.0.0.1", "--port", str(port)),
            cwd=REPO,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(url, process, log)
            yield Server(url=url, log=log)
        finally:
            _stop(process)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _sign_in(page, identifier: str, password: str) -> None:
    page.goto("/masuk")
    page.get_by_role("textbox", name="NIP atau email").fill(identifier)
    page.get_by_role("textbox", name="Kata sandi", exact=True).fill(password)
    with page.expect_navigation():  # signed in or not, the form answers with a new page
        page.get_by_role("button", name="Masuk", exact=True).click()


@pytest.fixture(scope="session")
def sign_in():
    """``sign_in(page, nip_or_email, password)`` through the login form."""
    return _sign_in


@pytest.fixture(scope="session")
def demo_admin() -> tuple[str, str]:
    return ADMIN_NIP, ADMIN_PASSWORD


@pytest.fixture(scope="session")
def admin_state(browser, server):
    """The demo admin's cookies, signed in once through the login form."""
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _sign_in(page, ADMIN_NIP, ADMIN_PASSWORD)
    assert page.get_by_role("link", name="Administrasi").count() == 1, "the demo admin could not sign in"
    state = context.storage_state()
    context.close()
    return state


def _artifact_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")


@pytest.fixture
def new_page(browser, server, admin_state, request):
    """``new_page(viewport=PHONE, as_admin=True, bypass_csp=False, javascript=True)`` -> a page in its own context.

    Any server error (5xx), uncaught script error or console error (a CSP violation, a missing file) on any of
    the test's pages fails the test at teardown; ``quiet=False`` lets a test provoke console errors on purpose.
    """
    contexts = []
    problems: list[str] = []

    def factory(
        viewport: dict | None = None,
        as_admin: bool = False,
        bypass_csp: bool = False,
        quiet: bool = True,
        javascript: bool = True,
    ):
        context = browser.new_context(
            base_url=server.url,
            viewport=viewport or DESKTOP,
            storage_state=admin_state if as_admin else None,
            bypass_csp=bypass_csp,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda r: r.status >= 500 and problems.append(f"{r.status} from {r.url}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        if quiet:
            page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} ({page.url})"))
        return page

    yield factory
    failed = getattr(request.node, "call_failed", False) or bool(problems)
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(server.log, ARTIFACTS / "server.log")
    for number, context in enumerate(contexts):
        if failed:
            for page_number, page in enumerate(context.pages):
                name = _artifact_name(f"FAILED-{request.node.name}-{number}{page_number}")
                page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        context.close()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def snapshot():
    """``snapshot(page, "login")`` saves artifacts/login-<width>.png when SCREENSHOTS=1."""

    def save(page, name: str) -> None:
        if os.environ.get("SCREENSHOTS") != "1":
            return
        ARTIFACTS.mkdir(exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=ARTIFACTS / f"{_artifact_name(name)}-{width}.png", full_page=True)

    return save


@pytest.fixture(scope="session")
def axe_script() -> str:
    return str(AXE_SCRIPT)
