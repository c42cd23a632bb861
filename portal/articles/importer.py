"""The "article" record type of ``flask content import``.

{"type": "article", "external_id": "...", "title": "...", "summary"?: "...", "body": "Markdown",
 "tags": [...], "competencies": ["M.05", ...], "author_nip"?: "...", "created_at"?: ISO 8601,
 "status"?: "draft" | "in_review" | "published" | "archived"}   (status defaults to published)

A record whose external_id was imported before updates that article (a new revision when the text changed).
An unknown or missing author means the admin running the import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.articles import services
from portal.articles.models import Article, ArticleStatus
from portal.articles.services import ArticleError, ArticleInput
from portal.content import fields
from portal.content.services import Outcome
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db


def import_article(record: Mapping[str, Any], actor: User) -> Outcome:
    external_id = fields.external_id(record.get("external_id"))
    author = fields.author(record.get("author_nip"), actor)
    created_at = fields.moment(record.get("created_at"))
    status = _status(record.get("status"))
    data = ArticleInput(
        title=fields.text(record.get("title"), "title"),
        summary=fields.text(record.get("summary"), "summary"),
        body=fields.text(record.get("body"), "body"),
        competency_codes=fields.strings(record.get("competencies"), "competencies"),
        tags=fields.strings(record.get("tags"), "tags"),
    )
    values = services.validate_input(data, author)
    article = db.session.scalar(select(Article).where(Article.external_id == external_id))
    outcome = Outcome.CREATED
    if article is None:
        article = Article(external_id=external_id, author_id=author.id, created_at=created_at or utcnow())
        db.session.add(article)
    else:
        before = _fingerprint(article)
        outcome = Outcome.UPDATED
    article.author_id = author.id
    services.apply_values(article, values)
    article.status = status
    if status == ArticleStatus.PUBLISHED:
        article.published_at = article.published_at or created_at or utcnow()
    if outcome == Outcome.UPDATED and _fingerprint(article) == before:
        return Outcome.UNCHANGED
    note = _l("Diimpor") if outcome == Outcome.CREATED else _l("Diperbarui lewat impor")
    services.record_revision(article, actor, note)
    db.session.flush()
    return outcome


def _fingerprint(article: Article) -> tuple:
    return (
        article.title,
        article.summary,
        article.body_md,
        tuple(sorted(c.code for c in article.competencies)),
        tuple(sorted(t.slug for t in article.tags)),
        article.status,
        article.author_id,
    )


def _status(value: Any) -> ArticleStatus:
    if value in (None, ""):
        return ArticleStatus.PUBLISHED
    try:
        return ArticleStatus(str(value))
    except ValueError:
        known = ", ".join(s.value for s in ArticleStatus)
        raise ArticleError(
            _l('status "%(value)s" tidak dikenal (%(known)s).', value=str(value)[:20], known=known)
        ) from None
