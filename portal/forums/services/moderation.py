"""Reports and moderation: members report posts; moderators dismiss reports, hide posts, lock, pin and move threads,
and read a post's earlier versions. Moderation is recorded in the audit log and the author is notified.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import joinedload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumPost, ForumPostRevision, ForumReport, ForumThread
from portal.forums.services.access import _require, can_view_thread, is_moderator
from portal.forums.services.common import ForumError, _check_reason, post_url, report_path, thread_path
from portal.forums.services.counters import _drop_solution, _lock_thread, refresh_counters
from portal.notifications import services as notifications

# ---------------------------------------------------------------- reports


def report(user: User, post: ForumPost, reason: str) -> ForumReport:
    _require(can_view_thread(user, post.thread), "forum.view")
    if not post.is_visible:
        raise ForumError(_l("Kiriman ini sudah tidak ditampilkan."))
    if post.author_id == user.id:
        raise ForumError(_l("Anda tidak dapat melaporkan kiriman Anda sendiri."))
    reason = _check_reason(reason)
    already = db.session.scalar(
        select(ForumReport.id).where(
            ForumReport.post_id == post.id, ForumReport.reporter_id == user.id, ForumReport.resolved_at.is_(None)
        )
    )
    if already:
        raise ForumError(_l("Anda sudah melaporkan kiriman ini. Moderator akan meninjaunya."))
    entry = ForumReport(post_id=post.id, reporter_id=user.id, reason=reason)
    db.session.add(entry)
    db.session.flush()
    moderators = accounts.active_ids_with(Permission.MODERATE)
    notifications.notify(
        moderators, "forum.reported", report_path(entry.id), actor=user, title=post.thread.title, reason=reason
    )
    db.session.commit()
    return entry


def open_reports(actor: User) -> list[ForumReport]:
    require(actor, Permission.MODERATE)
    stmt = (
        select(ForumReport)
        .where(ForumReport.resolved_at.is_(None))
        .order_by(ForumReport.created_at, ForumReport.id)
        .options(
            joinedload(ForumReport.reporter),
            joinedload(ForumReport.post).joinedload(ForumPost.author),
            joinedload(ForumReport.post).joinedload(ForumPost.thread).joinedload(ForumThread.category),
        )
    )
    return list(db.session.scalars(stmt).unique())


def count_open_reports(actor: Actor) -> int:
    if not is_moderator(actor):
        return 0
    return db.session.scalar(select(func.count()).where(ForumReport.resolved_at.is_(None))) or 0


def _resolve_reports(actor: User, post: ForumPost, resolution: str, title: str) -> int:
    """Close the post's open reports and tell each reporter the outcome; returns how many were closed."""
    reporters = db.session.scalars(
        sql_update(ForumReport)
        .where(ForumReport.post_id == post.id, ForumReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id, resolution=resolution)
        .returning(ForumReport.reporter_id)
        .execution_options(synchronize_session=False)
    ).all()
    kind = "forum.report_hidden" if resolution == "hidden" else "forum.report_dismissed"
    notifications.notify(reporters, kind, post_url(post), actor=actor, title=title)
    return len(reporters)


def dismiss_reports(actor: User, post: ForumPost) -> int:
    """The reports about a post were unfounded: close them, the post stays."""
    require(actor, Permission.MODERATE)
    closed = _resolve_reports(actor, post, "dismissed", post.thread.title)
    if not closed:
        raise ForumError(_l("Tidak ada laporan terbuka untuk kiriman ini."))
    audit.record(actor, "forum.report_dismiss", post, label=post.thread.title, reports=closed)
    db.session.commit()
    return closed


# ---------------------------------------------------------------- moderation


def hide_post(actor: User, post: ForumPost, reason: str) -> None:
    """Hide a post from members (the author sees the reason); hiding the opening post hides the thread."""
    require(actor, Permission.MODERATE)
    reason = _check_reason(reason)
    if post.hidden_at is not None:
        raise ForumError(_l("Kiriman ini sudah disembunyikan."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get_one(ForumPost, post.id)  # the post we hold, read again under the thread lock
    now = utcnow()
    post.hidden_at, post.hidden_by_id, post.hidden_reason = now, actor.id, reason
    if post.is_opening:
        thread.hidden_at = now
    _drop_solution(thread, post)
    refresh_counters(thread)
    reports = _resolve_reports(actor, post, "hidden", thread.title)
    audit.record(actor, "forum.post_hide", post, label=thread.title, number=post.number, reason=reason, reports=reports)
    notifications.notify(
        [post.author_id], "forum.post_hidden", post_url(post), actor=actor, title=thread.title, reason=reason
    )
    db.session.commit()


def unhide_post(actor: User, post: ForumPost) -> None:
    require(actor, Permission.MODERATE)
    if post.hidden_at is None:
        raise ForumError(_l("Kiriman ini tidak disembunyikan."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get_one(ForumPost, post.id)  # the post we hold, read again under the thread lock
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, ""
    if post.is_opening:
        thread.hidden_at = None
    refresh_counters(thread)
    audit.record(actor, "forum.post_unhide", post, label=thread.title, number=post.number)
    notifications.notify([post.author_id], "forum.post_unhidden", post_url(post), actor=actor, title=thread.title)
    db.session.commit()


def set_locked(actor: User, thread: ForumThread, locked: bool) -> None:
    require(actor, Permission.MODERATE)
    if thread.is_locked == locked:
        return
    thread.is_locked = locked
    audit.record(actor, "forum.thread_lock" if locked else "forum.thread_unlock", thread)
    kind = "forum.thread_locked" if locked else "forum.thread_unlocked"
    notifications.notify([thread.author_id], kind, thread_path(thread.id), actor=actor, title=thread.title)
    db.session.commit()


def set_pinned(actor: User, thread: ForumThread, pinned: bool) -> None:
    require(actor, Permission.MODERATE)
    if thread.is_pinned == pinned:
        return
    thread.is_pinned = pinned
    audit.record(actor, "forum.thread_pin" if pinned else "forum.thread_unpin", thread)
    db.session.commit()


def move_thread(actor: User, thread: ForumThread, category_id: int | None) -> ForumCategory:
    require(actor, Permission.MODERATE)
    target = db.session.get(ForumCategory, category_id) if category_id else None
    if target is None:
        raise ForumError(_l("Kategori tujuan tidak ditemukan."), "category_id")
    if target.id == thread.category_id:
        raise ForumError(_l("Topik ini sudah berada di kategori itu."), "category_id")
    thread = _lock_thread(thread.id)
    source = thread.category
    thread.category_id = target.id
    thread.category = target
    refresh_counters(thread, source.id)
    audit.record(actor, "forum.thread_move", thread, **{"from": source.slug, "to": target.slug})
    notifications.notify(
        [thread.author_id],
        "forum.thread_moved",
        thread_path(thread.id),
        actor=actor,
        title=thread.title,
        category=target.name,
    )
    db.session.commit()
    return target


def revisions(actor: User, post: ForumPost) -> list[ForumPostRevision]:
    require(actor, Permission.MODERATE)
    stmt = (
        select(ForumPostRevision)
        .where(ForumPostRevision.post_id == post.id)
        .options(joinedload(ForumPostRevision.editor))
        .order_by(ForumPostRevision.created_at.desc(), ForumPostRevision.id.desc())
    )
    return list(db.session.scalars(stmt).unique())
