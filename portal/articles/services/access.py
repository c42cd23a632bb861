"""Who may read and change an article.

A published or archived article is readable by every signed-in user; drafts and articles in review only by their
author and moderators; deleted articles only by admins (who may restore them).
"""

from __future__ import annotations

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Actor, Permission, PermissionDenied, has_permission


def is_moderator(user: Actor) -> bool:
    return has_permission(user, Permission.MODERATE)


def is_author(user: Actor, article: Article) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.id == article.author_id


def can_view(user: Actor, article: Article) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if article.deleted_at is not None:
        return has_permission(user, Permission.MANAGE_CONTENT)
    if article.status in (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED):
        return True
    return is_author(user, article) or is_moderator(user)


def can_edit(user: Actor, article: Article) -> bool:
    if article.deleted_at is not None or not getattr(user, "is_active", False):
        return False
    return is_author(user, article) or is_moderator(user)


def _require_edit(user: Actor, article: Article) -> None:
    if not can_edit(user, article):
        raise PermissionDenied("article.edit")


def _require_view(user: Actor, article: Article) -> None:
    if not can_view(user, article):
        raise PermissionDenied("article.view")
