"""A test-only document type ("note") with its own table and a visibility rule, registered by the tests.

Notes live on their own metadata (not the app's), so the migrations test never sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.search import registry, services
from portal.search.registry import MEMBERS, PUBLIC, DocumentType, SearchDocument, unit_audience

NOTE = "note"


class NoteBase(DeclarativeBase):
    pass


class Note(NoteBase):
    __tablename__ = "search_test_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    replies: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="published")  # draft / published / hidden
    public: Mapped[bool] = mapped_column(default=False)
    unit_only: Mapped[bool] = mapped_column(default=False)
    unit_id: Mapped[int | None]
    author_id: Mapped[int | None]
    competency_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _document(note: Note) -> SearchDocument:
    if note.unit_only:
        audience = frozenset({unit_audience(note.unit_id)})
    else:
        audience = frozenset({PUBLIC if note.public else MEMBERS})
    return SearchDocument(
        doc_type=NOTE,
        doc_id=note.id,
        title=note.title,
        url=f"/catatan/{note.id}",
        created_at=note.created_at,
        summary=note.summary,
        body=note.body,
        replies=note.replies,
        tags=tuple(t for t in note.tags.split(",") if t),
        competency_ids=(note.competency_id,) if note.competency_id else (),
        unit_id=note.unit_id,
        author_id=note.author_id,
        author_name=f"Penulis {note.author_id}" if note.author_id else "",
        audience=audience,
    )


def _load_all():
    for note in db.session.scalars(select(Note).where(Note.status == "published").order_by(Note.id)):
        yield _document(note)


def _load_by_ids(ids: Sequence[int]) -> list[SearchDocument]:
    stmt = select(Note).where(Note.id.in_(ids), Note.status == "published")
    return [_document(note) for note in db.session.scalars(stmt)]


def _visible_ids(user: Any, ids: Sequence[int]) -> set[int]:
    stmt = select(Note).where(Note.id.in_(ids), Note.status == "published")
    signed_in = bool(getattr(user, "is_authenticated", False))
    visible = set()
    for note in db.session.scalars(stmt):
        if note.public or (signed_in and (not note.unit_only or note.unit_id == user.unit_id)):
            visible.add(note.id)
    return visible


NOTE_TYPE = DocumentType(
    name=NOTE, label="Catatan", load_all=_load_all, load_by_ids=_load_by_ids, visible_ids=_visible_ids
)


def register() -> None:
    registry.register(NOTE_TYPE)


def create_tables() -> None:
    NoteBase.metadata.create_all(db.engine)


def drop_tables() -> None:
    NoteBase.metadata.drop_all(db.engine)


def add_note(title: str, body: str = "", commit: bool = True, **fields) -> Note:
    """What a feature's service does: write the row and queue it for search in the same transaction."""
    note = Note(title=title, body=body, **fields)
    db.session.add(note)
    db.session.flush()
    services.queue(NOTE, note.id)
    if commit:
        db.session.commit()
    return note


def update_note(note: Note, **fields) -> Note:
    for name, value in fields.items():
        setattr(note, name, value)
    services.queue(NOTE, note.id)
    db.session.commit()
    return note


def delete_note(note: Note) -> None:
    services.queue(NOTE, note.id, op=services.OP_REMOVE)
    db.session.delete(note)
    db.session.commit()
