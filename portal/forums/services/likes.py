"""Likes on posts and the thread's accepted answer (solution)."""

from __future__ import annotations

from sqlalchemy import update as sql_update

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.database import toggle_mark
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums.models import ForumLike, ForumPost
from portal.forums.services.access import _require, can_mark_solution, can_view_thread
from portal.forums.services.common import SEARCH_TYPE, ForumError, post_url
from portal.forums.services.counters import _lock_thread
from portal.notifications import services as notifications
from portal.search import services as search


def toggle_like(user: User, post: ForumPost) -> bool:
    """Like or unlike a post; returns whether the user likes it now."""
    _require(can_view_thread(user, post.thread), "forum.view")
    if not post.is_visible:
        raise ForumError(_l("Kiriman ini sudah tidak ditampilkan."))
    if post.author_id == user.id:
        raise ForumError(_l("Anda tidak dapat menyukai kiriman Anda sendiri."))
    return toggle_mark(db.session(), ForumLike, "post_id", post.id, user.id, ForumPost.like_count)


def toggle_solution(actor: User, post: ForumPost) -> bool:
    """Mark a reply as the thread's solution (unmarking the previous one), or unmark it; returns the new state."""
    thread = post.thread
    _require(can_mark_solution(actor, thread), "forum.solution")
    if post.is_opening or not post.is_visible:
        raise ForumError(_l("Hanya balasan yang tampil yang dapat ditandai sebagai solusi."))
    thread = _lock_thread(thread.id)
    post = db.session.get_one(ForumPost, post.id)  # the post we hold, read again under the thread lock
    marking = not post.is_solution
    db.session.execute(
        sql_update(ForumPost)
        .where(ForumPost.thread_id == thread.id, ForumPost.is_solution.is_(True))
        .values(is_solution=False)
        .execution_options(synchronize_session=False)
    )
    post.is_solution = marking
    thread.solved_at = utcnow() if marking else None
    if actor.id != thread.author_id:
        audit.record(actor, "forum.solution", post, label=thread.title, marked=marking)
    if marking and post.author_id != actor.id:
        notifications.notify([post.author_id], "forum.solution", post_url(post), actor=actor, title=thread.title)
    search.queue(SEARCH_TYPE, thread.id)
    db.session.commit()
    return marking
