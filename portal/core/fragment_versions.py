"""The versions of the tables a cached fragment read, and the engine hooks that change them after each commit.

Two kinds, one interface (:class:`Versions`):

* :class:`Stamps`, the embedded default (SQLite, one host): one file per table whose content
  ("<time ns>:<random>") changes after each committed write. A fragment is stored only when the reader's
  snapshot began after every stamp it read (the same wall clock: one host).
* :class:`RedisVersions` (``CACHE_REDIS_URL``): one counter per table, ``INCR`` after each committed write, read
  with one ``MGET`` per transaction. No clocks are compared. **The snapshot rule**: the versions a render is keyed
  by are read *before* the database snapshot its statements see. A commit is counted (INCR) only after it is
  done, so every commit counted in the versions read is visible to any snapshot taken later; a commit counted
  later changes the key, so what the render read is never served for versions newer than it saw.

  - PostgreSQL READ COMMITTED: every statement takes a new snapshot, so versions read (once per transaction,
    memoised on the connection) before a render are older than all of its statements' snapshots.
  - SQLite (and any engine whose transaction keeps the snapshot of its first statement): the versions are read
    when the transaction begins, before its first statement. Read any later (Redis was unreachable at the
    start), a render is served from the cache but never stored.

  The counters carry an epoch (a random token kept in Redis): if Redis loses its data the counters start again
  from zero under a new epoch, so no per-process entry keyed by an old count can be served again.

Writes are seen by ``after_cursor_execute`` (ORM flushes, bulk updates, Core statements, the tests' clean-up):
the table each INSERT/UPDATE/DELETE names, "all tables" for anything else that changes data. They are
announced after the commit (the next ``begin`` or the pool check-in of that connection).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

ALL_TABLES = "_all"  # stamped by TRUNCATE/DROP/CREATE/ALTER and statements whose target is not parsed
# A write that reached the cursor: the table it writes. Anything else that changes data counts as "all tables".
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_OTHER_CHANGE = re.compile(r"\s*(?:TRUNCATE|DROP|CREATE|ALTER|REPLACE|WITH|MERGE|COPY)\b", re.I)
# Tables a statement reads: each name after FROM or JOIN (and after the commas of a FROM list), unless it is a
# column ("t.c"), a function ("f(") or a subquery.
_FROM_LIST = re.compile(r'\b(?:FROM|JOIN)\s+((?:"?\w+"?(?:\s+(?:AS\s+)?"?\w+"?)?\s*,\s*)*"?\w+"?)(?!\s*[.(])', re.I)
_NAME = re.compile(r'^\s*"?(\w+)"?')
_NO_SNAPSHOT = re.compile(r"\s*(?:BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|PRAGMA|SHOW|SET)\b", re.I)
DOWN_SECONDS = 5.0
PENDING = "fragments_pending"  # tables written by the open transaction of a DBAPI connection
_COMMITTED = "fragments_committed"  # tables whose writes committed and are not announced yet
BEGAN = "fragments_began"  # time.time_ns() when the connection's current transaction began (files)
READ = "fragments_read"  # the current transaction has run a statement (its snapshot may have begun)
MEMO = "fragments_versions"  # (versions by table, storable) read for the current transaction (Redis)


def written_table(statement: str) -> str | None:
    """The table an SQL statement changes, ALL_TABLES when it changes something not parsed, None for reads."""
    write = _WRITE.match(statement)
    if write:
        return write.group(1).lower()
    if _OTHER_CHANGE.match(statement):
        return ALL_TABLES
    return None


def read_tables(statement: str, known: Iterable[str]) -> set[str]:
    """The tables of ``known`` an SQL statement names after FROM or JOIN (the staleness check's view)."""
    names = set()
    for found in _FROM_LIST.finditer(statement):
        for part in found.group(1).split(","):
            name = _NAME.match(part)
            if name:
                names.add(name.group(1).lower())
    return names & set(known)


class Versions(Protocol):
    broken: bool
    mode: str

    def bump(self, tables: Iterable[str]) -> None: ...

    def lookup(self, tables: Sequence[str], info: dict | None) -> tuple[tuple[str, ...], bool] | None:
        """The versions of ``tables`` for a render in the transaction whose connection ``info`` is given (None:
        no transaction), and whether the render may be stored under them. None: unknown, render uncached."""
        ...

    def transaction_begins(self, info: dict, snapshots_per_statement: bool) -> None: ...


# ---------------------------------------------------------------- files (embedded default)


class Stamps:
    """One file per table in a folder; its content ("<ns>:<random>") changes after each committed write."""

    mode = "files"

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.broken = False
        os.makedirs(folder, exist_ok=True)

    def _path(self, table: str) -> str:
        return os.path.join(self.folder, table)

    def read(self, table: str) -> str:
        try:
            with open(self._path(table), encoding="ascii") as stamp:
                return stamp.read()
        except FileNotFoundError:
            return "0:"

    def bump(self, tables: Iterable[str]) -> None:
        try:
            for table in tables:
                path = self._path(table)
                temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
                with open(temporary, "w", encoding="ascii") as stamp:
                    stamp.write(f"{time.time_ns()}:{secrets.token_hex(8)}")
                os.replace(temporary, path)  # atomic: a reader sees the old stamp or the new one, never half
        except OSError:  # a change this process cannot announce: its caches could go stale, so they stop
            log.exception("cannot write change stamps in %s: fragment caches off in this process", self.folder)
            self.broken = True

    def lookup(self, tables: Sequence[str], info: dict | None) -> tuple[tuple[str, ...], bool] | None:
        stamps = tuple(self.read(table) for table in tables)
        began = info.get(BEGAN) if info is not None else None
        newest = max(int(stamp.partition(":")[0]) for stamp in stamps)
        return stamps, began is None or began > newest

    def transaction_begins(self, info: dict, snapshots_per_statement: bool) -> None:
        info[BEGAN] = time.time_ns()  # the same clock as the stamps' (one host: CLOCK_REALTIME)


# ---------------------------------------------------------------- Redis counters (several hosts)


class RedisVersions:
    """One counter per table in Redis (``<prefix>v:<table>``) under an epoch (``<prefix>epoch``)."""

    mode = "redis"

    def __init__(self, client: Any, prefix: str, tables: Callable[[], Iterable[str]]) -> None:
        self.client, self.prefix = client, prefix
        self._tables = tables  # every table a render may name: one MGET reads them all
        self._names: tuple[str, ...] | None = None
        self._unsent: set[str] = set()  # committed changes Redis has not counted yet: caches off until it has
        self._lock = threading.Lock()
        self._down_until = 0.0  # after a failure, Redis is left alone for a moment (a blackholed host costs a timeout)
        self.broken = False

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, what: str) -> None:
        self._down_until = time.monotonic() + DOWN_SECONDS
        log.warning("Redis unreachable (%s): fragment caches bypassed for %s s", what, DOWN_SECONDS, exc_info=True)

    def names(self) -> tuple[str, ...]:
        if self._names is None:
            self._names = (ALL_TABLES, *sorted(set(self._tables()) - {ALL_TABLES}))
        return self._names

    def _epoch(self) -> str:
        key = f"{self.prefix}epoch"
        self.client.set(key, secrets.token_hex(8), nx=True)
        return self.client.get(key).decode()

    def fetch(self, extra: Iterable[str] = ()) -> dict[str, str]:
        """Every table's version in one round trip (``MGET``)."""
        if not self._available():
            raise ConnectionError("Redis marked unreachable")
        names = (*self.names(), *(name for name in extra if name not in self.names()))
        values = self.client.mget([f"{self.prefix}epoch", *(f"{self.prefix}v:{name}" for name in names)])
        epoch = values[0].decode() if values[0] is not None else self._epoch()
        return {name: f"{epoch}.{int(value or 0)}" for name, value in zip(names, values[1:], strict=True)}

    def bump(self, tables: Iterable[str]) -> None:
        with self._lock:
            self._unsent.update(tables)
            waiting = sorted(self._unsent)
        if not self._available():
            self.broken = True
            return
        try:
            pipeline = self.client.pipeline(transaction=False)
            for table in waiting:
                pipeline.incr(f"{self.prefix}v:{table}")
            pipeline.execute()
        except Exception:  # noqa: BLE001 - any Redis failure: the change is retried with the next one
            log.exception("cannot count a change in Redis: fragment caches off in this process until it can")
            self._down_until = time.monotonic() + DOWN_SECONDS
            self.broken = True
            return
        with self._lock:
            self._unsent.difference_update(waiting)
            self.broken = bool(self._unsent)

    def retry(self) -> None:
        if self._unsent and self._available():
            self.bump(())

    def transaction_begins(self, info: dict, snapshots_per_statement: bool) -> None:
        info.pop(MEMO, None)
        if snapshots_per_statement:
            return  # read lazily, before the first render of the transaction
        if not self._available():
            return
        try:
            info[MEMO] = (self.fetch(), True)
        except Exception:  # noqa: BLE001 - Redis unreachable: renders of this transaction go uncached
            self._failed("reading the table versions")

    def lookup(self, tables: Sequence[str], info: dict | None) -> tuple[tuple[str, ...], bool] | None:
        memo = info.get(MEMO) if info is not None else None
        if memo is None or any(table not in memo[0] for table in tables):
            fresh_snapshot = info is None or not info.get(READ) or info.get(_PER_STATEMENT, False)
            storable = fresh_snapshot and (memo is None or memo[1])
            if not self._available():
                return None
            try:
                found = self.fetch(tables)
            except Exception:  # noqa: BLE001
                self._failed("reading the table versions")
                return None
            memo = ({**found, **(memo[0] if memo else {})}, storable)
            if info is not None:
                info[MEMO] = memo
        return tuple(memo[0][table] for table in tables), memo[1]


