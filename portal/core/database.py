"""Engine tuning per backend.

SQLite: WAL, foreign keys, a busy timeout, and transactions that SQLAlchemy (not pysqlite) begins, so a
service can ask for ``BEGIN IMMEDIATE`` (see :func:`write_transaction`) and take the write lock before it
reads what it is about to change. Without that, check-then-insert overbooks (docs: measured-pitfalls).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session


class _WithId(Protocol):
    id: Mapped[int]


Row = TypeVar("Row", bound=_WithId)

SQLITE_BUSY_TIMEOUT_MS = 5000
_IMMEDIATE = "sqlite_begin_immediate"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Set for the length of a request that may write (see init_app): every transaction it begins is a write one.
_immediate_transactions: ContextVar[bool] = ContextVar("sqlite_immediate_transactions", default=False)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False) or _immediate_transactions.get()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def init_app(app: Any, db: Any) -> None:
    """SQLite: a request that may write (POST, PUT, PATCH, DELETE) begins every transaction ``BEGIN IMMEDIATE``.

    A deferred transaction that read first and writes later (a login's bookkeeping, an edit's autoflush) must
    upgrade its read lock to the write lock; in WAL mode that fails at once with "database is locked" whenever
    another connection wrote since the read began - the busy timeout does not help. Taking the write lock up
    front makes writers queue on the busy timeout instead. GET requests stay deferred (readers never block);
    the few that write bookkeeping rows do it in a short write transaction of their own (:func:`write_transaction`).
    PostgreSQL is unaffected.
    """
    if db.engine.dialect.name != "sqlite":
        return

    @app.before_request
    def _write_requests_take_the_write_lock() -> None:
        from flask import g, request

        if request.method in WRITE_METHODS:
            if db.session().in_transaction():  # a read before this hook: end it so the next one is immediate
                db.session.commit()
            g._immediate_token = _immediate_transactions.set(True)

    @app.teardown_request
    def _end_write_request(_error: BaseException | None) -> None:
        from flask import g

        token = g.pop("_immediate_token", None)
        if token is not None:
            _immediate_transactions.reset(token)
            if db.session().in_transaction():  # release the write lock now, whoever removes the session later
                db.session.rollback()


def is_lock_timeout(error: BaseException) -> bool:
    """A SQLite write lock that could not be had within the busy timeout ("database is locked")."""
    message = str(getattr(error, "orig", None) or error).lower()
    return "database is locked" in message or "database table is locked" in message


def write_transaction(session: Session) -> None:
    """Start the session's transaction as a write transaction.

    Call first thing in a service that reads rows to decide what to write (capacity checks, counters).
    PostgreSQL callers additionally lock the rows they read with ``with_for_update()``; on SQLite this
    takes the database write lock up front, so the read and the write cannot interleave with another writer.
    """
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("write_transaction() must start the unit of work, before any change")
        session.commit()  # ends the read-only transaction opened by earlier lookups (e.g. current_user)
    session.connection(execution_options={_IMMEDIATE: True})


def in_write_transaction(session: Session) -> bool:
    """Whether the session's transaction was started by :func:`write_transaction` (SQLite: ``BEGIN IMMEDIATE``)."""
    if not session.in_transaction():
        return False
    return bool(session.connection().get_execution_options().get(_IMMEDIATE, False))


def toggle_mark(session: Session, mark: type, owner_key: str, owner_id: int, user_id: int, counter: Any) -> bool:
    """Add or remove a user's one-per-user mark (a vote, a like) and recount the owner's counter column.

    ``mark`` is the mark model with columns ``<owner_key>`` and ``user_id``; ``counter`` is the owner model's
    counter column (e.g. ``Article.vote_count``). Recounting instead of +1/-1 means the counter cannot drift,
    whatever other requests did meanwhile. Returns whether the mark is now set. Commits.
    """
    write_transaction(session)
    owner_column = getattr(mark, owner_key)
    existing = session.scalar(select(mark).where(owner_column == owner_id, mark.user_id == user_id))
    if existing:
        session.delete(existing)
    else:
        session.add(mark(**{owner_key: owner_id, "user_id": user_id}))
    session.flush()
    owner = counter.class_
    marks = select(func.count()).select_from(mark).where(owner_column == owner_id)
    session.execute(update(owner).where(owner.id == owner_id).values({counter.key: marks.scalar_subquery()}))
    try:
        session.commit()
    except IntegrityError:  # a double click raced us and set the mark first
        session.rollback()
    return existing is None


@contextmanager
def locked_row(session: Session, model: type[Row], row_id: int, missing: Exception) -> Iterator[Row]:
    """The row, locked against every concurrent change until the caller commits; an error inside rolls back.

    SQLite takes the write lock up front (BEGIN IMMEDIATE), PostgreSQL locks the row (FOR UPDATE); the row is
    re-read either way, so the caller sees what the previous writer committed. ``missing`` is raised for no row.
    """
    write_transaction(session)
    try:
        row = session.scalar(
            select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
        )
        if row is None:
            raise missing
        yield row
    except BaseException:
        session.rollback()
        raise
