"""Rendered HTML kept between requests, and dropped the moment what it shows changes.

Three kinds:

* **Static chrome** (``{% fragment key... %}…{% endfragment %}`` in a template, or :func:`static`): HTML that is a
  function of the template, the locale and the key only (navigation, footer, labels; a forum post's card keyed
  by all its columns and the viewer's permissions). Never put anything of one user or one session inside unless
  the key names it. CSRF tokens are the exception: forms in any shared fragment get a placeholder that every
  HTML response has replaced by its own session's token (see ``CSRF_PLACEHOLDER``).
* **Data fragments** (:func:`cached`, :func:`remembered` for values): rendered from the database, keyed by the
  caller's key (filters, cursor, what the viewer may see), the locale, and the *change stamps* of the tables read.

Change stamps: every committed INSERT/UPDATE/DELETE that goes through the app's engine (ORM flushes, bulk
updates, Core statements, the tests' clean-up) gives each table it wrote a new stamp, a small file in
``FRAGMENT_STAMP_DIR`` (default ``instance/cache-stamps/<digest of the database URL>``). The stamp is written
after the commit, so a reader that sees the new stamp also sees the new rows; a fragment is stored only when
the reader's database snapshot began after every stamp it read (a SQLite read transaction keeps the snapshot of
its first statement). Every worker of the server shares the folder, as they share the search index and the
uploads, so a change made through one worker shows on the next request to any of them. Writes made outside the
app (psql by hand) are picked up within ``FRAGMENT_CACHE_SECONDS``, after which every fragment is rendered
again anyway.

The cache itself is per process: least recently used entries go first past ``FRAGMENT_CACHE_SIZE`` entries or
``FRAGMENT_CACHE_BYTES`` of HTML. ``FRAGMENT_CACHE_SIZE = 0`` turns every kind off (and the app's debug mode,
where templates reload from disk).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from typing import Any

from flask import Flask, Response, current_app, request
from flask.globals import _cv_app
from flask_babel import _get_current_context, get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db

log = logging.getLogger(__name__)

DEFAULT_SIZE = 2000
DEFAULT_BYTES = 32 * 1024 * 1024
DEFAULT_SECONDS = 300
ALL_TABLES = "_all"  # stamped by TRUNCATE/DROP/CREATE/ALTER and statements whose target is not parsed
# A write that reached the cursor: the table it writes. Anything else that changes data counts as "all tables".
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_OTHER_CHANGE = re.compile(r"\s*(?:TRUNCATE|DROP|CREATE|ALTER|REPLACE|WITH|MERGE|COPY)\b", re.I)
_PENDING = "fragments_pending"  # tables written by the open transaction of a DBAPI connection
_COMMITTED = "fragments_committed"  # tables whose writes committed and are not stamped yet
_BEGAN = "fragments_began"  # time.time_ns() when the connection's current transaction began
_EXTENSION_KEY = "portal_fragments"


class FragmentCache:
    """Least-recently-used HTML, bounded by entries and bytes, each entry good for ``seconds``."""

    def __init__(self, size: int, max_bytes: int, seconds: float) -> None:
        self.size, self.max_bytes, self.seconds = size, max_bytes, seconds
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        if _size(value) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, value)
            self._bytes += _size(value)
            while len(self._entries) > self.size or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: Hashable) -> None:
        _, value = self._entries.pop(key)
        self._bytes -= _size(value)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str) else 64  # HTML by its length; a count or a small tuple


# ---------------------------------------------------------------- change stamps


class Stamps:
    """One file per table in a folder; its content ("<ns>:<random>") changes after each committed write."""

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


def written_table(statement: str) -> str | None:
    """The table an SQL statement changes, ALL_TABLES when it changes something not parsed, None for reads."""
    write = _WRITE.match(statement)
    if write:
        return write.group(1).lower()
    if _OTHER_CHANGE.match(statement):
        return ALL_TABLES
    return None


def _track_writes(engine: Engine, stamps: Stamps) -> None:
    @event.listens_for(engine, "after_cursor_execute")
    def _written(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        table = written_table(statement)
        if table is not None:
            conn.info.setdefault(_PENDING, set()).add(table)

    @event.listens_for(engine, "commit")
    def _committing(conn) -> None:  # runs just before the COMMIT: stamped once it is done (begin/checkin)
        pending = conn.info.pop(_PENDING, None)
        if pending:
            conn.info.setdefault(_COMMITTED, set()).update(pending)

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn) -> None:
        conn.info.pop(_PENDING, None)

    @event.listens_for(engine, "begin")
    def _beginning(conn) -> None:  # the previous transaction of this connection has finished
        _stamp_committed(conn.info, stamps)
        conn.info[_BEGAN] = time.time_ns()  # the same clock as the stamps' (one server: CLOCK_REALTIME)

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:  # after the commit (or rollback) that ended a unit of work
        if record is not None:
            _stamp_committed(record.info, stamps)
            record.info.pop(_PENDING, None)  # the pool rolls back whatever was left uncommitted
            record.info.pop(_BEGAN, None)


def _stamp_committed(info: dict, stamps: Stamps) -> None:
    committed = info.pop(_COMMITTED, None)
    if committed:
        stamps.bump(sorted(committed))


# ---------------------------------------------------------------- setup and lookups


class _State:
    def __init__(self, cache: FragmentCache, stamps: Stamps, enabled: bool) -> None:
        self.cache, self.stamps, self.enabled = cache, stamps, enabled


def init_app(app: Flask) -> None:
    config = app.config
    # Stamps belong to a database: apps on other databases sharing the instance folder (tests) keep their own.
    database = hashlib.sha256(str(config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:16]
    folder = config.get("FRAGMENT_STAMP_DIR") or os.path.join(app.instance_path, "cache-stamps", database)
    size = int(config.get("FRAGMENT_CACHE_SIZE", DEFAULT_SIZE))
    max_bytes = int(config.get("FRAGMENT_CACHE_BYTES", DEFAULT_BYTES))
    cache = FragmentCache(size, max_bytes, float(config.get("FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS)))
    # Templates reloaded from disk while developing must not be served from an old rendering.
    enabled = size > 0 and not app.jinja_env.auto_reload and not app.debug
    state = _State(cache, Stamps(folder), enabled)
    app.extensions[_EXTENSION_KEY] = state
    with app.app_context():
        _track_writes(db.engine, state.stamps)  # always: stamps must stay right even while the cache is off
    app.jinja_env.add_extension(FragmentExtension)
    app.after_request(_fill_csrf_tokens)


def _state() -> _State | None:
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    state = app_context.app.extensions.get(_EXTENSION_KEY)
    return state if state is not None and state.enabled and not state.stamps.broken else None


def clear() -> None:
    """Forget every fragment of this process (tests; never needed for correctness)."""
    state = current_app.extensions.get(_EXTENSION_KEY)
    if state is not None:
        state.cache.clear()


def babel_context() -> tuple[Any, Any]:
    """Flask-Babel's per-request namespace and the locale it holds, read without the ``g`` proxy (~5x faster)."""
    app_context = _cv_app.get(None)
    namespace = getattr(app_context.g, "_flask_babel", None) if app_context is not None else None
    locale = getattr(namespace, "babel_locale", None)
    if locale is None:  # not chosen yet in this request (or no request): let Flask-Babel choose and remember
        locale = get_locale()
        namespace = _get_current_context()
    return namespace, locale


