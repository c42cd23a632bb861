"""Search: the one interface features and views use, whatever the backend.

* Changes reach the index through the outbox (:mod:`portal.search.outbox`): queued by a flush hook in the
  transaction of the change, applied after the commit. Its functions are re-exported here.
* :func:`search` answers a query for a user: the index keeps out what the user's audience may not see, and
  every hit on the page is re-checked against the database by its document type.
* :func:`rebuild` and :func:`check` keep the index honest: the database is the source of truth.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from portal.core.dates import DATE_INVALID_MESSAGE, parse_date
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import PageLinks
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.search import registry
from portal.search.analysis import words as query_words
from portal.search.backend import BackendHit, BackendQuery  # noqa: F401 - part of this interface
from portal.search.models import ApiToken
from portal.search.outbox import (  # noqa: F401 - the outbox is part of this interface
    OP_INDEX,
    OP_REMOVE,
    SYNC_LOCK_TIMEOUT,
    apply_after_request,
    apply_outbox,
    catch_up,
    get_backend,
    pending_count,
    queue,
    take_committed_flag,
)
from portal.search.whoosh_backend import IndexBusy, IndexOutdated  # noqa: F401

log = logging.getLogger(__name__)

REBUILD_LOCK_TIMEOUT = 120.0
MAX_QUERY_LENGTH = 200
MAX_PAGE = 100
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
SORTS = ("relevance", "newest")
TOKEN_PREFIX = "pks_"  # noqa: S105 - marks our tokens, not a secret
_PHRASE_RE = re.compile(r'"([^"]*)"')


class SearchError(ValueError):
    """Bad search input; the message is shown to the user (or returned as JSON)."""

    def __init__(self, message: Any, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------- rebuild and check


def _all_documents() -> Iterable[registry.SearchDocument]:
    for doc_type in registry.all_types():
        yield from doc_type.load_all()


def rebuild(procs: int = 1) -> int:
    """Index every document from the database into a fresh index and swap it in; searches keep working."""
    count = get_backend().rebuild(_all_documents(), lock_timeout=REBUILD_LOCK_TIMEOUT, procs=procs)
    db.session.commit()
    apply_outbox()  # changes queued while the rebuild held the lock
    return count


@dataclass
class DriftReport:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    stale: list[str] = field(default_factory=list)  # indexed with other content than the database has
    extra: list[str] = field(default_factory=list)  # in the index, not (or no longer) indexable
    pending: int = 0  # outbox rows not applied yet

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check() -> DriftReport:
    backend = get_backend()
    indexed = backend.fingerprints() if backend.is_current() else {}  # an old format counts as missing
    report = DriftReport(pending=pending_count())
    seen: set[str] = set()
    for doc in _all_documents():
        seen.add(doc.key)
        digest = indexed.get(doc.key)
        if digest is None:
            report.missing.append(doc.key)
        elif digest != doc.fingerprint():
            report.stale.append(doc.key)
    report.extra = sorted(set(indexed) - seen)
    return report


# ---------------------------------------------------------------- searching


@dataclass(frozen=True)
class SearchFilters:
    doc_type: str | None = None
    competency_id: int | None = None
    unit_id: int | None = None
    author_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"

    @property
    def active(self) -> bool:
        return any((self.doc_type, self.competency_id, self.unit_id, self.author_id, self.date_from, self.date_to))


@dataclass(frozen=True)
class SearchHit(BackendHit):
    """A hit the reader may see, with its type's label."""

    type_label: Any


@dataclass
class SearchPage(PageLinks):
    query: str
    page: int
    per_page: int
    hits: list[SearchHit]
    total: int
    total_exact: bool
    matched_all: bool
    suggestion: str | None

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, math.ceil(self.total / self.per_page)))


def _int_arg(args: Mapping[str, str], name: str, message: Any) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise SearchError(message)
    return int(value)


