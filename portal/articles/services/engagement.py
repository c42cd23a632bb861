"""Readers' engagement with a published article: view counts, helpful votes and comments (with moderators hiding
them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.articles.models import Article, ArticleComment, ArticleView, ArticleVote
from portal.articles.services.access import _require_view, is_author
from portal.articles.services.common import (
    _CONTROL_CHARACTERS,
    COMMENT_MAX,
    ArticleError,
    _article_url,
    _check_reason,
    _listed,
)
from portal.audit import services as audit
from portal.core import idempotency
from portal.core.database import toggle_mark, write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.markdown import RENDERER_VERSION, render_markdown
from portal.core.permissions import Actor, Permission, PermissionDenied, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications

# ---------------------------------------------------------------- views and votes


def record_view(viewer: Actor, article_id: int) -> bool:
    """Count a reader once a day per published article; True when this visit was counted."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    today, viewer_id = date.today(), viewer.id
    counted = select(ArticleView.id).where(
        ArticleView.article_id == article_id, ArticleView.user_id == viewer_id, ArticleView.day == today
    )
    to_count = db.session.scalar(select(Article.id).where(Article.id == article_id, *_listed(), ~counted.exists()))
    if not to_count:  # counted today already, or not a listed article
        return False
    write_transaction(db.session())  # a GET: take the write lock now, not by upgrading the read (SQLite)
    try:
        with db.session.begin_nested():
            db.session.add(ArticleView(article_id=article_id, user_id=viewer_id, day=today))
    except IntegrityError:  # the same reader's other tab counted first
        db.session.rollback()
        return False
    db.session.execute(sql_update(Article).where(Article.id == article_id).values(view_count=Article.view_count + 1))
    db.session.commit()
    return True


def has_voted(user: Actor, article: Article) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(ArticleVote.id).where(ArticleVote.article_id == article.id, ArticleVote.user_id == user.id)
        )
    )


def toggle_vote(user: User, article: Article) -> bool:
    """Mark or unmark the article as helpful; returns whether the user now votes for it."""
    _require_view(user, article)
    if not article.is_published:
        raise ArticleError(_l("Hanya artikel yang terbit yang bisa dinilai."))
    if is_author(user, article):
        raise ArticleError(_l("Anda tidak dapat menilai artikel Anda sendiri."))
    return toggle_mark(db.session(), ArticleVote, "article_id", article.id, user.id, Article.vote_count)


# ---------------------------------------------------------------- comments


@dataclass
class CommentThread:
    comment: ArticleComment
    replies: list[ArticleComment] = field(default_factory=list)


def comment_threads(viewer: Actor, article: Article) -> list[CommentThread]:
    """Top-level comments oldest first, each with its replies; hidden/deleted ones stay as placeholders."""
    _require_view(viewer, article)
    stmt = (
        select(ArticleComment)
        .where(ArticleComment.article_id == article.id)
        .order_by(ArticleComment.created_at, ArticleComment.id)
        .options(joinedload(ArticleComment.author))
    )
    threads: dict[int, CommentThread] = {}
    replies: list[ArticleComment] = []
    for comment in db.session.scalars(stmt).unique():
        if comment.renderer_version != RENDERER_VERSION:
            _render_comment(comment)
        if comment.parent_id is None:
            threads[comment.id] = CommentThread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    if db.session.dirty:
        db.session.commit()
    return list(threads.values())


def get_comment(comment_id: int) -> ArticleComment | None:
    return db.session.get(ArticleComment, comment_id)


def _check_comment(body: str) -> str:
    body = _CONTROL_CHARACTERS.sub("", (body or "").replace("\r\n", "\n")).strip()
    if not body:
        raise ArticleError(_l("Komentar tidak boleh kosong."), "body")
    if len(body) > COMMENT_MAX:
        raise ArticleError(_l("Komentar maksimal %(max)d karakter.", max=COMMENT_MAX), "body")
    return body


def _render_comment(comment: ArticleComment) -> None:
    comment.body_html = str(render_markdown(comment.body_md))
    comment.renderer_version = RENDERER_VERSION


def add_comment(actor: User, article: Article, body: str, parent_id: int | None = None) -> ArticleComment:
    _require_view(actor, article)
    if not article.is_published:
        raise ArticleError(_l("Komentar hanya bisa ditulis di artikel yang terbit."))
    parent = _reply_target(article, parent_id)
    body = _check_comment(body)
    parent_key = parent.id if parent else None
    earlier = idempotency.recent_duplicate(
        db.session(),
        ArticleComment,
        kind="article.comment",
        author_id=actor.id,
        target_id=article.id,
        created_at=ArticleComment.created_at,
        same=[
            ArticleComment.article_id == article.id,
            ArticleComment.author_id == actor.id,
            ArticleComment.parent_id.is_(None) if parent_key is None else ArticleComment.parent_id == parent_key,
            ArticleComment.body_md == body,
            ArticleComment.deleted_at.is_(None),
        ],
    )
    if earlier is not None:  # a second click or a re-sent form: the comment is already there
        db.session.commit()
        return earlier
    comment = ArticleComment(article_id=article.id, author_id=actor.id, parent_id=parent_key, body_md=body)
    _render_comment(comment)
    db.session.add(comment)
    params = {"title": article.title}
    url = _article_url(article) + "#komentar"
    if article.author_id != actor.id:
        notifications.notify([article.author], "article.commented", url, actor=actor, **params)
    if parent and parent.author_id not in (actor.id, article.author_id):
        notifications.notify([parent.author], "article.replied", url, actor=actor, **params)
    db.session.commit()
    return comment


def _reply_target(article: Article, parent_id: int | None) -> ArticleComment | None:
    """Replies are one level deep: answering a reply answers its thread."""
    if not parent_id:
        return None
    parent = db.session.get(ArticleComment, parent_id)
    if parent is None or parent.article_id != article.id or not parent.is_visible:
        raise ArticleError(_l("Komentar yang dibalas tidak ditemukan."))
    if parent.parent_id is not None:
        parent = db.session.get(ArticleComment, parent.parent_id)
    return parent


def _require_own_comment(actor: User, comment: ArticleComment) -> None:
    if comment.author_id != actor.id or not actor.is_active:
        raise PermissionDenied("comment.edit")
    if not comment.is_visible:
        raise ArticleError(_l("Komentar ini sudah dihapus atau disembunyikan."))


def edit_comment(actor: User, comment: ArticleComment, body: str) -> ArticleComment:
    _require_own_comment(actor, comment)
    comment.body_md = _check_comment(body)
    comment.edited_at = utcnow()
    _render_comment(comment)
    db.session.commit()
    return comment


def delete_comment(actor: User, comment: ArticleComment) -> None:
    _require_own_comment(actor, comment)
    comment.deleted_at = utcnow()
    db.session.commit()


def hide_comment(actor: User, comment: ArticleComment, reason: str) -> None:
    require(actor, Permission.MODERATE)
    reason = _check_reason(reason)
    if comment.hidden_at is not None:
        raise ArticleError(_l("Komentar ini sudah disembunyikan."))
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    comment.hidden_reason = reason
    article = db.session.get(Article, comment.article_id)
    assert article is not None  # the comment's article_id is a non-null foreign key
    audit.record(actor, "article.comment_hide", comment, label=article.title, reason=reason)
    if comment.author_id != actor.id:
        notifications.notify(
            [comment.author],
            "article.comment_hidden",
            _article_url(article) + "#komentar",
            actor=actor,
            title=article.title,
            reason=reason,
        )
    db.session.commit()