def current_locale() -> Any:
    """Flask-Babel's ``get_locale()``, read the fast way (for code called once per row)."""
    return babel_context()[1]


def viewer_format() -> tuple[str, str]:
    """Rendering depends on the language and the time zone dates are shown in (kept per request and locale)."""
    namespace, locale = babel_context()
    kept = getattr(namespace, "portal_format", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = (str(locale), str(get_timezone()))
    if namespace is not None:
        namespace.portal_format = (locale, found)
    return found


def request_key() -> tuple[Any, ...]:
    """The page asked for: endpoint, URL values and the exact query string (filters, sort, cursor)."""
    return request.endpoint, tuple(sorted((request.view_args or {}).items())), request.query_string


def _snapshot_began() -> int | None:
    """When the session's current read transaction began (None: the next query begins a new one)."""
    session = db.session()
    transaction = session.get_transaction()
    if transaction is None:
        return None
    return session.connection().info.get(_BEGAN)


# ---------------------------------------------------------------- CSRF tokens inside shared fragments
# A form in a shared fragment gets this per-process placeholder instead of the viewer's CSRF token
# (portal.core.templating.csrf_token asks rendering_shared()); every HTML response then has it replaced by the
# token of the session it goes to. User text cannot forge it: it is random and never shown.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
_SHARED: ContextVar[bool] = ContextVar("portal_fragment_shared", default=False)


def rendering_shared() -> bool:
    """True while a fragment that other viewers will be served is being rendered."""
    return _SHARED.get()


def shared_render(compute: Callable[[], Any]) -> Any:
    token = _SHARED.set(True)
    try:
        return compute()
    finally:
        _SHARED.reset(token)


def _holds_csrf_token(value: Any) -> bool:
    """A safety net: a form field that made this viewer's real token (WTForms' ``form.csrf_token``) must not be
    kept for others. Logged, since it means a template put such a field inside a shared fragment."""
    token = getattr(_cv_app.get().g, "csrf_token", None)
    if not token:
        return False
    parts = value if isinstance(value, tuple) else (value,)
    if any(isinstance(part, str) and token in part for part in parts):
        log.error("a shared fragment holds a CSRF token: not cached (move the form out of the fragment)")
        return True
    return False


def _fill_csrf_tokens(response: Response) -> Response:
    if response.direct_passthrough or response.mimetype != "text/html":
        return response
    body = response.get_data()
    if _CSRF_PLACEHOLDER_BYTES in body:
        response.set_data(body.replace(_CSRF_PLACEHOLDER_BYTES, generate_csrf().encode()))
    return response


def _rendered(render: Callable[[], Any]) -> Markup:
    return Markup(render())  # noqa: S704 - the output of an autoescaping template (render_template / a block)


def cached(name: str, key: Hashable, tables: Iterable[str], render: Callable[[], Any]) -> Markup:
    """``render()``'s HTML, reused while the key, the locale and the stamps of ``tables`` stay the same.

    ``tables`` must name every table whose rows the rendering shows (ALL_TABLES is added by itself), and
    ``key`` everything else it depends on: filters, page, and what this viewer may see. Nothing private to one
    viewer may be rendered unless the key names that viewer.
    """
    return remembered(name, (key, viewer_format()), tables, lambda: _rendered(render))


def remembered(
    name: str,
    key: Hashable,
    tables: Iterable[str],
    compute: Callable[[], Any],
    fresh: Callable[[Any], bool] | None = None,
) -> Any:
    """``compute()``'s result (an immutable value computed from the database), reused while ``key`` and the
    stamps of ``tables`` stay the same; the same rules as :func:`cached`, without the locale. ``fresh(value)``,
    when given, can refuse a kept value for reasons no table shows (the clock: a list of upcoming events)."""
    state = _state()
    if state is None:
        return compute()
    stamps = tuple(state.stamps.read(table) for table in (ALL_TABLES, *tables))
    full_key = ("data", name, key, stamps)
    found = state.cache.get(full_key)
    if found is not None and (fresh is None or fresh(found)):
        return found
    began = _snapshot_began()
    value = shared_render(compute)
    newest = max(int(stamp.partition(":")[0]) for stamp in stamps)
    if (began is None or began > newest) and not _holds_csrf_token(value):
        state.cache.put(full_key, value)
    return value


def static(name: str, key: Hashable, render: Callable[[], Any]) -> Markup:
    """A fragment that depends on the template, the locale and ``key`` only (see the module docstring)."""
    state = _state()
    if state is None:
        return _rendered(render)
    full_key = ("static", name, key, viewer_format())
    found = state.cache.get(full_key)
    if found is None:
        found = shared_render(lambda: _rendered(render))
        if not _holds_csrf_token(found):
            state.cache.put(full_key, found)
    return found


class FragmentExtension(Extension):
    """``{% fragment a, b %}…{% endfragment %}``: static chrome, cached per template position, key and locale."""

    tags = {"fragment"}

    def parse(self, parser: Any) -> nodes.Node:
        lineno = next(parser.stream).lineno
        if parser.stream.current.type == "block_end":
            key: nodes.Expr = nodes.Const(None)
        else:
            key = parser.parse_tuple()
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        name = nodes.Const(f"{parser.name}:{lineno}")
        return nodes.CallBlock(self.call_method("_render", [name, key]), [], [], body).set_lineno(lineno)

    def _render(self, name: str, key: Hashable, caller: Callable[[], str]) -> Markup:
        return static(name, key, caller)