def _date_arg(args: Mapping[str, str], name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    parsed = parse_date(value)  # dd/mm/yyyy as typed, or ISO from a link
    if parsed is None:
        raise SearchError(DATE_INVALID_MESSAGE)
    return parsed


def parse_filters(args: Mapping[str, str]) -> SearchFilters:
    """Filters from request arguments (page and API alike); bad values raise :class:`SearchError`."""
    doc_type = (args.get("type") or "").strip() or None
    if doc_type and registry.get(doc_type) is None:
        raise SearchError(_l("Jenis konten tidak dikenal: %(type)s.", type=doc_type))
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise SearchError(_l("Urutan harus 'relevance' atau 'newest'."))
    filters = SearchFilters(
        doc_type=doc_type,
        competency_id=_int_arg(args, "competency", _l("Kompetensi tidak valid.")),
        unit_id=_int_arg(args, "unit", _l("Unit kerja tidak valid.")),
        author_id=_int_arg(args, "author", _l("Penulis tidak valid.")),
        date_from=_date_arg(args, "from"),
        date_to=_date_arg(args, "to"),
        sort=sort,
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise SearchError(_l("Tanggal awal harus sebelum tanggal akhir."))
    return filters


def parse_page(args: Mapping[str, str]) -> tuple[int, int]:
    page = _int_arg(args, "page", _l("Nomor halaman harus bilangan bulat positif.")) or 1
    per_page = _int_arg(args, "per_page", _l("per_page harus antara 1 dan %(n)d.", n=MAX_PER_PAGE))
    if per_page is not None and per_page > MAX_PER_PAGE:
        raise SearchError(_l("per_page harus antara 1 dan %(n)d.", n=MAX_PER_PAGE))
    if page > MAX_PAGE:
        raise SearchError(_l("Halaman %(page)d di luar jangkauan.", page=page), status=404)
    return page, per_page or DEFAULT_PER_PAGE


def parse_query(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    phrases = tuple(phrase for match in _PHRASE_RE.findall(text) if (phrase := tuple(query_words(match))))
    loose = _PHRASE_RE.sub(" ", text)
    return tuple(query_words(loose)), phrases


def _day_start(day: date) -> datetime:
    """Midnight of a calendar day in the portal's time zone (Asia/Jakarta), as the user means it."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def search(
    query: str,
    filters: SearchFilters,
    user: Actor | None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    highlight: bool = True,
) -> SearchPage:
    """Ranked hits the user may see, with highlighted snippets. Raises :class:`SearchError` on bad input."""
    query = " ".join((query or "").split())
    if not query:
        raise SearchError(_l("Ketik kata yang ingin dicari."))
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(_l("Kata pencarian terlalu panjang (maksimal %(n)d karakter).", n=MAX_QUERY_LENGTH))
    catch_up()
    loose, phrases = parse_query(query)
    request = BackendQuery(
        words=loose,
        phrases=phrases,
        audiences=registry.audiences_of(user),
        doc_types=(filters.doc_type,) if filters.doc_type else tuple(t.name for t in registry.all_types()),
        competency_id=filters.competency_id,
        unit_id=filters.unit_id,
        author_id=filters.author_id,
        date_from=_day_start(filters.date_from) if filters.date_from else None,
        date_to=_day_start(filters.date_to + timedelta(days=1)) - timedelta(microseconds=1)
        if filters.date_to
        else None,
        newest_first=filters.sort == "newest",
        page=page,
        per_page=per_page,
        highlight=highlight,
    )
    result = get_backend().search(request)
    hits = _visible_hits(result.hits, user)
    hidden_on_page = len(result.hits) - len(hits)
    outcome = SearchPage(
        query=query,
        page=page,
        per_page=per_page,
        hits=hits,
        total=max(0, result.total - hidden_on_page),
        total_exact=result.total_exact,
        matched_all=result.matched_all,
        suggestion=_suggestion(query, result.corrections),
    )
    if page > 1 and not result.hits:
        raise SearchError(_l("Halaman %(page)d di luar jangkauan.", page=page), status=404)
    return outcome


def _visible_hits(hits: Sequence[Any], user: Actor | None) -> list[SearchHit]:
    """Ask each document type which hits the user may see now (the index may lag the database)."""
    ids_by_type: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        ids_by_type[hit.doc_type].append(hit.doc_id)
    visible: set[tuple[str, int]] = set()
    labels: dict[str, str] = {}
    for doc_type, ids in ids_by_type.items():
        declared = registry.get(doc_type)
        if declared is not None:
            labels[doc_type] = declared.label
            visible.update((doc_type, doc_id) for doc_id in declared.visible_ids(user, ids))
    return [
        SearchHit(**{f.name: getattr(hit, f.name) for f in fields(hit)}, type_label=labels[hit.doc_type])
        for hit in hits
        if (hit.doc_type, hit.doc_id) in visible
    ]


def _suggestion(query: str, corrections: Mapping[str, str]) -> str | None:
    if not corrections:
        return None

    def replace(match: re.Match) -> str:
        return corrections.get(match.group(0).lower(), match.group(0))

    return re.sub(r"\w+(?:[-.,]\w+)*", replace, query)


def type_choices() -> list[tuple[str, Any]]:
    return [(doc_type.name, doc_type.label) for doc_type in registry.all_types()]


# ---------------------------------------------------------------- personal API tokens


class TokenError(ValueError):
    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def list_tokens(user: Actor) -> list[ApiToken]:
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(stmt))


MAX_TOKENS = 10


def create_token(user: Actor, name: str | None) -> tuple[ApiToken, str]:
    """A new token for the user's own use; the plain value is returned once and never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_l("Beri nama token, misalnya nama skrip yang memakainya."))
    if len(name) > 80:
        raise TokenError(_l("Nama token maksimal 80 karakter."))
    if len(list_tokens(user)) >= MAX_TOKENS:
        raise TokenError(_l("Anda sudah punya %(n)d token aktif. Cabut yang tidak dipakai dulu.", n=MAX_TOKENS))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_hash_token(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_token(user: Actor, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise TokenError(_l("Token tidak ditemukan."))
    token.revoked_at = utcnow()
    db.session.commit()


def user_for_token(plain: str) -> Any | None:
    """The active owner of a valid, unrevoked token, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash_token(plain), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now  # coarse, so an API client does not write on every request
        db.session.commit()
    return token.user
