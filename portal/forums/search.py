"""The "thread" search document: title, opening post, and the replies (weighted lower by the index).

Only listed threads are indexed (hidden and deleted ones, and hidden or deleted posts, never are). Who may find
a thread follows its category: every member, one unit (plus moderators and admins), or staff only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Role
from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, ForumPost, ForumThread, Visibility
from portal.search import registry
from portal.search.registry import MEMBERS, DocumentType, SearchDocument, plain_text, role_audience, unit_audience

BATCH = 200
_MODERATORS = (role_audience(Role.MODERATOR.value), role_audience(Role.ADMIN.value))


def audience(category: ForumCategory) -> frozenset[str]:
    if category.visibility == Visibility.UNIT:
        return frozenset({unit_audience(category.unit_id or 0), *_MODERATORS})
    if category.visibility == Visibility.STAFF:
        return frozenset({role_audience(Role.ORGANIZER.value), *_MODERATORS})
    return frozenset({MEMBERS})


def _listed() -> tuple[Any, ...]:
    return (ForumThread.hidden_at.is_(None), ForumThread.deleted_at.is_(None))


def _documents(threads: Sequence[ForumThread]) -> list[SearchDocument]:
    posts: dict[int, list[ForumPost]] = defaultdict(list)
    stmt = (
        select(ForumPost)
        .where(
            ForumPost.thread_id.in_([t.id for t in threads]),
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
        )
        .order_by(ForumPost.thread_id, ForumPost.number)
    )
    for post in db.session.scalars(stmt):
        posts[post.thread_id].append(post)
    documents = []
    for thread in threads:
        opening = next((p for p in posts[thread.id] if p.is_opening), None)
        replies = [p for p in posts[thread.id] if not p.is_opening]
        documents.append(
            SearchDocument(
                doc_type=services.SEARCH_TYPE,
                doc_id=thread.id,
                title=thread.title,
                url=services.thread_path(thread.id),
                created_at=thread.created_at,
                summary=services.excerpt(opening) if opening else "",
                body=plain_text(opening.body_html) if opening else "",
                replies=" ".join(plain_text(p.body_html) for p in replies),
                unit_id=thread.author.unit_id,
                author_id=thread.author_id,
                author_name=thread.author.name,
                audience=audience(thread.category),
            )
        )
    return documents


def _threads(stmt) -> list[ForumThread]:
    stmt = stmt.options(joinedload(ForumThread.category), joinedload(ForumThread.author))
    return list(db.session.scalars(stmt).unique())


def load_all() -> Iterator[SearchDocument]:
    last_id = 0
    while True:
        batch = _threads(
            select(ForumThread).where(*_listed(), ForumThread.id > last_id).order_by(ForumThread.id).limit(BATCH)
        )
        if not batch:
            return
        yield from _documents(batch)
        last_id = batch[-1].id


def load_by_ids(ids: Sequence[int]) -> Iterable[SearchDocument]:
    threads = _threads(select(ForumThread).where(*_listed(), ForumThread.id.in_(list(ids))))
    return _documents(threads) if threads else []


def visible_ids(user: Actor, ids: Sequence[int]) -> set[int]:
    threads = _threads(select(ForumThread).where(*_listed(), ForumThread.id.in_(list(ids))))
    return {thread.id for thread in threads if services.can_view_thread(user, thread)}


def _by_author(user: User) -> list[int]:
    return list(db.session.scalars(select(ForumThread.id).where(ForumThread.author_id == user.id)))


def _in_category(category: ForumCategory) -> list[int]:
    return list(db.session.scalars(select(ForumThread.id).where(ForumThread.category_id == category.id)))


# The outbox's flush hook queues a thread whenever a row it is built from is written, on any path: the thread,
# any of its posts (a reply, an edit, hiding or deleting), its category's audience, its author's name and unit.
WATCHES = (
    registry.Watch(
        ForumThread,
        lambda thread: (thread.id,),
        ("title", "category_id", "author_id", "created_at", "hidden_at", "deleted_at"),
    ),
    registry.Watch(ForumPost, lambda post: (post.thread_id,), ("body_md", "body_html", "hidden_at", "deleted_at")),
    registry.Watch(ForumCategory, _in_category, ("visibility", "unit_id"), on_insert=False),
    registry.Watch(User, _by_author, ("name", "unit_id"), on_insert=False),
)


THREAD_TYPE = registry.register(
    DocumentType(
        name=services.SEARCH_TYPE,
        label=_l("Forum"),
        load_all=load_all,
        load_by_ids=load_by_ids,
        visible_ids=visible_ids,
        watches=WATCHES,
    )
)
