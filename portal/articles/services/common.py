"""What the article services share: limits, the error type, notification kinds, the listed-article filter, and
the author's notifications.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.articles.models import Article, ArticleStatus
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission
from portal.notifications import services as notifications
from portal.notifications.services import EmailChoice

TITLE_MIN, TITLE_MAX, SUMMARY_MAX, BODY_MAX, NOTE_MAX = 5, 200, 500, 100_000, 200
REASON_MIN, REASON_MAX, COMMENT_MAX, TAG_MIN, TAG_MAX = 5, 500, 5000, 2, 40
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _one_line(text: str | None) -> str:
    """Whitespace collapsed and control characters removed (they break feeds and mean nothing on a page)."""
    return " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())


NOTIFICATION_KINDS: dict[str, Any] = {
    "article.approved": _l('Artikel "%(title)s" disetujui dan sudah terbit.'),
    "article.returned": _l('Artikel "%(title)s" dikembalikan untuk diperbaiki: %(reason)s'),
    "article.unpublished": _l('Artikel "%(title)s" ditarik dari publikasi: %(reason)s'),
    "article.archived": _l('Artikel "%(title)s" diarsipkan: %(reason)s'),
    "article.deleted": _l('Artikel "%(title)s" dihapus oleh moderator: %(reason)s'),
    "article.commented": _l('%(actor)s mengomentari artikel "%(title)s".'),
    "article.replied": _l('%(actor)s membalas komentar Anda di artikel "%(title)s".'),
    "article.comment_hidden": _l('Komentar Anda di artikel "%(title)s" disembunyikan: %(reason)s'),
}
# Kinds with a row on the notification settings page: (message, label, default email choice, who sees the row).
CHOICE_KINDS: dict[str, tuple[Any, Any, EmailChoice, Permission | None]] = {
    "article.review_waiting": (
        _l('%(actor)s mengajukan artikel "%(title)s"; artikel menunggu tinjauan Anda.'),
        _l("Artikel menunggu tinjauan (moderator)"),
        EmailChoice.DIGEST,
        Permission.MODERATE,
    ),
}


class ArticleError(RuleError):
    """A article rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)
    for kind, (message, label, email, audience) in CHOICE_KINDS.items():
        notifications.register_kind(kind, message, label=label, email=email, audience=audience)


def settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "max_attachments": config["ARTICLES_MAX_ATTACHMENTS"],
        "max_tags": config["ARTICLES_MAX_TAGS"],
        "max_upload_mb": config.get("MAX_UPLOAD_MB", 10),
        "page_size": config["ARTICLES_PAGE_SIZE"],
    }


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ArticleError(
            _l("Alasan wajib diisi, %(min)d-%(max)d karakter.", min=REASON_MIN, max=REASON_MAX), "reason"
        )
    return reason


def _normalize_tag(name: str) -> str:
    return " ".join((name or "").split()).strip(" -").lower()


def _listed() -> tuple[Any, ...]:
    return (Article.status == ArticleStatus.PUBLISHED, Article.deleted_at.is_(None))


def _list_options(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        joinedload(Article.author),
        joinedload(Article.unit),
        selectinload(Article.competencies),
        selectinload(Article.tags),
    )


def _article_url(article: Article) -> str:
    """The article's path for notifications; services also run outside requests (tests, the CLI)."""
    if has_request_context():
        return url_for("articles.show", article_id=article.id)
    return current_app.url_map.bind("").build("articles.show", {"article_id": article.id})


def notify_moderators(article: Article, actor: User) -> None:
    """The article waits for review: every moderator but its author hears once (until they read it)."""
    moderators = accounts.active_ids_with(Permission.MODERATE)
    notifications.notify_once(
        moderators, "article.review_waiting", _article_url(article), actor=actor, title=article.title
    )


def _notify_author(article: Article, actor: User, kind: str, **params: Any) -> None:
    if article.author_id != actor.id:
        notifications.notify([article.author], kind, _article_url(article), actor=actor, title=article.title, **params)
