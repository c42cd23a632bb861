"""Posts and replies: writing, editing and withdrawing them, quoting, lookups, and read-only queries for search and
the learning ledger. Notifications are added in the same transaction as the post that causes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core import idempotency
from portal.core.i18n import lazy_gettext as _l
from portal.core.markdown import render_plain_excerpt
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums.models import ForumPost, ForumPostRevision, ForumThread, ReadMark
from portal.forums.services.access import _is_active, _require, can_edit_post, can_reply, can_view_thread
from portal.forums.services.common import SEARCH_TYPE, ForumError, check_body, check_title, post_url
from portal.forums.services.counters import _drop_solution, _lock_thread, refresh_counters
from portal.forums.services.mentions import mentioned_users, render_post
from portal.forums.services.subscriptions import _notify, _thread_subscribers, subscribe
from portal.notifications import services as notifications
from portal.search import services as search

# ---------------------------------------------------------------- writing


def new_post(thread: ForumThread, author_id: int, body: str, created_at: datetime | None = None) -> ForumPost:
    """Add the thread's next post (the caller holds the thread in a write transaction)."""
    thread.last_number += 1
    post = ForumPost(thread_id=thread.id, number=thread.last_number, author_id=author_id, body_md=body)
    if created_at is not None:
        post.created_at = created_at
    render_post(post)
    db.session.add(post)
    return post


def reply(actor: User, thread: ForumThread, body: str) -> ForumPost:
    _require(can_view_thread(actor, thread), "forum.view")
    if not can_reply(actor, thread):
        if thread.is_locked:
            raise ForumError(_l("Topik ini dikunci: balasan baru tidak diterima."))
        raise PermissionDenied("forum.reply")
    body = check_body(body)
    thread = _lock_thread(thread.id)
    earlier = idempotency.recent_duplicate(
        db.session(),
        ForumPost,
        kind="forum.reply",
        author_id=actor.id,
        target_id=thread.id,
        created_at=ForumPost.created_at,
        same=[
            ForumPost.thread_id == thread.id,
            ForumPost.author_id == actor.id,
            ForumPost.body_md == body,
            ForumPost.deleted_at.is_(None),
        ],
    )
    if earlier is not None:  # a second click or a re-sent form: the reply is already there
        db.session.commit()
        return earlier
    post = new_post(thread, actor.id, body)
    subscribe(actor.id, thread.id)
    refresh_counters(thread)
    _notify(actor, thread, post, mentioned_users(body).values(), _thread_subscribers(thread.id), "forum.replied")
    db.session.flush()
    mark = db.session.get(ReadMark, (actor.id, thread.id))
    if mark is None:
        db.session.add(ReadMark(user_id=actor.id, thread_id=thread.id, last_read_number=post.number))
    else:
        mark.last_read_number = max(mark.last_read_number, post.number)
    db.session.commit()
    return post


def edit_post(actor: User, post: ForumPost, body: str, title: str | None = None) -> ForumPost:
    """Change a post (and the thread title, for the opening post). The old text is kept for moderators."""
    _require(can_edit_post(actor, post), "forum.edit")
    body = check_body(body)
    thread = post.thread
    title = check_title(title) if post.is_opening and title is not None else thread.title
    if body == post.body_md and title == thread.title:
        return post
    before = mentioned_users(post.body_md)
    db.session.add(
        ForumPostRevision(
            post_id=post.id, body_md=post.body_md, title=thread.title if post.is_opening else "", editor_id=actor.id
        )
    )
    post.body_md, thread.title = body, title
    post.edited_at = utcnow()
    post.edit_count += 1
    now_mentioned = mentioned_users(body)
    render_post(post, now_mentioned)
    new_mentions = [user for key, user in now_mentioned.items() if key not in before and user.id != post.author_id]
    _notify(actor, thread, post, {u.id: u for u in new_mentions}.values(), (), "forum.replied")
    if actor.id != post.author_id:
        audit.record(actor, "forum.post_edit", post, label=thread.title, number=post.number)
        notifications.notify([post.author_id], "forum.post_edited", post_url(post), actor=actor, title=thread.title)
    search.queue(SEARCH_TYPE, thread.id)
    db.session.commit()
    return post


def delete_post(actor: User, post: ForumPost) -> None:
    """The author withdraws a post (soft). Deleting the opening post deletes the thread, if nobody replied."""
    if actor.id != post.author_id or not _is_active(actor):
        raise PermissionDenied("forum.delete")
    if post.deleted_at is not None:
        raise ForumError(_l("Kiriman ini sudah dihapus."))
    if post.is_opening and post.thread.reply_count > 0:
        raise ForumError(_l("Topik yang sudah dibalas tidak dapat dihapus. Ubah isinya atau hubungi moderator."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get_one(ForumPost, post.id)  # the post we hold, read again under the thread lock
    now = utcnow()
    post.deleted_at = now
    if post.is_opening:
        thread.deleted_at = now
    _drop_solution(thread, post)
    refresh_counters(thread)
    db.session.commit()


# ---------------------------------------------------------------- reading


def quote(post: ForumPost) -> str:
    """A Markdown quote of the post with a link back to it, to start a reply with."""
    lines = "\n".join(f"> {line}" if line else ">" for line in post.body_md.splitlines())
    name = post.author.name.replace("[", "(").replace("]", ")")
    heading = _l("%(name)s menulis", name=name)
    return f"> [{heading}]({post_url(post)}):\n{lines}\n\n"


def get_post(user: Actor, post_id: int) -> ForumPost | None:
    post = db.session.scalar(
        select(ForumPost)
        .where(ForumPost.id == post_id)
        .options(joinedload(ForumPost.thread).joinedload(ForumThread.category), joinedload(ForumPost.author))
    )
    if post is None or not can_view_thread(user, post.thread):
        return None
    return post


def post_by_number(thread: ForumThread, number: int) -> ForumPost | None:
    return db.session.scalar(select(ForumPost).where(ForumPost.thread_id == thread.id, ForumPost.number == number))


def excerpt(post: ForumPost, length: int = 160) -> str:
    return render_plain_excerpt(post.body_md, length)


def accepted_answers_by(author_id: int, since: datetime) -> list[ForumPost]:
    """Visible replies of the author accepted as the answer in someone else's listed thread, solved since a moment.

    Read-only; the learning ledger lists them as knowledge sharing the author may claim (komunitas belajar).
    """
    stmt = (
        select(ForumPost)
        .join(ForumThread, ForumThread.id == ForumPost.thread_id)
        .where(
            ForumPost.author_id == author_id,
            ForumPost.is_solution.is_(True),
            ForumPost.number > 1,
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
            ForumThread.author_id != author_id,
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
            ForumThread.solved_at >= since,
        )
        .options(joinedload(ForumPost.thread))
        .order_by(ForumThread.solved_at, ForumPost.id)
    )
    return list(db.session.scalars(stmt))
