"""The "article" record type of ``flask content import``.

{"type": "article", "external_id": "...", "title": "...", "summary"?: "...", "body": "Markdown",
 "tags": [...], "competencies": ["M.05", ...], "author_nip"?: "...", "created_at"?: ISO 8601,
 "status"?: "draft" | "in_review" | "published" | "archived"}   (status defaults to published)

A record whose external_id was imported before updates that article (a new revision when the text changed).
An unknown or missing author means the admin running the import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.articles import services
from portal.articles.models import Article, ArticleStatus
from portal.articles.services import ArticleError, ArticleInput
from portal.content.services import Outcome
from portal.core.types import utcnow
from portal.extensions import db

EXTERNAL_ID_MAX = 100


def import_article(record: Mapping[str, Any], actor: User) -> Outcome:
    external_id = _external_id(record.get("external_id"))
    author = _author(record.get("author_nip"), actor)
    created_at = _created_at(record.get("created_at"))
    status = _status(record.get("status"))
    data = ArticleInput(
        title=_text(record.get("title"), "title"),
        summary=_text(record.get("summary"), "summary"),
        body=_text(record.get("body"), "body"),
        competency_codes=_strings(record.get("competencies"), "competencies"),
        tags=_strings(record.get("tags"), "tags"),
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


def _external_id(value: Any) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise ArticleError(_l("external_id wajib diisi."))
    value = str(value).strip()
    if len(value) > EXTERNAL_ID_MAX:
        raise ArticleError(_l("external_id maksimal %(max)d karakter.", max=EXTERNAL_ID_MAX))
    return value


def _author(nip: Any, actor: User) -> User:
    if not nip:
        return actor
    author = accounts.get_by_nip(str(nip))
    return author if author is not None else actor


def _created_at(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ArticleError(
            _l("created_at bukan tanggal ISO 8601 yang valid: %(value)s", value=str(value)[:40])
        ) from None
    if moment.tzinfo is None:  # a local Sawahlunto time
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return moment


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


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ArticleError(_l("%(field)s harus berupa teks.", field=name))
    return value


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ArticleError(_l("%(field)s harus berupa daftar teks.", field=name))
    return value
