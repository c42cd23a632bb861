"""Subscriptions, the notification fan-out to subscribers and mentioned users, and unread tracking (read marks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.database import write_transaction
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums.models import (
    CategorySubscription,
    ForumCategory,
    ForumPost,
    ForumThread,
    ReadMark,
    ThreadSubscription,
)
from portal.forums.services.access import _is_active, _require, can_view_category, can_view_thread
from portal.forums.services.common import post_url
from portal.notifications import services as notifications

# ---------------------------------------------------------------- subscriptions and fan-out


def subscribe(user_id: int, thread_id: int) -> None:
    """Auto-subscribe a poster, unless they muted the thread."""
    if db.session.get(ThreadSubscription, (user_id, thread_id)) is None:
        db.session.add(ThreadSubscription(user_id=user_id, thread_id=thread_id, active=True))


def _notify(
    actor: User,
    thread: ForumThread,
    post: ForumPost,
    mentioned: Iterable[User],
    audience_ids: Iterable[int],
    kind: str,
    **params: Any,
) -> None:
    """Mentioned users get a mention, everyone else in the audience ``kind``: each person once, never the actor,
    and only people who may still read the category."""
    url = post_url(post)
    category = thread.category
    mention_targets = {user.id: user for user in mentioned if can_view_category(user, category)}
    notifications.notify(mention_targets.values(), "forum.mentioned", url, actor=actor, title=thread.title)
    rest = set(audience_ids) - set(mention_targets) - {actor.id}
    readers = [user for user in accounts.get_users(rest) if can_view_category(user, category)]
    notifications.notify(readers, kind, url, actor=actor, title=thread.title, **params)


def _thread_subscribers(thread_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ThreadSubscription.user_id).where(
                ThreadSubscription.thread_id == thread_id, ThreadSubscription.active.is_(True)
            )
        )
    )


def _category_subscribers(category_id: int) -> list[int]:
    return list(
        db.session.scalars(select(CategorySubscription.user_id).where(CategorySubscription.category_id == category_id))
    )


def is_subscribed_to_category(user: Actor, category: ForumCategory) -> bool:
    return db.session.get(CategorySubscription, (user.id, category.id)) is not None


def toggle_thread_subscription(user: User, thread: ForumThread) -> bool:
    """Follow or stop following a thread; returns whether the user follows it now."""
    _require(can_view_thread(user, thread), "forum.view")
    subscription = db.session.get(ThreadSubscription, (user.id, thread.id))
    if subscription is None:
        subscription = ThreadSubscription(user_id=user.id, thread_id=thread.id, active=True)
        db.session.add(subscription)
    else:
        subscription.active = not subscription.active
    following = subscription.active
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us
        db.session.rollback()
    return following


def toggle_category_subscription(user: User, category: ForumCategory) -> bool:
    _require(can_view_category(user, category), "forum.view")
    subscription = db.session.get(CategorySubscription, (user.id, category.id))
    if subscription is None:
        db.session.add(CategorySubscription(user_id=user.id, category_id=category.id))
    else:
        db.session.delete(subscription)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return subscription is None


# ---------------------------------------------------------------- read marks


class ThreadRef(NamedTuple):
    """What unread marks need of a listed thread (a cached list keeps these instead of the rows)."""

    id: int
    last_post_number: int


def unread_marks(user: Actor, threads: Sequence[ForumThread | ThreadRef]) -> dict[int, str]:
    if not threads or not _is_active(user):
        return {}
    marks = dict(
        db.session.execute(
            select(ReadMark.thread_id, ReadMark.last_read_number).where(
                ReadMark.user_id == user.id, ReadMark.thread_id.in_([t.id for t in threads])
            )
        ).all()
    )
    result: dict[int, str] = {}
    for thread in threads:
        read = marks.get(thread.id)
        if read is None:
            result[thread.id] = "new"
        elif thread.last_post_number > read:
            result[thread.id] = "unread"
    return result


_UNKNOWN = -1


def mark_read(user: Actor, thread: ForumThread, up_to: int, read_up_to: int | None = _UNKNOWN) -> None:
    """Remember that the user has seen the thread up to post ``up_to`` (never moves backwards).

    ``read_up_to``: the read mark as the caller already read it (``ThreadView.read_up_to``, None for no mark),
    so nothing is asked when it does not move."""
    if not _is_active(user) or up_to < 1:
        return
    thread_id, user_id = thread.id, user.id
    if read_up_to == _UNKNOWN:
        mark = db.session.get(ReadMark, (user_id, thread_id))
        read_up_to = None if mark is None else mark.last_read_number
    if read_up_to is not None:
        if read_up_to >= up_to:
            return
        write_transaction(db.session())  # a GET: the write lock now, not on upgrading the read (SQLite)
        db.session.execute(
            sql_update(ReadMark)
            .where(ReadMark.user_id == user_id, ReadMark.thread_id == thread_id, ReadMark.last_read_number < up_to)
            .values(last_read_number=up_to, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    else:
        write_transaction(db.session())
        try:
            with db.session.begin_nested():
                db.session.add(ReadMark(user_id=user_id, thread_id=thread_id, last_read_number=up_to))
        except IntegrityError:  # the same reader's other tab was first
            return
    db.session.commit()


def first_unread_number(user: Actor, thread: ForumThread) -> int:
    """The first post the user has not seen (the last post when everything is read)."""
    read = db.session.scalar(
        select(ReadMark.last_read_number).where(ReadMark.user_id == user.id, ReadMark.thread_id == thread.id)
    )
    if read is None:
        return 1
    following = db.session.scalar(
        select(func.min(ForumPost.number)).where(
            ForumPost.thread_id == thread.id,
            ForumPost.number > read,
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
        )
    )
    return following or thread.last_post_number
