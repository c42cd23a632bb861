"""The search outbox: every change to searchable content is queued in the transaction that makes it.

One mechanism covers every path (web, ``flask content import``, other CLI commands, the demo load, admin and
moderation actions, cascades): a flush hook looks at every object the session writes and asks the document
types' :class:`~portal.search.registry.Watch` declarations which documents it feeds. A feature never has to
remember to queue; :func:`queue` stays for the rare change the hook cannot see (a bulk ``UPDATE``).

After the commit the outbox is applied to the index: after the request (:func:`apply_after_request`), when a
``flask`` command that queued changes ends (so an import is searchable at once and ``flask search check`` is
clean), by ``flask search sync``, and as a catch-up before a search. A rolled-back transaction takes its outbox
rows with it, so the index never shows it.

On PostgreSQL (:mod:`portal.search.pg_backend`) the index lives in the database: :func:`queue` keeps the
changes in the session instead, and a ``before_commit`` hook writes the index rows in the same transaction. No
outbox row is written, nothing is applied afterwards, and a rollback leaves no trace.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

import click
from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.search import registry
from portal.search.backend import SearchBackend
from portal.search.models import SearchOutbox
from portal.search.pg_backend import PgBackend
from portal.search.pg_index import PgBatch
from portal.search.whoosh_backend import IndexBatch, IndexBusy, IndexOutdated, WhooshBackend

log = logging.getLogger(__name__)

OP_INDEX = "index"
OP_REMOVE = "remove"
REQUEST_LOCK_TIMEOUT = 3.0  # after a write request: wait this long for another process's index commit
SYNC_LOCK_TIMEOUT = 60.0
CATCH_UP_LOCK_TIMEOUT = 0.05  # before a search: only if nobody else is writing right now
OUTBOX_BATCH = 500
CATCH_UP_BATCH = 200
_PENDING = "search_outbox_pending"
_COMMITTED = "search_outbox_committed"
_QUEUED = "search_outbox_queued"  # (doc type, id, op) already queued in this transaction
_COMMAND_HOOKED = "search_outbox_after_command"
_IN_TRANSACTION = "search_index_in_transaction"  # PostgreSQL: (doc type, id) -> op, written before the commit
BACKENDS = ("auto", "whoosh", "postgresql")


def backend_name() -> str:
    """``postgresql`` when the database is PostgreSQL (unless ``SEARCH_BACKEND = "whoosh"``), else ``whoosh``."""
    chosen = current_app.config.get("SEARCH_BACKEND") or "auto"
    if chosen not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {chosen!r}")
    if chosen == "whoosh" or db.engine.dialect.name != "postgresql":
        return "whoosh"
    return "postgresql"


def get_backend() -> SearchBackend:
    if backend_name() == "postgresql":
        return PgBackend()
    return WhooshBackend(current_app.config["SEARCH_INDEX_DIR"])


# ---------------------------------------------------------------- queueing


def queue(doc_type: str, doc_id: int, op: str = OP_INDEX) -> None:
    """Note that a document changed. Call inside the transaction that changes it; this does not commit.

    ``op="index"`` re-reads the document from the database when applied (and removes it from the index when
    it is no longer indexable: a draft, hidden, deleted); ``op="remove"`` removes it without reading. The same
    change queued twice in one transaction is written once.
    """
    if op not in (OP_INDEX, OP_REMOVE):
        raise ValueError(f"unknown search outbox op {op!r}")
    session = db.session()
    if backend_name() == "postgresql":
        session.info.setdefault(_IN_TRANSACTION, {})[(doc_type, doc_id)] = op
        return
    queued = session.info.setdefault(_QUEUED, set())
    if (doc_type, doc_id, op) in queued:
        return
    queued.add((doc_type, doc_id, op))
    session.add(SearchOutbox(doc_type=doc_type, doc_id=doc_id, op=op))
    session.info[_PENDING] = True


def _watches_for(obj: object) -> list[tuple[str, registry.Watch]]:
    found = []
    for doc_type in registry.all_types():
        found.extend((doc_type.name, watch) for watch in doc_type.watches if isinstance(obj, watch.model))
    return found


def _changed(obj: object, attributes: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _queue_documents(obj: object, when: str) -> None:
    for doc_type, watch in _watches_for(obj):
        if when == "insert" and not watch.on_insert:
            continue
        if when == "update" and not (watch.attributes and _changed(obj, watch.attributes)):
            continue
        for doc_id in watch.documents(obj):
            if doc_id is not None:
                queue(doc_type, doc_id)


@event.listens_for(Session, "before_flush")
def _queue_deleted(session: Session, _context, _instances) -> None:
    """Deletions are looked at before the flush, while the rows (and links to them) are still there."""
    if not registry.all_types():
        return
    for obj in list(session.deleted):
        _queue_documents(obj, "delete")


@event.listens_for(Session, "after_flush")
def _queue_written(session: Session, _context) -> None:
    """Inserts and updates after the flush: new rows have their ids, and the attribute history is still there."""
    if not registry.all_types():
        return
    for obj in list(session.new):
        if not isinstance(obj, SearchOutbox):
            _queue_documents(obj, "insert")
    for obj in list(session.dirty):
        _queue_documents(obj, "update")


@event.listens_for(Session, "before_commit")
def _write_in_transaction(session: Session) -> None:
    """PostgreSQL: write the index rows of the changes queued in this transaction, just before it commits."""
    if not registry.all_types():
        return
    session.flush()  # commit flushes only after this hook: its changes must be queued (and written) first
    while changes := session.info.pop(_IN_TRANSACTION, None):
        batch = PgBatch(session)
        _apply_changes(batch, [(doc_type, doc_id, op) for (doc_type, doc_id), op in changes.items()])
        batch.write()
        session.flush()


@event.listens_for(Session, "after_commit")
def _outbox_committed(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        session.info[_COMMITTED] = True
        if not has_request_context():
            _apply_when_command_ends()


@event.listens_for(Session, "after_rollback")
def _outbox_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_IN_TRANSACTION, None)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, _transaction) -> None:
    session.info.pop(_QUEUED, None)


def take_committed_flag() -> bool:
    """True once after a commit that queued outbox rows in this session (the after-request hook asks)."""
    return bool(db.session.info.pop(_COMMITTED, False))


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


# ---------------------------------------------------------------- applying


def apply_outbox(
    lock_timeout: float = SYNC_LOCK_TIMEOUT, batch_size: int = OUTBOX_BATCH, max_batches: int | None = None
) -> int:
    """Apply queued changes to the index, in batches, until the outbox is empty. Returns how many rows.

    Runs under the index write lock, so rows are read and documents loaded by one process at a time; a row is
    deleted only after its change is committed to the index. Raises :class:`IndexBusy` when the lock stayed
    taken for ``lock_timeout`` seconds: the rows stay queued for the next attempt.
    """
    backend = get_backend()
    applied = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with backend.writer(lock_timeout) as batch:
            rows = db.session.execute(
                select(SearchOutbox.id, SearchOutbox.doc_type, SearchOutbox.doc_id, SearchOutbox.op)
                .order_by(SearchOutbox.id)
                .limit(batch_size)
            ).all()
            _apply_changes(batch, [(row.doc_type, row.doc_id, row.op) for row in rows])
        db.session.commit()  # end the read transaction before writing (SQLite cannot upgrade a stale snapshot)
        if rows:
            db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
            db.session.commit()
        applied += len(rows)
        if len(rows) < batch_size:
            break
    return applied


def _apply_quietly(lock_timeout: float) -> None:
    try:
        apply_outbox(lock_timeout=lock_timeout)
    except IndexOutdated:
        log.warning("search index has an old format; outbox left until `flask search rebuild`")
    except IndexBusy:
        log.info("search index busy; outbox left for the next sync")
    except Exception:
        db.session.rollback()
        log.exception("applying the search outbox failed; left for the next sync")


def apply_after_request() -> None:
    """After a request whose transaction queued changes: apply them now, never failing the response."""
    if not take_committed_flag():
        return
    _apply_quietly(REQUEST_LOCK_TIMEOUT)


def _apply_when_command_ends() -> None:
    """Outside a request (a ``flask`` command): apply the outbox once, when the command ends.

    One batch at the end instead of an index commit per database commit (an import commits per record). It
    runs in an app context of its own, so it never commits what the command left unfinished in its session.
    """
    context = click.get_current_context(silent=True)
    if context is None or not has_app_context() or context.meta.get(_COMMAND_HOOKED):
        return
    context.meta[_COMMAND_HOOKED] = True
    app: Flask = current_app._get_current_object()  # pyright: ignore[reportAttributeAccessIssue] - flask types the proxy as Flask

    def apply() -> None:
        with app.app_context():
            _apply_quietly(SYNC_LOCK_TIMEOUT)

    context.call_on_close(apply)


def catch_up() -> None:
    """Before a search: apply a few waiting changes if nobody else is applying them right now."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        return
    if session.scalar(select(SearchOutbox.id).limit(1)) is None:
        return
    try:
        apply_outbox(lock_timeout=CATCH_UP_LOCK_TIMEOUT, batch_size=CATCH_UP_BATCH, max_batches=1)
    except IndexBusy:
        pass
    except Exception:
        session.rollback()
        log.exception("search catch-up failed; left for the next sync")


def _apply_changes(batch: IndexBatch | PgBatch, changes: Iterable[tuple[str, int, str]]) -> None:
    latest: dict[tuple[str, int], str] = {}
    for doc_type, doc_id, op in changes:
        latest[(doc_type, doc_id)] = op
    to_load: dict[str, list[int]] = defaultdict(list)
    for (doc_type, doc_id), op in latest.items():
        if op == OP_INDEX and registry.get(doc_type) is not None:
            to_load[doc_type].append(doc_id)
        else:
            batch.remove(registry.document_key(doc_type, doc_id))
    for doc_type, ids in to_load.items():
        declared = registry.get(doc_type)
        if declared is None:  # a type no longer registered: nothing of it can be loaded
            continue
        found = {doc.doc_id: doc for doc in declared.load_by_ids(ids)}
        for doc_id in ids:
            if doc_id in found:
                batch.upsert(found[doc_id])
            else:
                batch.remove(registry.document_key(doc_type, doc_id))
