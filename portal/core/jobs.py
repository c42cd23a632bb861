"""Scheduled jobs run once across hosts: ``run_once(name)`` and the ``@scheduled(name)`` decorator for commands.

Every app server may have the same crontab. A job first takes a lock named after it in the shared database; a
second run that starts while the first holds it (another host at the same minute, a slow previous run) skips with
the log line "already running elsewhere" and exits 0. The jobs' own "never twice" rules (a reminder marked in the
transaction that sends it) still decide what a run does; the lock only keeps two runs from doing it together.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) keyed by a hash of the name, held on a
  connection of its own in autocommit for the whole run (the job commits several times on its own session), so no
  transaction stays open; it is released at the end, or by the server when the process dies.
- SQLite (one host by nature: the database is a local file): an exclusive ``flock`` on a file next to the
  database, which the kernel drops when the process dies; the jobs' ``BEGIN IMMEDIATE`` write transactions stay
  as they were. An in-memory database uses a lock within the process.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec

import click
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")
_KEY_NAMESPACE = b"portal-job:"
_memory_locks: dict[str, threading.Lock] = {}
_memory_locks_guard = threading.Lock()

P = ParamSpec("P")


def lock_key(name: str) -> int:
    """The advisory lock key of a job: a signed 64-bit number from the hash of its name."""
    digest = hashlib.sha256(_KEY_NAMESPACE + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def run_once(name: str, engine: Engine | None = None) -> Iterator[bool]:
    """Hold the job's lock for the block; yields False (and logs) when another run holds it."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"Invalid job name {name!r}")
    if engine is None:
        from portal.extensions import db

        engine = db.engine
    locker = _postgres_lock if engine.dialect.name == "postgresql" else _sqlite_lock
    with locker(engine, name) as acquired:
        if acquired:
            log.info("Job %s: lock taken (pid %d)", name, os.getpid())
        else:
            log.info("Job %s is already running elsewhere; this run skips it", name)
        yield acquired


@contextmanager
def _postgres_lock(engine: Engine, name: str) -> Iterator[bool]:
    key = lock_key(name)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        acquired = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        try:
            yield acquired
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


@contextmanager
def _sqlite_lock(engine: Engine, name: str) -> Iterator[bool]:
    database = engine.url.database
    if database in (None, "", ":memory:"):
        with _memory_locks_guard:
            lock = _memory_locks.setdefault(name, threading.Lock())
        acquired = lock.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()
        return
    path = Path(f"{os.path.abspath(database)}.job-{name}.lock")
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def scheduled(name: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Decorate a cron command: its body runs only under :func:`run_once`; otherwise it says so and exits 0."""

    def decorate(command: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(command)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
            with run_once(name) as acquired:
                if not acquired:
                    click.echo(_("Tugas %(job)s sedang berjalan di tempat lain: dilewati.", job=name))
                    return
                command(*args, **kwargs)

        return wrapper

    return decorate
