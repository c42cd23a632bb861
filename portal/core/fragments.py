"""Rendered HTML kept between requests, and dropped the moment what it shows changes.

Three kinds:

* **Static chrome** (``{% fragment key... %}…{% endfragment %}`` in a template, or :func:`static`): HTML that is a
  function of the template, the locale and the key only (navigation, footer, labels; a forum post's card keyed
  by all its columns and the viewer's permissions). Never put anything of one user or one session inside unless
  the key names it. CSRF tokens are the exception: forms in any shared fragment get a placeholder that every
  HTML response has replaced by its own session's token (see ``CSRF_PLACEHOLDER``). Kept per process only.
* **Data fragments** (:func:`cached`, :func:`remembered` for values): rendered from the database, keyed by the
  caller's key (filters, cursor, what the viewer may see), the locale, and the *versions* of the tables read.

Versions (``portal.core.fragment_versions``): every committed INSERT/UPDATE/DELETE that goes through the app's
engine gives each table it wrote a new version after the commit. Embedded default (no ``CACHE_REDIS_URL``):
stamp files in ``FRAGMENT_STAMP_DIR`` (default ``instance/cache-stamps/<digest of the database URL>``), shared by
the workers of one host, compared by the wall clock. With ``CACHE_REDIS_URL``: one Redis counter per table
(``INCR``), read with one ``MGET`` per transaction before its snapshot, shared by every host. Either way a fragment
is stored only under versions its snapshot had already seen (the snapshot rule, see that module). Writes made
outside the app (psql by hand) are picked up within ``FRAGMENT_CACHE_SECONDS``.

Storage (``portal.core.fragment_store``): a per-process LRU (``FRAGMENT_CACHE_SIZE`` entries,
``FRAGMENT_CACHE_BYTES`` of HTML); with Redis, data fragments are also kept in Redis for every host, the LRU in
front keyed by the same versions. ``FRAGMENT_CACHE_SIZE = 0`` turns every kind off. Templates reloaded from disk
(``TEMPLATES_AUTO_RELOAD``, ``make run``) do not turn the caches off: the keys then carry the templates' newest
modification time, so an edited template renders anew.

``FRAGMENT_CHECK_TABLES`` (on in tests): every render records the tables its SQL reads and raises
:class:`StaleKey` when one is missing from the ``tables`` it is keyed on (a static fragment may read none).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import time
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

from portal.core.fragment_store import FragmentCache, RedisStore
from portal.core.fragment_versions import (
    ALL_TABLES,
    PENDING,
    RECORDING,
    RedisVersions,
    Stamps,
    Versions,
    track_writes,
    written_table,
)
from portal.extensions import db

__all__ = ["ALL_TABLES", "FragmentCache", "Stamps", "StaleKey", "cached", "clear", "remembered", "static"]
__all__ += ["written_table"]

log = logging.getLogger(__name__)

DEFAULT_SIZE = 2000
DEFAULT_BYTES = 32 * 1024 * 1024
DEFAULT_SECONDS = 300
DEFAULT_ITEM_BYTES = 1024 * 1024  # the largest fragment kept in Redis
_EXTENSION_KEY = "portal_fragments"
_TEMPLATE_SCAN_SECONDS = 1.0


class StaleKey(AssertionError):
    """A render read a table its cache key does not name (``FRAGMENT_CHECK_TABLES``)."""


class _State:
    def __init__(
        self,
        cache: FragmentCache,
        versions: Versions,
        shared: RedisStore | None,
        enabled: bool,
        template_folders: list[str] | None,
        check_tables: bool,
    ) -> None:
        self.cache, self.versions, self.shared, self.enabled = cache, versions, shared, enabled
        self.template_folders, self.check_tables = template_folders, check_tables
        self._templates: tuple[float, str] = (0.0, "")

    @property
    def stamps(self) -> Versions:  # the name before versions could live in Redis
        return self.versions

    @property
    def mode(self) -> str:
        return "off" if not self.enabled else self.versions.mode

    def templates(self) -> str:
        """ "" in production; while templates reload from disk, their newest modification time."""
        if self.template_folders is None:
            return ""
        checked, newest = self._templates
        if time.monotonic() - checked > _TEMPLATE_SCAN_SECONDS:
            newest = str(max((_newest_file(folder) for folder in self.template_folders), default=0))
            self._templates = (time.monotonic(), newest)
        return newest


def _newest_file(folder: str) -> int:
    newest = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime_ns)
            except OSError:
                continue
    return newest


def redis_client(url: str) -> Any:
    import redis

    # Short timeouts: an unreachable Redis makes pages render uncached, never hang.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=30)


def init_app(app: Flask) -> None:
    config = app.config
    # Versions belong to a database: apps on other databases sharing a folder or a Redis keep their own.
    database = hashlib.sha256(str(config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:16]
    size = int(config.get("FRAGMENT_CACHE_SIZE", DEFAULT_SIZE))
    seconds = float(config.get("FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS))
    cache = FragmentCache(size, int(config.get("FRAGMENT_CACHE_BYTES", DEFAULT_BYTES)), seconds)
    redis_url = config.get("CACHE_REDIS_URL")
    shared: RedisStore | None = None
    versions: Versions
    if redis_url:
        client = redis_client(redis_url)
        prefix = config.get("FRAGMENT_CACHE_PREFIX") or f"portal:{database}:"
        versions = RedisVersions(client, prefix, lambda: db.metadata.tables.keys())
        item_bytes = int(config.get("FRAGMENT_CACHE_ITEM_BYTES", DEFAULT_ITEM_BYTES))
        shared = RedisStore(client, prefix, seconds, item_bytes, str(config.get("SECRET_KEY")))
    else:
        folder = config.get("FRAGMENT_STAMP_DIR") or os.path.join(app.instance_path, "cache-stamps", database)
        versions = Stamps(folder)
    reloading = bool(app.jinja_env.auto_reload or app.debug)
    folders = [os.path.join(app.root_path, app.template_folder or "templates")] if reloading else None
    state = _State(cache, versions, shared, size > 0, folders, bool(config.get("FRAGMENT_CHECK_TABLES")))
    app.extensions[_EXTENSION_KEY] = state
    with app.app_context():  # always: versions must stay right even while the cache is off
        track_writes(db.engine, state.versions, lambda: db.metadata.tables.keys())
    app.jinja_env.add_extension(FragmentExtension)
    app.after_request(_fill_csrf_tokens)
    if not app.testing:
        log.info("fragment caches: %s%s", state.mode, " (templates reload from disk)" if folders else "")


def _state() -> _State | None:
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    state = app_context.app.extensions.get(_EXTENSION_KEY)
    if state is None or not state.enabled:
        return None
    if state.versions.broken and isinstance(state.versions, RedisVersions):
        state.versions.retry()
    return None if state.versions.broken else state


def mode() -> str:
    """Which caches run in this app: "files", "redis" or "off"."""
    state = current_app.extensions.get(_EXTENSION_KEY)
    return state.mode if state is not None else "off"


def clear() -> None:
    """Forget every fragment of this process, and with Redis every shared one (tests; never needed for
    correctness)."""
    state = current_app.extensions.get(_EXTENSION_KEY)
    if state is not None:
        state.cache.clear()
        if state.shared is not None:
            state.shared.clear()


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


def _transaction_info() -> dict:
    """The ``info`` of the connection of the session's transaction, begun here if none is open (so that with
    Redis its versions are read, once, before the render's first statement)."""
    return db.session().connection().info


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
    versions of ``tables`` stay the same; the same rules as :func:`cached`, without the locale. ``fresh(value)``,
    when given, can refuse a kept value for reasons no table shows (the clock: a list of upcoming events)."""
    state = _state()
    if state is None:
        return compute()
    names = (ALL_TABLES, *tables)
    info = _transaction_info()
    if _writes_to(info, names):  # this transaction changed what it shows: uncommitted, for no one else
        return _computed(state, name, tables, compute)
    looked_up = state.versions.lookup(names, info)
    if looked_up is None:  # versions unknown (Redis unreachable): render, keep nothing
        return _computed(state, name, tables, compute)
    versions, storable = looked_up
    full_key = ("data", name, key, versions, state.templates())
    found = state.cache.get(full_key)
    if found is None and state.shared is not None:
        found = state.shared.get(full_key)
        if found is not None:
            state.cache.put(full_key, found)
    if found is not None and (fresh is None or fresh(found)):
        for frame in RECORDING.get():  # an enclosing render depends on what this one read
            frame.update(tables)
        return found
    value = _computed(state, name, tables, compute)
    if storable and not _writes_to(info, names) and not _holds_csrf_token(value):
        state.cache.put(full_key, value)
        if state.shared is not None:
            state.shared.put(full_key, value)
    return value


def _writes_to(info: dict, names: Iterable[str]) -> bool:
    pending = info.get(PENDING)
    return bool(pending) and (ALL_TABLES in pending or not pending.isdisjoint(names))


def _computed(state: _State, name: str, tables: Iterable[str], compute: Callable[[], Any]) -> Any:
    """``compute()`` as a shared render; with ``FRAGMENT_CHECK_TABLES``, checked against the tables it read."""
    if not state.check_tables:
        return shared_render(compute)
    read: set[str] = set()
    token = RECORDING.set((*RECORDING.get(), read))
    try:
        value = shared_render(compute)
    finally:
        RECORDING.reset(token)
    missing = read - set(tables) - {ALL_TABLES}
    if missing:
        keyed = ", ".join(sorted(tables)) or "nothing (a static fragment must not query the database)"
        raise StaleKey(f"the cached render {name!r} read {', '.join(sorted(missing))}; it is keyed on {keyed}")
    return value


def static(name: str, key: Hashable, render: Callable[[], Any]) -> Markup:
    """A fragment that depends on the template, the locale and ``key`` only (see the module docstring)."""
    state = _state()
    if state is None:
        return _rendered(render)
    full_key = ("static", name, key, viewer_format(), state.templates())
    found = state.cache.get(full_key)
    if found is None:
        found = _computed(state, name, (), lambda: _rendered(render))
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
