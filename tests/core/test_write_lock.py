"""SQLite under bursts: write requests take the write lock up front; a lock not had in time answers 503, not 500.

The slow test serves the app on a real threaded server and fires concurrent logins at it (each one writes its
bookkeeping): before write requests began ``BEGIN IMMEDIATE``, a read-then-write login failed on upgrading its
lock with "database is locked" (issue 19: 49 of 100 with two at a time). It runs on PostgreSQL too.
"""

from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from portal.core.database import SQLITE_BUSY_TIMEOUT_MS
from portal.extensions import db
from tests.conftest import PASSWORD

LOGINS = 40
UNKNOWN_NIP = "199001012015031001"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _log_in(base: str, nip: str, start: threading.Barrier) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)
    with opener.open(base + "/masuk", timeout=20) as page:  # noqa: S310 - loopback
        token = _CSRF.search(page.read().decode()).group(1)
    form = urllib.parse.urlencode({"identifier": nip, "password": PASSWORD, "csrf_token": token}).encode()
    start.wait(timeout=20)
    try:
        with opener.open(base + "/masuk", data=form, timeout=20) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_concurrent_logins_on_a_threaded_server_all_succeed(app, make_user):
    nips = [make_user().nip for _ in range(LOGINS)]
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.server_port}"
    start = threading.Barrier(LOGINS)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(nip: str) -> None:
        try:
            status = _log_in(base, nip, start)
        except Exception:  # noqa: BLE001 - no answer counts as an error
            status = 0
        with lock:
            statuses.append(status)

    started = time.monotonic()
    try:
        threads = [threading.Thread(target=attempt, args=(nip,)) for nip in nips]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.shutdown()
        serving.join(timeout=5)
    assert sorted(statuses) == [302] * LOGINS, f"answers: {sorted(statuses)}"
    assert time.monotonic() - started < 30


def _sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write lock and its busy timeout are SQLite's")


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_write_lock_not_had_in_time_answers_503_with_retry_after(client, make_user):
    _sqlite_only()
    user = make_user()
    db.session.execute(text("PRAGMA busy_timeout = 200"))  # the connection the test client's request uses too
    db.session.commit()
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD})
        other.execute("ROLLBACK")
    finally:
        other.close()
        db.session.rollback()
        db.session.execute(text(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"))
        db.session.commit()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "coba lagi" in _page(response)
    # The lock is free again: the same login now goes through.
    assert client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD}).status_code == 302


def test_write_requests_begin_immediate_and_get_requests_do_not(app, client, make_user):
    _sqlite_only()
    begun: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begun.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/masuk")
        reads = list(begun)
        begun.clear()
        client.post("/masuk", data={"identifier": UNKNOWN_NIP, "password": PASSWORD})
        writes = list(begun)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert "BEGIN IMMEDIATE" not in reads
    assert writes and set(writes) == {"BEGIN IMMEDIATE"}


def test_lock_timeout_raised_anywhere_answers_503(client, monkeypatch):
    def locked(*_args, **_kwargs):
        raise OperationalError("UPDATE users", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr("portal.accounts.services.authenticate", locked)
    response = client.post("/masuk", data={"identifier": UNKNOWN_NIP, "password": PASSWORD})
    assert response.status_code == 503
    assert "Retry-After" in response.headers


def test_other_database_failures_answer_unavailable_not_busy(client, monkeypatch):
    """Only a lock timeout is "busy, try again in a moment"; a failing database (here a disk error) is the
    "cannot reach its database" page with the longer Retry-After, never a bare 500."""

    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr("portal.accounts.services.authenticate", broken)
    response = client.post("/masuk", data={"identifier": UNKNOWN_NIP, "password": PASSWORD})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Server sedang sibuk" not in response.get_data(as_text=True)
