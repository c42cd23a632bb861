"""Read-only lookups other features may use (the personal home page): a person's drafts and the review queue's
size, each in a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Actor, Permission, has_permission
from portal.extensions import db


def drafts_of(user_id: int, limit: int = 3) -> tuple[list[Article], int]:
    """The person's unfinished articles (drafts), latest edited first, and how many there are."""
    stmt = select(Article).where(
        Article.author_id == user_id, Article.status == ArticleStatus.DRAFT, Article.deleted_at.is_(None)
    )
    total = db.session.scalar(stmt.with_only_columns(func.count(Article.id))) or 0
    rows = db.session.scalars(stmt.order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit))
    return list(rows), total


def review_queue_count(actor: Actor) -> int:
    """Articles waiting for a moderator's review (0 for anyone who does not moderate)."""
    if not has_permission(actor, Permission.MODERATE):
        return 0
    stmt = select(func.count(Article.id)).where(Article.status == ArticleStatus.IN_REVIEW, Article.deleted_at.is_(None))
    return db.session.scalar(stmt) or 0
