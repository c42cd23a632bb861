from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db


class SearchOutbox(db.Model):
    """Index changes waiting to be applied: written in the same transaction as the change itself."""

    __tablename__ = "search_outbox"
    # Ids must never be reused: an applier deletes the ids it applied, possibly after another process has
    # emptied the table and new rows arrived; a reused id would delete a change nobody applied.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    doc_id: Mapped[int]
    op: Mapped[str] = mapped_column(String(10), default="index")  # "index" (reload from the DB) or "remove"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The PostgreSQL backend's index (portal.search.pg_backend). The tables exist on SQLite too, unused there.
_TSVECTOR = TSVECTOR().with_variant(Text(), "sqlite")


class SearchIndexRow(db.Model):
    """One indexed document on PostgreSQL: written in the transaction that changes the document."""

    __tablename__ = "search_documents"
    __table_args__ = (Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    doc_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")  # bounded plain text the snippets come from
    author_name: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    competencies: Mapped[str] = mapped_column(String(400), default=" ")  # " 3 7 ": ids between spaces
    unit_id: Mapped[int | None]
    author_id: Mapped[int | None]
    audience: Mapped[str] = mapped_column(Text, default=" ")  # " unit:3 user:9 ": labels between spaces
    reach: Mapped[str] = mapped_column(String(10))  # public / members / limited
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title_len: Mapped[int] = mapped_column(default=0)  # words, for BM25F length normalisation
    content_len: Mapped[int] = mapped_column(default=0)
    tsv: Mapped[str] = mapped_column(_TSVECTOR)  # analysed in Python (portal.search.analysis), weights A-D


class SearchTerm(db.Model):
    """The indexed vocabulary with document frequencies (BM25 idf), kept in step with search_documents;
    a trigram index on it answers "did you mean" (pg_trgm)."""

    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_trgm", "term", postgresql_using="gin", postgresql_ops={"term": "gin_trgm_ops"}),
    )

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    doc_count: Mapped[int] = mapped_column(default=0)


# db.create_all() (tests, a fresh database) needs the extension before the trigram index; the migration makes it too.
event.listen(
    SearchTerm.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class ApiToken(db.Model):
    """A personal token for the JSON API. Only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in the list so the owner can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
