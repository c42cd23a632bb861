"""Read-only lookups other features may use (the personal home page): followed threads with posts the person has
not read, in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select

from portal.core.permissions import Actor
from portal.extensions import db
from portal.forums.models import ForumThread, ReadMark, ThreadSubscription
from portal.forums.services.categories import visible_categories


@dataclass(frozen=True)
class UnreadThread:
    thread: ForumThread
    unread: int  # posts after the person's read mark (numbers, so hidden posts may count)


def followed_unread(user: Actor, limit: int = 5) -> tuple[list[UnreadThread], int]:
    """Threads the person follows, in categories they may see, with posts they have not read: latest activity
    first, and how many there are."""
    category_ids = [category.id for category in visible_categories(user)]
    if not category_ids:
        return [], 0
    read_up_to = func.coalesce(ReadMark.last_read_number, 0)
    stmt = (
        select(ForumThread, ForumThread.last_post_number - read_up_to)
        .join(
            ThreadSubscription,
            and_(ThreadSubscription.thread_id == ForumThread.id, ThreadSubscription.user_id == user.id),
        )
        .outerjoin(ReadMark, and_(ReadMark.thread_id == ForumThread.id, ReadMark.user_id == user.id))
        .where(
            ThreadSubscription.active.is_(True),
            ForumThread.category_id.in_(category_ids),
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
            ForumThread.last_post_number > read_up_to,
        )
    )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.order_by(ForumThread.last_post_at.desc(), ForumThread.id.desc()).limit(limit))
    return [UnreadThread(thread, count) for thread, count in rows], total
