"""Double submissions: the same text sent twice by the same person to the same place within a few seconds (a
second click, a re-sent form, two tabs, two identical requests at the same moment) is one post.

A posting service calls :func:`recent_duplicate` first thing in its unit of work, before it writes anything. The
call serialises the person's postings to that target until the transaction ends -- SQLite takes the write lock
(``BEGIN IMMEDIATE``), PostgreSQL a transaction-scoped advisory lock on (kind, person, target) -- and then looks for
an identical item they posted within the window. The service returns that item instead of writing a new one, so
the second click lands on the first post; the concurrent twin waits for the lock and then finds the first one
committed.

The window is the setting ``DUPLICATE_POST_WINDOW_SECONDS`` (default 30); 0 turns the rule off.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.core import types
from portal.core.database import in_write_transaction, write_transaction

DEFAULT_WINDOW_SECONDS = 30

Item = TypeVar("Item")


def window() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("DUPLICATE_POST_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)))


def _lock_key(parts: tuple[Any, ...]) -> int:
    """A signed 64-bit number for ``pg_advisory_xact_lock`` (a collision only makes two postings wait in turn)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_postings(session: Session, kind: str, author_id: int, target_id: int | None) -> None:
    """Serialise one person's postings of one kind to one target until the session's transaction ends.

    Starts the write transaction on SQLite unless the caller already holds it (e.g. after locking a thread), so
    the caller must not have pending changes yet.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_lock_key((kind, author_id, target_id or 0)))))
    elif not in_write_transaction(session):
        write_transaction(session)


def recent_duplicate(
    session: Session,
    model: type[Item],
    *,
    kind: str,
    author_id: int,
    target_id: int | None,
    created_at: InstrumentedAttribute[datetime],
    same: list[ColumnElement[bool]],
    now: datetime | None = None,
) -> Item | None:
    """Lock the person's postings to the target, then return their identical item from within the window, if any.

    ``same`` are the conditions that make an item identical (author, target, text); ``created_at`` is the item's
    creation time column. Call before writing anything in the unit of work; write the new item in the same
    transaction when None is returned.
    """
    lock_postings(session, kind, author_id, target_id)
    span = window()
    if span <= timedelta(0):
        return None
    since = (now or types.utcnow()) - span
    stmt = select(model).where(*same, created_at >= since).order_by(created_at.desc()).limit(1)
    return session.scalar(stmt.execution_options(populate_existing=True))
