"""What a search backend takes and gives back: the shapes every backend (Whoosh, PostgreSQL) shares with services."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from markupsafe import Markup

from portal.search.registry import SearchDocument


@dataclass(frozen=True)
class BackendQuery:
    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    audiences: frozenset[str]
    doc_types: tuple[str, ...] = ()
    competency_id: int | None = None
    unit_id: int | None = None
    author_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    newest_first: bool = False
    page: int = 1
    per_page: int = 10
    highlight: bool = True


@dataclass(frozen=True)
class BackendHit:
    doc_type: str
    doc_id: int
    title: str
    url: str
    snippet: Markup
    score: float
    created_at: datetime | None
    author_name: str
    title_html: Markup  # the title, escaped, with the query's words in <mark> (results pages)


@dataclass
class BackendResult:
    hits: list[BackendHit] = field(default_factory=list)
    total: int = 0
    total_exact: bool = True
    matched_all: bool = True
    corrections: dict[str, str] = field(default_factory=dict)


class SearchBackend(Protocol):
    """What the services and the outbox ask of a backend (WhooshBackend, PgBackend)."""

    def search(self, request: BackendQuery) -> BackendResult: ...

    def writer(self, timeout: float, any_format: bool = False) -> AbstractContextManager: ...

    def rebuild(self, documents: Iterable[SearchDocument], lock_timeout: float, procs: int = 1) -> int: ...

    def fingerprints(self) -> dict[str, str]: ...

    def is_current(self) -> bool: ...

    def exists(self) -> bool: ...

    def document_count(self) -> int: ...
