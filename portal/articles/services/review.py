"""The publication workflow: publishing or submitting for review, moderators' decisions, deleting and restoring,
and which units' articles need review.

Moderation is recorded in the audit log and the author is notified (notification kinds ``article.*``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.articles.models import Article, ArticleStatus, UnitReviewSetting
from portal.articles.services.access import _require_edit, is_author, is_moderator
from portal.articles.services.authoring import record_revision
from portal.articles.services.common import ArticleError, _check_reason, _notify_author, notify_moderators
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, PermissionDenied, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.units import services as units

# ---------------------------------------------------------------- the workflow


def review_required(unit_id: int | None) -> bool:
    if current_app.config["ARTICLES_REVIEW_REQUIRED"]:
        return True
    return unit_id is not None and db.session.get(UnitReviewSetting, unit_id) is not None


def publish(actor: User, article: Article) -> Article:
    """Publish, or submit for review when the article's unit (or the whole portal) requires it."""
    _require_edit(actor, article)
    if article.status == ArticleStatus.PUBLISHED:
        raise ArticleError(_l("Artikel ini sudah terbit."))
    if article.status == ArticleStatus.ARCHIVED and not is_moderator(actor):
        raise PermissionDenied("article.unarchive")
    if article.status == ArticleStatus.IN_REVIEW and not is_moderator(actor):
        raise ArticleError(_l("Artikel ini sedang menunggu tinjauan moderator."))
    if not article.body_md.strip():
        raise ArticleError(_l("Isi artikel wajib diisi sebelum diterbitkan."), "body")
    if review_required(article.unit_id) and not is_moderator(actor):
        article.status = ArticleStatus.IN_REVIEW
        article.submitted_at = utcnow()
        notify_moderators(article, actor)
    else:
        _make_published(article, _l("Diterbitkan"))
    article.status_note = ""
    db.session.commit()
    return article


def _make_published(article: Article, note: Any) -> None:
    """The published text is recorded as a revision credited to its writer; who approved it is in the note and
    the audit log."""
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or utcnow()
    record_revision(article, article.author, note)


def approve(actor: User, article: Article) -> Article:
    require(actor, Permission.MODERATE)
    _require_status(article, ArticleStatus.IN_REVIEW)
    _make_published(article, _l("Disetujui moderator"))
    article.status_note = ""
    audit.record(actor, "article.approve", article)
    _notify_author(article, actor, "article.approved")
    db.session.commit()
    return article


def return_for_changes(actor: User, article: Article, reason: str) -> Article:
    require(actor, Permission.MODERATE)
    _require_status(article, ArticleStatus.IN_REVIEW)
    return _moderate(actor, article, ArticleStatus.DRAFT, reason, "return", "article.returned")


def unpublish(actor: User, article: Article, reason: str) -> Article:
    require(actor, Permission.MODERATE)
    _require_status(article, ArticleStatus.PUBLISHED)
    return _moderate(actor, article, ArticleStatus.DRAFT, reason, "unpublish", "article.unpublished")


def archive(actor: User, article: Article, reason: str) -> Article:
    require(actor, Permission.MODERATE)
    if article.status == ArticleStatus.ARCHIVED or article.deleted_at is not None:
        raise ArticleError(_l("Artikel ini sudah diarsipkan."))
    return _moderate(actor, article, ArticleStatus.ARCHIVED, reason, "archive", "article.archived")


def _require_status(article: Article, status: ArticleStatus) -> None:
    if article.status != status or article.deleted_at is not None:
        raise ArticleError(_l("Status artikel sudah berubah. Muat ulang halaman."))


def _moderate(actor: User, article: Article, status: ArticleStatus, reason: str, action: str, kind: str) -> Article:
    reason = _check_reason(reason)
    article.status = status
    article.status_note = reason
    audit.record(actor, f"article.{action}", article, reason=reason)
    _notify_author(article, actor, kind, reason=reason)
    db.session.commit()
    return article


def delete(actor: User, article: Article, reason: str = "") -> None:
    """Soft delete by the author or a moderator (who gives a reason); admins can restore it."""
    _require_edit(actor, article)
    by_moderator = not is_author(actor, article)
    if by_moderator:
        reason = _check_reason(reason)
    article.deleted_at = utcnow()
    article.deleted_by_id = actor.id
    audit.record(actor, "article.delete", article, reason=reason)
    if by_moderator:
        _notify_author(article, actor, "article.deleted", reason=reason)
    db.session.commit()


def restore(actor: User, article: Article) -> None:
    require(actor, Permission.MANAGE_CONTENT)
    if article.deleted_at is None:
        raise ArticleError(_l("Artikel ini tidak dihapus."))
    article.deleted_at = None
    article.deleted_by_id = None
    audit.record(actor, "article.restore", article)
    db.session.commit()


# ---------------------------------------------------------------- review settings


def review_unit_ids() -> set[int]:
    return set(db.session.scalars(select(UnitReviewSetting.unit_id)))


def set_review_units(actor: User, unit_ids: Iterable[int]) -> None:
    require(actor, Permission.MANAGE_CONTENT)
    wanted = {unit.id for unit in units.list_active() if unit.id in set(unit_ids)}
    current = review_unit_ids()
    for unit_id in current - wanted:
        db.session.delete(db.session.get(UnitReviewSetting, unit_id))
    for unit_id in wanted - current:
        db.session.add(UnitReviewSetting(unit_id=unit_id))
    if wanted != current:
        audit.record(actor, "article.review_units", None, label="review", units=sorted(wanted))
    db.session.commit()


# ---------------------------------------------------------------- moderators' lists


def review_queue(actor: User) -> list[Article]:
    require(actor, Permission.MODERATE)
    stmt = (
        select(Article)
        .where(Article.status == ArticleStatus.IN_REVIEW, Article.deleted_at.is_(None))
        .order_by(Article.submitted_at, Article.id)
        .options(joinedload(Article.author), joinedload(Article.unit))
    )
    return list(db.session.scalars(stmt).unique())


def deleted_articles(actor: User) -> list[Article]:
    require(actor, Permission.MANAGE_CONTENT)
    stmt = (
        select(Article)
        .where(Article.deleted_at.is_not(None))
        .order_by(Article.deleted_at.desc())
        .options(joinedload(Article.author))
    )
    return list(db.session.scalars(stmt).unique())
