"""Writing articles: input checks, rendering, drafts and saves, and the revision history."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.articles.diffing import word_diff
from portal.articles.models import Article, ArticleRevision, ArticleStatus, Tag
from portal.articles.services.access import _require_edit, _require_view
from portal.articles.services.common import (
    _CONTROL_CHARACTERS,
    BODY_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TAG_MIN,
    TITLE_MAX,
    TITLE_MIN,
    ArticleError,
    _normalize_tag,
    _one_line,
)
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core import idempotency
from portal.core.i18n import lazy_gettext as _l
from portal.core.markdown import RENDERER_VERSION, render_markdown, render_plain_excerpt
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.units import services as units

_TAG_NAME = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")
_WORDS = re.compile(r"\w+")


@dataclass
# ---------------------------------------------------------------- validation


class ArticleInput:
    title: str
    summary: str = ""
    body: str = ""
    competency_codes: Sequence[str] = ()
    tags: Sequence[str] | str = ()
    unit_id: int | None = None
    note: str = ""


def _check_title(title: str) -> str:
    title = _one_line(title)
    if not title:
        raise ArticleError(_l("Judul wajib diisi."), "title")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ArticleError(_l("Judul harus %(min)d-%(max)d karakter.", min=TITLE_MIN, max=TITLE_MAX), "title")
    return title


def _check_summary(summary: str) -> str:
    summary = _one_line(summary)
    if len(summary) > SUMMARY_MAX:
        raise ArticleError(_l("Ringkasan maksimal %(max)d karakter.", max=SUMMARY_MAX), "summary")
    return summary


def _check_body(body: str) -> str:
    body = _CONTROL_CHARACTERS.sub("", (body or "").replace("\r\n", "\n")).strip("\n")
    if len(body) > BODY_MAX:
        raise ArticleError(_l("Isi artikel maksimal %(max)d karakter.", max=BODY_MAX), "body")
    return body


def _check_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise ArticleError(_l("Catatan perubahan maksimal %(max)d karakter.", max=NOTE_MAX), "note")
    return note


def _check_competencies(codes: Iterable[str]) -> list[Competency]:
    found: dict[str, Competency] = {}
    for code in codes:
        code = competencies.normalize_code(code)
        if not code or code in found:
            continue
        competency = competencies.get_by_code(code)
        if competency is None or not competency.is_active:
            raise ArticleError(_l("Kompetensi %(code)s tidak ada dalam katalog.", code=code), "competencies")
        found[code] = competency
    return list(found.values())


def tag_slug(name: str) -> str:
    return _normalize_tag(name).replace(" ", "-")


def _split_tags(tags: Sequence[str] | str) -> list[str]:
    raw = tags.split(",") if isinstance(tags, str) else tags
    names: list[str] = []
    for item in raw:
        name = _normalize_tag(item)
        if name and name not in names:
            names.append(name)
    return names


def _check_tags(tags: Sequence[str] | str) -> list[str]:
    names = _split_tags(tags)
    limit = current_app.config["ARTICLES_MAX_TAGS"]
    if len(names) > limit:
        raise ArticleError(_l("Paling banyak %(max)d tag per artikel.", max=limit), "tags")
    for name in names:
        if not TAG_MIN <= len(name) <= TAG_MAX or not _TAG_NAME.match(name):
            raise ArticleError(
                _l(
                    'Tag "%(tag)s" tidak valid: %(min)d-%(max)d karakter, hanya huruf, angka, spasi, dan tanda hubung.',
                    tag=name[:60],
                    min=TAG_MIN,
                    max=TAG_MAX,
                ),
                "tags",
            )
    return names


def _tags_for(names: list[str]) -> list[Tag]:
    if not names:
        return []
    slugs = {tag_slug(name): name for name in names}
    existing = {tag.slug: tag for tag in db.session.scalars(select(Tag).where(Tag.slug.in_(slugs)))}
    result = []
    for slug, name in slugs.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(slug=slug, name=name)
            db.session.add(tag)
        result.append(tag)
    return result


def _check_unit(unit_id: int | None, author: User) -> int | None:
    if unit_id in (None, "", 0):
        return author.unit_id
    if not units.get_active(int(unit_id)):
        raise ArticleError(_l("Unit kerja tidak ditemukan."), "unit_id")
    return int(unit_id)


@dataclass
class ValidatedArticle:
    title: str
    summary: str
    body: str
    competencies: list[Competency]
    tag_names: list[str]
    unit_id: int | None
    note: str


def validate_input(data: ArticleInput, author: User) -> ValidatedArticle:
    return ValidatedArticle(
        title=_check_title(data.title),
        summary=_check_summary(data.summary),
        body=_check_body(data.body),
        competencies=_check_competencies(data.competency_codes),
        tag_names=_check_tags(data.tags),
        unit_id=_check_unit(data.unit_id, author),
        note=_check_note(data.note),
    )


# ---------------------------------------------------------------- rendering


def preview(body: str) -> Markup:
    """Exactly what the article page shows for this Markdown."""
    return render_markdown(body)


def _render(article: Article) -> None:
    article.body_html = str(render_markdown(article.body_md))
    article.renderer_version = RENDERER_VERSION
    article.word_count = len(_WORDS.findall(article.body_md))
    article.excerpt = article.summary or render_plain_excerpt(article.body_md, 200)


def refresh_rendering(article: Article) -> None:
    """Re-render HTML stored by an older renderer version (a sanitizer fix reaches old articles too)."""
    if article.renderer_version == RENDERER_VERSION:
        return
    _render(article)
    db.session.commit()


def apply_values(article: Article, values: ValidatedArticle) -> None:
    article.title = values.title
    article.summary = values.summary
    article.body_md = values.body
    article.competencies = values.competencies
    article.tags = _tags_for(values.tag_names)
    article.unit_id = values.unit_id
    article.updated_at = utcnow()
    _render(article)


# ---------------------------------------------------------------- saving


def create(actor: User, data: ArticleInput) -> Article:
    """A new draft by the actor."""
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("article.create")
    values = validate_input(data, actor)
    earlier = idempotency.recent_duplicate(
        db.session(),
        Article,
        kind="article.create",
        author_id=actor.id,
        target_id=None,
        created_at=Article.created_at,
        same=[
            Article.author_id == actor.id,
            Article.title == values.title,
            Article.body_md == values.body,
            Article.deleted_at.is_(None),
        ],
    )
    if earlier is not None:  # the same new article sent twice: the first one is the draft
        db.session.commit()
        return earlier
    article = Article(author_id=actor.id, status=ArticleStatus.DRAFT)
    apply_values(article, values)
    db.session.add(article)
    db.session.commit()
    return article


def update(actor: User, article: Article, data: ArticleInput) -> Article:
    """Save changes; a published article keeps its history as a new revision."""
    _require_edit(actor, article)
    values = validate_input(data, article.author)
    apply_values(article, values)
    if article.status == ArticleStatus.PUBLISHED:
        record_revision(article, actor, values.note or _l("Perubahan tanpa catatan"))
    db.session.commit()
    return article


def autosave(actor: User, article: Article, data: ArticleInput) -> Article:
    """Background save of a draft. Published articles are saved explicitly, each save being a revision."""
    if article.status not in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW):
        raise ArticleError(_l("Simpan otomatis hanya untuk draf. Simpan perubahan secara manual."))
    return update(actor, article, data)


# ---------------------------------------------------------------- revisions


def _latest_revision(article: Article) -> ArticleRevision | None:
    if article.id is None:
        return None
    return db.session.scalar(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number.desc())
        .limit(1)
    )


def record_revision(article: Article, editor: User | None, note: Any) -> ArticleRevision | None:
    """Record the article's text as a new revision, unless it equals the latest one."""
    db.session.flush()
    latest = _latest_revision(article)
    if latest and (latest.title, latest.summary, latest.body_md) == (article.title, article.summary, article.body_md):
        return None
    revision = ArticleRevision(
        article_id=article.id,
        number=(latest.number + 1) if latest else 1,
        title=article.title,
        summary=article.summary,
        body_md=article.body_md,
        note=str(note)[:NOTE_MAX],
        editor_id=editor.id if editor else None,
    )
    db.session.add(revision)
    return revision