_PER_STATEMENT = "fragments_snapshot_per_statement"


# ---------------------------------------------------------------- engine hooks


# The tables read by the statements of the renders in progress (the staleness check, tests only).
RECORDING: ContextVar[tuple[set[str], ...]] = ContextVar("portal_fragment_reads", default=())


def snapshots_per_statement(engine: Engine) -> bool:
    """PostgreSQL at READ COMMITTED (its default) gives every statement a new snapshot."""
    if engine.dialect.name != "postgresql":
        return False
    level = engine.get_execution_options().get("isolation_level") or "READ COMMITTED"
    return str(level).upper().replace("_", " ") == "READ COMMITTED"


def track_writes(engine: Engine, versions: Versions, known_tables: Callable[[], Iterable[str]]) -> None:
    per_statement = snapshots_per_statement(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _reading(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if not _NO_SNAPSHOT.match(statement):
            conn.info[READ] = True
        recording = RECORDING.get()
        if recording:
            tables = read_tables(statement, known_tables())
            for frame in recording:
                frame.update(tables)

    @event.listens_for(engine, "after_cursor_execute")
    def _written(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        table = written_table(statement)
        if table is not None:
            conn.info.setdefault(PENDING, set()).add(table)

    @event.listens_for(engine, "commit")
    def _committing(conn) -> None:  # runs just before the COMMIT: announced once it is done (begin/checkin)
        pending = conn.info.pop(PENDING, None)
        if pending:
            conn.info.setdefault(_COMMITTED, set()).update(pending)

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn) -> None:
        conn.info.pop(PENDING, None)

    @event.listens_for(engine, "begin")
    def _beginning(conn) -> None:  # the previous transaction of this connection has finished
        _announce_committed(conn.info, versions)
        conn.info.pop(READ, None)
        conn.info[_PER_STATEMENT] = per_statement
        versions.transaction_begins(conn.info, per_statement)

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:  # after the commit (or rollback) that ended a unit of work
        if record is not None:
            _announce_committed(record.info, versions)
            for key in (PENDING, BEGAN, READ, MEMO):
                record.info.pop(key, None)  # the pool rolls back whatever was left uncommitted


def _announce_committed(info: dict, versions: Versions) -> None:
    committed = info.pop(_COMMITTED, None)
    if committed:
        versions.bump(sorted(committed))
