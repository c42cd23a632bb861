"""Two app servers (separate instance folders) on one PostgreSQL database share one search index: an article
published through one is found through the other on the very next request (issue 14 item 6)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from portal.core.permissions import Role
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="two servers share a PostgreSQL database"),
]

REPO = Path(__file__).resolve().parents[2]
PORTS = (5710, 5711)
STARTUP_SECONDS = 60
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A cookie-keeping HTTP client that posts forms with the page's CSRF token, like a browser without JS."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        token = _CSRF.search(self.get(path))
        assert token, f"no CSRF token on {path}"
        data = urllib.parse.urlencode({**fields, "csrf_token": token.group(1)}).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.read().decode()

    def sign_in(self, identifier: str) -> None:
        page = self.post_form("/masuk", {"identifier": identifier, "password": PASSWORD})
        assert "/keluar" in page or "Keluar" in page, "sign-in failed"


def _start(port: int, instance: Path, database_url: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_DATABASE_URL", "SEARCH_INDEX_DIR")}
    env.update(
        DATABASE_URL=database_url,
        PORTAL_INSTANCE_PATH=str(instance),
        PORTAL_CONFIG="development",
        RATELIMIT_ENABLED="false",
        MAIL_BACKEND="log",
        PYTHONUNBUFFERED="1",
    )
    with (instance / "server.log").open("w") as log:  # the child keeps its own descriptor
        return subprocess.Popen(  # noqa: S603 - fixed command line
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_until_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server {base} did not start:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=5)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def servers(run_db, tmp_path):
    processes, bases = [], []
    try:
        for port in PORTS:
            instance = tmp_path / f"instance-{port}"
            instance.mkdir()
            processes.append(_start(port, instance, run_db.url))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process, port in zip(bases, processes, PORTS, strict=True):
            _wait_until_healthy(base, process, tmp_path / f"instance-{port}" / "server.log")
        yield bases
    finally:
        for process in processes:
            _stop(process)


def test_an_article_published_through_one_server_is_found_through_the_other(servers, make_user):
    author = make_user(Role.ADMIN, email="penulis.dua.server@sawahluntokota.go.id")
    reader = make_user(Role.MEMBER, email="pembaca.dua.server@sawahluntokota.go.id")
    first, second = Browser(servers[0]), Browser(servers[1])
    first.sign_in(author.email)
    second.sign_in(reader.email)
    assert json.loads(second.get("/api/search?q=zamrudkhatulistiwa"))["total"] == 0

    first.post_form(
        "/artikel/tulis",
        {
            "title": "Pelatihan zamrudkhatulistiwa untuk petugas loket",
            "summary": "Ringkasan pelatihan.",
            "body": "Materi pelayanan publik yang ramah.",
            "tags": "",
            "unit_id": str(author.unit_id),
            "note": "",
            "cursor": "",
            "action": "publish",
        },
    )
    found = json.loads(second.get("/api/search?q=zamrudkhatulistiwa"))
    assert [hit["title"] for hit in found["hits"]] == ["Pelatihan zamrudkhatulistiwa untuk petugas loket"]
    page = second.get("/cari?q=zamrudkhatulistiwa")
    assert "<mark>zamrudkhatulistiwa</mark>" in page