def revisions(viewer: Actor, article: Article) -> list[ArticleRevision]:
    _require_view(viewer, article)
    stmt = (
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .options(joinedload(ArticleRevision.editor))
        .order_by(ArticleRevision.number.desc())
    )
    return list(db.session.scalars(stmt))


def get_revision(article: Article, number: int) -> ArticleRevision | None:
    return db.session.scalar(
        select(ArticleRevision).where(ArticleRevision.article_id == article.id, ArticleRevision.number == number)
    )


@dataclass
class RevisionDiff:
    old: ArticleRevision
    new: ArticleRevision
    title: Markup
    summary: Markup
    body: Markup


def compare(viewer: Actor, article: Article, old_number: int, new_number: int) -> RevisionDiff:
    _require_view(viewer, article)
    old, new = get_revision(article, old_number), get_revision(article, new_number)
    if old is None or new is None:
        raise ArticleError(_l("Revisi yang dipilih tidak ditemukan."))
    return RevisionDiff(
        old=old,
        new=new,
        title=word_diff(old.title, new.title),
        summary=word_diff(old.summary, new.summary),
        body=word_diff(old.body_md, new.body_md),
    )


def restore_revision(actor: User, article: Article, number: int) -> ArticleRevision:
    """Bring back an older text as the newest revision; history is never rewritten."""
    _require_edit(actor, article)
    old = get_revision(article, number)
    if old is None:
        raise ArticleError(_l("Revisi yang dipilih tidak ditemukan."))
    article.title, article.summary, article.body_md = old.title, old.summary, old.body_md
    article.updated_at = utcnow()
    _render(article)
    revision = record_revision(article, actor, _l("Dipulihkan dari revisi %(n)d", n=number))
    if revision is None:
        raise ArticleError(_l("Isi artikel sudah sama dengan revisi %(n)d.", n=number))
    db.session.commit()
    return revision
