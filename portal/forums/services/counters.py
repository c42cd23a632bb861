"""A thread's derived state: reply count, last post, its category's counts, the solution mark, and the write lock
taken before changing them. The search index is queued with every change.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import joinedload

from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.forums.services.common import SEARCH_TYPE, ForumError
from portal.search import services as search


def _refresh_thread(thread: ForumThread) -> None:
    """Reply count and last post from the visible posts (called after every change to the thread's posts)."""
    db.session.flush()
    visible = (
        ForumPost.thread_id == thread.id,
        ForumPost.deleted_at.is_(None),
        ForumPost.hidden_at.is_(None),
    )
    last = db.session.execute(
        select(ForumPost.number, ForumPost.created_at, ForumPost.author_id)
        .where(*visible)
        .order_by(ForumPost.number.desc())
        .limit(1)
    ).first()
    thread.reply_count = db.session.scalar(select(func.count()).where(*visible, ForumPost.number > 1)) or 0
    if last is not None:
        thread.last_post_number, thread.last_post_at, thread.last_poster_id = last
    db.session.flush()


def _refresh_category(category_id: int) -> None:
    """Thread and post counts and last activity of the category's listed threads."""
    row = db.session.execute(
        select(
            func.count(), func.coalesce(func.sum(ForumThread.reply_count + 1), 0), func.max(ForumThread.last_post_at)
        ).where(
            ForumThread.category_id == category_id,
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
        )
    ).one()
    db.session.execute(
        sql_update(ForumCategory)
        .where(ForumCategory.id == category_id)
        .values(thread_count=row[0], post_count=row[1], last_post_at=row[2])
    )


def refresh_counters(thread: ForumThread, *category_ids: int) -> None:
    _refresh_thread(thread)
    for category_id in {thread.category_id, *category_ids}:
        _refresh_category(category_id)
    search.queue(SEARCH_TYPE, thread.id)


def _lock_thread(thread_id: int) -> ForumThread:
    """Start a write transaction and re-read the thread (locked on PostgreSQL) before changing its counters."""
    write_transaction(db.session())
    thread = db.session.scalar(
        select(ForumThread)
        .where(ForumThread.id == thread_id)
        .options(joinedload(ForumThread.category))
        .with_for_update(of=ForumThread)
    )
    if thread is None:
        raise ForumError(_l("Topik ini sudah tidak ada."))
    return thread


def _queue_category_threads(category_id: int) -> None:
    for thread_id in db.session.scalars(select(ForumThread.id).where(ForumThread.category_id == category_id)):
        search.queue(SEARCH_TYPE, thread_id)


def _drop_solution(thread: ForumThread, post: ForumPost) -> None:
    if post.is_solution:
        post.is_solution = False
        thread.solved_at = None
