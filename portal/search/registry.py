"""The one place a feature declares what it puts into search.

A feature adds a module ``portal/<feature>/search.py`` that calls :func:`register` with a
:class:`DocumentType`; :func:`discover` imports those modules when the app starts. A document type gives:

* ``load_all()``: every indexable document (published, not hidden) as :class:`SearchDocument`;
* ``load_by_ids(ids)``: the same for some ids; an id that is missing from the answer is removed from the index;
* ``visible_ids(user, ids)``: which of these ids the user may see now, asked of the database at query time;
* ``watches``: the models whose rows feed its documents (:class:`Watch`). The outbox's flush hook queues the
  documents a written row feeds, whatever path wrote it (see :mod:`portal.search.outbox`).

A document also names its ``audience`` (who may see it, see :func:`audiences_of`): the index uses it to keep
invisible documents out of counts, pages and suggestions; ``visible_ids`` is the final word for each hit.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import nh3

from portal.core.permissions import Actor
from portal.search.expansion import expansion_text
from portal.search.synonyms import digest as thesaurus_digest

PUBLIC = "public"  # anyone, also without an account
MEMBERS = "members"  # any signed-in, verified user


def unit_audience(unit_id: int) -> str:
    return f"unit:{unit_id}"


def role_audience(role: str) -> str:
    return f"role:{role}"


def user_audience(user_id: int) -> str:
    return f"user:{user_id}"


def audiences_of(user: Actor | None) -> frozenset[str]:
    """The audience labels a user belongs to; a document is visible when it shares one of them."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset({PUBLIC})
    labels = {PUBLIC, MEMBERS, user_audience(user.id), role_audience(str(getattr(user, "role", "")))}
    unit_id = getattr(user, "unit_id", None)
    if unit_id:
        labels.add(unit_audience(unit_id))
    return frozenset(labels)


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows about one document. All text is plain text (see :func:`plain_text`)."""

    doc_type: str
    doc_id: int
    title: str
    url: str
    created_at: datetime
    summary: str = ""
    body: str = ""
    replies: str = ""
    tags: Sequence[str] = ()
    competency_ids: Sequence[int] = ()
    unit_id: int | None = None
    author_id: int | None = None
    author_name: str = ""
    audience: frozenset[str] = field(default_factory=lambda: frozenset({MEMBERS}))

    @property
    def key(self) -> str:
        return document_key(self.doc_type, self.doc_id)

    @property
    def expansion(self) -> str:
        """Thesaurus expansions of the document's own text, indexed at a low weight (:mod:`.expansion`)."""
        return expansion_text(self.title, self.summary, " ".join(self.tags), self.body, self.replies)

    def fingerprint(self) -> str:
        """A digest of everything indexed: when the index holds another digest, its entry is stale."""
        created = self.created_at.astimezone(UTC) if self.created_at.tzinfo else self.created_at
        parts = [
            self.title,
            self.url,
            self.summary,
            self.body,
            self.replies,
            "|".join(self.tags),
            ",".join(str(c) for c in sorted(self.competency_ids)),
            str(self.unit_id or ""),
            str(self.author_id or ""),
            self.author_name,
            " ".join(sorted(self.audience)),
            thesaurus_digest(),  # the expansions follow the text and the thesaurus
            created.replace(tzinfo=None, microsecond=0).isoformat(),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def document_key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"


@dataclass(frozen=True)
class Watch:
    """Rows of ``model`` feed documents of the type that declares this watch.

    ``documents(row)`` gives the ids of the documents the row feeds; it may query the database (deleted rows
    are asked before the flush, while their links still exist). A new row queues them when ``on_insert``;
    an update only when one of ``attributes`` changed (attribute names, relationships included); a deleted
    row always.
    """

    model: type
    documents: Callable[[Any], Iterable[int | None]]
    attributes: tuple[str, ...] = ()
    on_insert: bool = True


@dataclass(frozen=True)
class DocumentType:
    name: str  # "article", "thread", "workshop": the ?type= value
    label: Any  # shown on each hit, e.g. lazy_gettext("Artikel")
    load_all: Callable[[], Iterable[SearchDocument]]
    load_by_ids: Callable[[Sequence[int]], Iterable[SearchDocument]]
    visible_ids: Callable[[Any, Sequence[int]], set[int]]
    watches: Sequence[Watch] = ()


_TYPES: dict[str, DocumentType] = {}


def register(doc_type: DocumentType) -> DocumentType:
    """Declare (or re-declare) a document type; the latest declaration of a name wins."""
    _TYPES[doc_type.name] = doc_type
    return doc_type


def unregister(name: str) -> None:
    _TYPES.pop(name, None)


def get(name: str) -> DocumentType | None:
    return _TYPES.get(name)


def all_types() -> list[DocumentType]:
    return list(_TYPES.values())


def discover() -> None:
    """Import ``portal.<feature>.search`` for every feature package that has one."""
    import portal

    for module in pkgutil.iter_modules(portal.__path__):
        if not module.ispkg or module.name == "search":
            continue
        name = f"portal.{module.name}.search"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def plain_text(markup: str) -> str:
    """Text of an HTML fragment (e.g. rendered Markdown): tags dropped, entities decoded, spaces collapsed."""
    spaced = (markup or "").replace("<", " <")  # block tags end words: <p>a</p><p>b</p> is "a b"
    text = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(text).split())
