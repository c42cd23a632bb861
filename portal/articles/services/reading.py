"""Finding and reading articles: lookups, tags, the published list, related articles, feeds, and the read-only
queries other features use (search index, learning ledger, competency profile).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.articles.models import Article, ArticleStatus, Tag, article_competencies, article_tags
from portal.articles.services.access import can_view, is_author, is_moderator
from portal.articles.services.common import _list_options, _listed, _normalize_tag
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core import fragments
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.signals import Section
from portal.extensions import db

# ---------------------------------------------------------------- lookups and tags


def get(article_id: int) -> Article | None:
    return db.session.get(Article, article_id)


def get_visible(viewer: Actor, article_id: int) -> Article | None:
    """The article if the viewer may read it; None otherwise, so hidden drafts look like missing pages."""
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(
            joinedload(Article.author),
            joinedload(Article.unit),
            selectinload(Article.competencies),
            selectinload(Article.tags),
            selectinload(Article.attachments),
        )
    )
    if article is None or not can_view(viewer, article):
        return None
    return article


def get_tag(slug: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.slug == (slug or "").lower()))


def suggest_tags(query: str, limit: int = 8) -> list[Tag]:
    """Existing tags starting with the last word being typed, most used first."""
    query = _normalize_tag(query.split(",")[-1] if query else "")
    if len(query) < 1:
        return []
    usage = func.count(article_tags.c.article_id)
    stmt = (
        select(Tag)
        .outerjoin(article_tags, article_tags.c.tag_id == Tag.id)
        .where(Tag.name.like(f"{_escape_like(query)}%", escape="\\"))
        .group_by(Tag.id)
        .order_by(usage.desc(), Tag.name)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class TagChoice:
    slug: str
    name: str


def popular_tags(limit: int = 15) -> list[TagChoice]:
    """The most used tags of published articles (the list page's tag filter).

    Counting them reads every published article's tags: ~90 ms a request at 20,000 articles (docs/benchmarks.md).
    So each process keeps the answer for ARTICLES_POPULAR_TAGS_SECONDS; a new tag reaches the filter within that.
    """
    cache = current_app.extensions.setdefault("articles_popular_tags", {})
    now = time.monotonic()
    kept = cache.get(limit)
    if kept is not None and now - kept[0] < current_app.config["ARTICLES_POPULAR_TAGS_SECONDS"]:
        return kept[1]
    stmt = (
        select(Tag.slug, Tag.name)
        .join(article_tags, article_tags.c.tag_id == Tag.id)
        .join(Article, Article.id == article_tags.c.article_id)
        .where(*_listed())
        .group_by(Tag.id, Tag.slug, Tag.name)
        .order_by(func.count().desc(), Tag.name)
        .limit(limit)
    )
    choices = [TagChoice(slug, name) for slug, name in db.session.execute(stmt)]
    cache[limit] = (now, choices)
    return choices


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------- the published list


@dataclass
class ArticleFilters:
    competency: str = ""  # competency code
    tag: str = ""  # tag slug
    unit_id: int | None = None
    author_id: int | None = None
    sort: str = "newest"


SORTS = {
    "newest": (Article.published_at, _l("Terbaru")),
    "helpful": (Article.vote_count, _l("Paling bermanfaat")),
    "viewed": (Article.view_count, _l("Paling banyak dibaca")),
}


@dataclass
class ArticlePage:
    items: list[Article]
    next_cursor: str | None
    is_first: bool


def _filtered(filters: ArticleFilters) -> Select[Any]:
    stmt = select(Article).where(*_listed())
    if filters.competency:
        code = competencies.normalize_code(filters.competency)
        stmt = stmt.where(Article.competencies.any(Competency.code == code))
    if filters.tag:
        stmt = stmt.where(Article.tags.any(Tag.slug == filters.tag.lower()))
    if filters.unit_id:
        stmt = stmt.where(Article.unit_id == filters.unit_id)
    if filters.author_id:
        stmt = stmt.where(Article.author_id == filters.author_id)
    return stmt


def _encode_cursor(article: Article, sort: str) -> str:
    value = getattr(article, SORTS[sort][0].key)
    encoded = value.isoformat() if isinstance(value, datetime) else str(value)
    return f"{encoded}~{article.id}"


def _decode_cursor(cursor: str | None, sort: str) -> tuple[Any, int] | None:
    if not cursor or "~" not in cursor:
        return None
    raw_value, _, raw_id = cursor.rpartition("~")
    try:
        value: Any = datetime.fromisoformat(raw_value) if sort == "newest" else int(raw_value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value, int(raw_id)
    except ValueError:
        return None


def list_published(filters: ArticleFilters, cursor: str | None = None, per_page: int | None = None) -> ArticlePage:
    """One page of published articles, newest/most helpful/most viewed first, by keyset (no OFFSET, no COUNT).

    Four queries whatever the page size: the articles with author and unit joined, their competencies,
    their tags (and the author's unit, joined with the user).
    """
    sort = filters.sort if filters.sort in SORTS else "newest"
    column = SORTS[sort][0]
    per_page = max(1, min(per_page or current_app.config["ARTICLES_PAGE_SIZE"], 50))
    stmt = _filtered(filters)
    position = _decode_cursor(cursor, sort)
    if position is not None:
        value, last_id = position
        # The redundant "<=" gives the index a range to start from: with the OR alone SQLite walks the index
        # from the newest row down to the cursor (3 ms at 90 % of 20,000 articles; docs/benchmarks.md).
        stmt = stmt.where(column <= value, (column < value) | ((column == value) & (Article.id < last_id)))
    stmt = _list_options(stmt.order_by(column.desc(), Article.id.desc()).limit(per_page + 1))
    items = list(db.session.scalars(stmt).unique())
    next_cursor = _encode_cursor(items[per_page - 1], sort) if len(items) > per_page else None
    return ArticlePage(items=items[:per_page], next_cursor=next_cursor, is_first=position is None)


# ---------------------------------------------------------------- related, by author, own


RELATED_CANDIDATES = 50  # best-sharing articles considered before drafts/deleted ones are filtered out


def _related_ids(article_id: int, competency_ids: list[int], tag_ids: list[int], limit: int) -> tuple[int, ...]:
    if not competency_ids and not tag_ids:
        return ()
    shared = union_all(
        select(article_competencies.c.article_id.label("article_id")).where(
            article_competencies.c.competency_id.in_(competency_ids or [-1])
        ),
        select(article_tags.c.article_id.label("article_id")).where(article_tags.c.tag_id.in_(tag_ids or [-1])),
    ).subquery()
    score = func.count().label("score")
    # Rank on the link tables alone, then read only the best candidates' rows: grouping the rows of every
    # article that shares a tag (thousands at 20,000 articles) cost ~25 ms a page view (docs/benchmarks.md).
    ranked = (
        select(shared.c.article_id, score)
        .where(shared.c.article_id != article_id)
        .group_by(shared.c.article_id)
        .order_by(score.desc(), shared.c.article_id.desc())
        .limit(RELATED_CANDIDATES)
        .subquery()
    )
    stmt = (
        select(Article.id)
        .join(ranked, ranked.c.article_id == Article.id)
        .where(*_listed())
        .order_by(ranked.c.score.desc(), Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return tuple(db.session.scalars(stmt))


def related(article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing the most competencies and tags with this one.

    Ranking reads thousands of link rows at city scale (~3 ms of SQL), so the ids are kept until an article or a
    link changes (portal.core.fragments); the articles themselves (and their authors) are read fresh.
    """
    competency_ids = [c.id for c in article.competencies]
    tag_ids = [t.id for t in article.tags]
    ids = fragments.remembered(
        "articles.related",
        (article.id, limit, tuple(competency_ids), tuple(tag_ids)),
        ("articles", "article_competencies", "article_tags"),
        lambda: _related_ids(article.id, competency_ids, tag_ids, limit),
    )
    if not ids:
        return []
    stmt = select(Article).where(Article.id.in_(ids)).options(joinedload(Article.author))
    found = {row.id: row for row in db.session.scalars(stmt)}
    return [found[article_id] for article_id in ids if article_id in found]


def by_author(viewer: Actor, author: User, limit: int = 10) -> list[Article]:
    """The author's articles for their profile: all of them for the author and moderators, else published."""
    stmt = select(Article).where(Article.author_id == author.id, Article.deleted_at.is_(None))
    if not (is_author(viewer, Article(author_id=author.id)) or is_moderator(viewer)):
        stmt = stmt.where(Article.status == ArticleStatus.PUBLISHED)
    stmt = stmt.order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def profile_section(author: User, viewer: Actor, **_kwargs: object) -> Section:
    """Answers ``core.signals.profile_sections``: the articles block on a person's profile page."""
    return Section("articles/_profile_section.html", {"articles": by_author(viewer, author)})


def my_articles(user: User) -> list[Article]:
    stmt = (
        select(Article)
        .where(Article.author_id == user.id, Article.deleted_at.is_(None))
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .options(joinedload(Article.unit))
    )
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------- for search, feeds and the learning ledger


def published_articles_for_index(since: datetime | None = None) -> Iterator[Article]:
    """For the search indexer: published articles (changed since a moment), with competencies and tags."""
    stmt = _list_options(select(Article).where(*_listed()))
    if since is not None:
        stmt = stmt.where(Article.updated_at >= since)
    yield from db.session.scalars(stmt.order_by(Article.id).execution_options(yield_per=200))


def feed_articles(competency_code: str = "", tag_slug_: str = "", limit: int = 20) -> list[Article]:
    page = list_published(ArticleFilters(competency=competency_code, tag=tag_slug_), per_page=limit)
    return page.items


def published_by(author_id: int, since: datetime) -> list[Article]:
    """The author's articles published since a moment and still published, oldest first (read-only).

    The learning ledger lists them as knowledge sharing the author may claim (komunitas belajar).
    """
    stmt = select(Article).where(*_listed(), Article.author_id == author_id, Article.published_at >= since)
    return list(db.session.scalars(stmt.order_by(Article.published_at, Article.id)))


def published_for_competencies(competency_ids: Sequence[int], limit: int = 5) -> list[Article]:
    """Published articles tagged with any of the competencies, most useful first (read-only).

    The competency profile recommends them for the ASN's largest gaps.
    """
    tagged = select(article_competencies.c.article_id).where(article_competencies.c.competency_id.in_(competency_ids))
    stmt = (
        select(Article)
        .where(*_listed(), Article.id.in_(tagged))
        .order_by(Article.vote_count.desc(), Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(_list_options(stmt)).unique())
