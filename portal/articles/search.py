"""What articles put into search: published, not deleted articles; visible to every signed-in user.

Drafts, articles in review, archived and deleted articles are not indexable: the outbox entry queued on
every change that search sees (the watches below) removes them from the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.articles import services
from portal.articles.models import Article, ArticleStatus, Tag, article_tags
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.extensions import db
from portal.search.registry import MEMBERS, DocumentType, SearchDocument, Watch, plain_text, register

DOC_TYPE = "article"


def _url(article_id: int) -> str:
    if has_request_context():
        return url_for("articles.show", article_id=article_id)
    return current_app.url_map.bind("").build("articles.show", {"article_id": article_id})


def to_document(article: Article) -> SearchDocument:
    return SearchDocument(
        doc_type=DOC_TYPE,
        doc_id=article.id,
        title=article.title,
        url=_url(article.id),
        created_at=article.published_at or article.created_at,
        summary=article.summary,
        body=plain_text(article.body_html),
        tags=tuple(tag.name for tag in article.tags),
        competency_ids=tuple(c.id for c in article.competencies),
        unit_id=article.unit_id,
        author_id=article.author_id,
        author_name=article.author.name if article.author else "",
        audience=frozenset({MEMBERS}),
    )


def _published_by_ids(ids: Sequence[int]):
    return (
        select(Article)
        .where(Article.id.in_(ids), Article.status == ArticleStatus.PUBLISHED, Article.deleted_at.is_(None))
        .options(joinedload(Article.author), selectinload(Article.competencies), selectinload(Article.tags))
    )


def load_all() -> Iterable[SearchDocument]:
    for article in services.published_articles_for_index():
        yield to_document(article)


def load_by_ids(ids: Sequence[int]) -> list[SearchDocument]:
    return [to_document(article) for article in db.session.scalars(_published_by_ids(ids))]


def visible_ids(user: Actor, ids: Sequence[int]) -> set[int]:
    """Published articles the user may open (services.can_view); archived ones stay out of search."""
    return {article.id for article in db.session.scalars(_published_by_ids(ids)) if services.can_view(user, article)}


# The attributes the index holds; a change to any other (view or vote counters) costs no index update.
INDEXED_ATTRIBUTES = (
    "title",
    "summary",
    "body_html",
    "status",
    "deleted_at",
    "unit_id",
    "author_id",
    "published_at",
    "tags",
    "competencies",
)


def _by_author(user: User) -> list[int]:
    return list(db.session.scalars(select(Article.id).where(Article.author_id == user.id)))


def _with_tag(tag: Tag) -> list[int]:
    return list(db.session.scalars(select(article_tags.c.article_id).where(article_tags.c.tag_id == tag.id)))


# The outbox's flush hook queues an article whenever a row it is built from is written, on any path.
WATCHES = (
    Watch(Article, lambda article: (article.id,), INDEXED_ATTRIBUTES),
    Watch(User, _by_author, ("name",), on_insert=False),
    Watch(Tag, _with_tag, ("name",), on_insert=False),
)


register(
    DocumentType(
        name=DOC_TYPE,
        label=_l("Artikel"),
        load_all=load_all,
        load_by_ids=load_by_ids,
        visible_ids=visible_ids,
        watches=WATCHES,
    )
)
