"""Topics (threads): lookups, lists by latest activity, the thread page, and opening a new topic."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Integer, Select, cast, func, literal, select, union_all
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.core import idempotency
from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.extensions import db
from portal.forums.models import (
    ForumCategory,
    ForumLike,
    ForumPost,
    ForumReport,
    ForumThread,
    ReadMark,
    ThreadSubscription,
)
from portal.forums.services.access import _require, can_post_in, can_view_thread, is_moderator
from portal.forums.services.categories import visible_categories
from portal.forums.services.common import ForumError, check_body, check_title, posts_per_page
from portal.forums.services.counters import refresh_counters
from portal.forums.services.mentions import mentioned_users, refresh_rendering
from portal.forums.services.posts import new_post
from portal.forums.services.subscriptions import _category_subscribers, _notify, subscribe, unread_marks

VIEWS: dict[str, Any] = {
    "terbaru": _l("Terbaru"),
    "belum-terjawab": _l("Belum terjawab"),
    "terjawab": _l("Terjawab"),
    "saya": _l("Topik saya"),
}


# ---------------------------------------------------------------- lookups


def get_thread(user: Actor, thread_id: int) -> ForumThread | None:
    """The thread if the user may see it; None otherwise, so it looks like a missing page."""
    thread = db.session.scalar(
        select(ForumThread)
        .where(ForumThread.id == thread_id)
        .options(joinedload(ForumThread.category), joinedload(ForumThread.author))
    )
    if thread is None or not can_view_thread(user, thread):
        return None
    return thread


# ---------------------------------------------------------------- thread lists


@dataclass
class ThreadPage:
    items: list[ForumThread]
    next_cursor: str | None
    pinned: list[ForumThread]
    unread: dict[int, str]  # thread id -> "new" (never opened) or "unread" (new posts since the last visit)


def _listed(category_ids: Sequence[int]) -> Select[Any]:
    return select(ForumThread).where(
        ForumThread.category_id.in_(category_ids), ForumThread.hidden_at.is_(None), ForumThread.deleted_at.is_(None)
    )


def _list_options(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        joinedload(ForumThread.author), joinedload(ForumThread.last_poster), joinedload(ForumThread.category)
    )


def _decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor or "~" not in cursor:
        return None
    raw_moment, _, raw_id = cursor.rpartition("~")
    try:
        moment = datetime.fromisoformat(raw_moment)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), int(raw_id)
    except ValueError:
        return None


def _encode_cursor(thread: ForumThread) -> str:
    return f"{thread.last_post_at.isoformat()}~{thread.id}"


def _filtered(stmt: Select[Any], user: Actor, view: str) -> Select[Any]:
    if view == "belum-terjawab":
        return stmt.where(ForumThread.reply_count == 0, ForumThread.solved_at.is_(None))
    if view == "terjawab":
        return stmt.where(ForumThread.solved_at.is_not(None))
    if view == "saya":
        took_part = select(ForumPost.thread_id).where(ForumPost.author_id == user.id, ForumPost.deleted_at.is_(None))
        return stmt.where(ForumThread.id.in_(took_part))
    return stmt


def list_threads(
    user: Actor,
    view: str = "terbaru",
    category: ForumCategory | None = None,
    cursor: str | None = None,
    per_page: int | None = None,
    with_unread: bool = True,
) -> ThreadPage:
    """Threads by latest activity, by keyset (no OFFSET, no COUNT). In a category, pinned ones come first.

    Three queries whatever the page size, plus one for the categories the user may see (lists across them).
    ``with_unread=False``: no read marks (a list shared by every reader looks them up per request itself).
    """
    per_page = max(1, min(per_page or current_app.config["FORUMS_THREADS_PER_PAGE"], 50))
    category_ids = [category.id] if category is not None else [c.id for c in visible_categories(user)]
    stmt = _filtered(_listed(category_ids), user, view)
    pinned: list[ForumThread] = []
    position = _decode_cursor(cursor)
    if category is not None:
        if position is None:
            pinned_stmt = stmt.where(ForumThread.is_pinned.is_(True)).order_by(ForumThread.last_post_at.desc())
            pinned = list(db.session.scalars(_list_options(pinned_stmt)).unique())
        stmt = stmt.where(ForumThread.is_pinned.is_(False))
    if position is not None:
        moment, last_id = position
        # The redundant "<=" gives the index a range to start from (as for articles: docs/benchmarks.md).
        stmt = stmt.where(
            ForumThread.last_post_at <= moment,
            (ForumThread.last_post_at < moment) | ((ForumThread.last_post_at == moment) & (ForumThread.id < last_id)),
        )
    stmt = _list_options(stmt.order_by(ForumThread.last_post_at.desc(), ForumThread.id.desc()).limit(per_page + 1))
    items = list(db.session.scalars(stmt).unique())
    next_cursor = _encode_cursor(items[per_page - 1]) if len(items) > per_page else None
    items = items[:per_page]
    unread = unread_marks(user, pinned + items) if with_unread else {}
    return ThreadPage(items=items, next_cursor=next_cursor, pinned=pinned, unread=unread)


def latest_in_categories(categories: Sequence[ForumCategory]) -> dict[int, ForumThread]:
    """The most recently active listed thread of each category, in one query (the forum's front page)."""
    if not categories:
        return {}
    ranked = (
        select(
            ForumThread.id,
            func.row_number()
            .over(
                partition_by=ForumThread.category_id,
                order_by=(ForumThread.last_post_at.desc(), ForumThread.id.desc()),
            )
            .label("rank"),
        )
        .where(
            ForumThread.category_id.in_([c.id for c in categories]),
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
        )
        .subquery()
    )
    stmt = (
        select(ForumThread)
        .join(ranked, ranked.c.id == ForumThread.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(ForumThread.last_poster))
    )
    return {thread.category_id: thread for thread in db.session.scalars(stmt).unique()}


# ---------------------------------------------------------------- the thread page


@dataclass
class ThreadView:
    thread: ForumThread
    posts: list[ForumPost]
    page: int
    pages: int
    liked: set[int]
    subscribed: bool
    solution: ForumPost | None
    open_reports: dict[int, int]  # post id -> open reports (moderators only)
    read_up_to: int | None = None  # the viewer's read mark when the page was read (None: never opened)


def thread_view(user: Actor, thread: ForumThread, page: int) -> ThreadView:
    """One page of posts with everything the page shows, in a fixed number of queries."""
    size = posts_per_page()
    pages = max(1, math.ceil(thread.last_number / size))
    page = min(max(1, page), pages)
    stmt = (
        select(ForumPost)
        .where(ForumPost.thread_id == thread.id, ForumPost.number.between((page - 1) * size + 1, page * size))
        .order_by(ForumPost.number)
        .options(joinedload(ForumPost.author))
    )
    posts = list(db.session.scalars(stmt).unique())
    refresh_rendering(posts)
    ids = [post.id for post in posts]
    liked, subscribed, read_up_to = _viewer_state(user, thread, ids)
    solution = None
    if page == 1 and thread.solved_at is not None:
        solution = db.session.scalar(
            select(ForumPost)
            .where(ForumPost.thread_id == thread.id, ForumPost.is_solution.is_(True))
            .options(joinedload(ForumPost.author))
        )
    reports: dict[int, int] = {}
    if is_moderator(user) and ids:
        reports = dict(
            db.session.execute(
                select(ForumReport.post_id, func.count())
                .where(ForumReport.post_id.in_(ids), ForumReport.resolved_at.is_(None))
                .group_by(ForumReport.post_id)
            ).all()
        )
    return ThreadView(thread, posts, page, pages, liked, subscribed, solution, reports, read_up_to)


_LIKE, _SUBSCRIBED, _READ = 1, 2, 3


def _viewer_state(user: Actor, thread: ForumThread, post_ids: list[int]) -> tuple[set[int], bool, int | None]:
    """The viewer's likes among the shown posts, subscription and read mark: one statement (a round trip on
    PostgreSQL each otherwise)."""
    parts = [
        select(literal(_SUBSCRIBED), cast(ThreadSubscription.active, Integer)).where(
            ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id == thread.id
        ),
        select(literal(_READ), ReadMark.last_read_number).where(
            ReadMark.user_id == user.id, ReadMark.thread_id == thread.id
        ),
    ]
    if post_ids:
        parts.append(
            select(literal(_LIKE), ForumLike.post_id).where(
                ForumLike.user_id == user.id, ForumLike.post_id.in_(post_ids)
            )
        )
    liked: set[int] = set()
    subscribed, read_up_to = False, None
    for kind, value in db.session.execute(union_all(*parts)):
        if kind == _LIKE:
            liked.add(value)
        elif kind == _SUBSCRIBED:
            subscribed = bool(value)
        else:
            read_up_to = value
    return liked, subscribed, read_up_to


# ---------------------------------------------------------------- opening a topic


def create_thread(actor: User, category: ForumCategory, title: str, body: str) -> ForumThread:
    _require(can_post_in(actor, category), "forum.post")
    title, body = check_title(title), check_body(body)
    category_id, author_id = category.id, actor.id
    write_transaction(db.session())
    opening_posts = select(ForumPost.thread_id).where(ForumPost.number == 1, ForumPost.body_md == body)
    earlier = idempotency.recent_duplicate(
        db.session(),
        ForumThread,
        kind="forum.thread",
        author_id=author_id,
        target_id=category_id,
        created_at=ForumThread.created_at,
        same=[
            ForumThread.category_id == category_id,
            ForumThread.author_id == author_id,
            ForumThread.title == title,
            ForumThread.deleted_at.is_(None),
            ForumThread.id.in_(opening_posts),
        ],
    )
    if earlier is not None:  # the same topic sent twice: the first one is the topic
        db.session.commit()
        return earlier
    thread = ForumThread(category_id=category_id, author_id=author_id, title=title, last_poster_id=author_id)
    db.session.add(thread)
    db.session.flush()
    opening = new_post(thread, author_id, body)
    subscribe(author_id, thread.id)
    refresh_counters(thread)
    db.session.add(ReadMark(user_id=author_id, thread_id=thread.id, last_read_number=1))
    _notify(
        actor,
        thread,
        opening,
        mentioned_users(body).values(),
        _category_subscribers(category_id),
        "forum.new_thread",
        category=thread.category.name,
    )
    db.session.commit()
    return thread


def postable_categories(user: Actor) -> list[ForumCategory]:
    """The categories the user may open a topic in (for the forum-wide "new topic" form)."""
    return [category for category in visible_categories(user) if can_post_in(user, category)]


def create_thread_in(actor: User, category_id: int | None, title: str, body: str) -> ForumThread:
    """Open a topic from the forum-wide form, where the category is chosen: one the actor may not write in (or
    none, or an unknown one) is refused on the category field and nothing is written."""
    category = next((c for c in postable_categories(actor) if c.id == category_id), None) if category_id else None
    if category is None:
        raise ForumError(_l("Pilih kategori tempat Anda boleh membuka topik."), field="category_id")
    return create_thread(actor, category, title, body)
