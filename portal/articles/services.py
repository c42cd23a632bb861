"""Article rules: authoring, review workflow, revisions, attachments, reading, votes, comments.

Every function that changes data takes the acting user, checks permission here, and commits. Bad input
raises :class:`ArticleError` (a user-facing message) and writes nothing. Moderation is recorded in the
audit log and the author is notified (notification kinds ``article.*``).

Visibility: a published or archived article is readable by every signed-in user; drafts and articles in
review only by their author and moderators; deleted articles only by admins (who may restore them).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Select, func, select, union_all
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.articles.diffing import word_diff
from portal.articles.models import (
    Article,
    ArticleAttachment,
    ArticleComment,
    ArticleRevision,
    ArticleStatus,
    ArticleView,
    ArticleVote,
    Tag,
    UnitReviewSetting,
    article_competencies,
    article_tags,
)
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core import fragments, uploads
from portal.core.database import toggle_mark, write_transaction
from portal.core.forms import RuleError
from portal.core.markdown import RENDERER_VERSION, render_markdown, render_plain_excerpt
from portal.core.permissions import Permission, PermissionDenied, has_permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.units import services as units

TITLE_MIN, TITLE_MAX, SUMMARY_MAX, BODY_MAX, NOTE_MAX = 5, 200, 500, 100_000, 200
REASON_MIN, REASON_MAX, COMMENT_MAX, TAG_MIN, TAG_MAX = 5, 500, 5000, 2, 40
UPLOAD_SUBDIR = "articles"
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "pptx", "png", "jpeg")
_TAG_NAME = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")
_WORDS = re.compile(r"\w+")
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


class ArticleError(RuleError):
    """A article rule was broken."""


@dataclass
class ArticleInput:
    title: str
    summary: str = ""
    body: str = ""
    competency_codes: Sequence[str] = ()
    tags: Sequence[str] | str = ()
    unit_id: int | None = None
    note: str = ""


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


@dataclass
class CommentThread:
    comment: ArticleComment
    replies: list[ArticleComment] = field(default_factory=list)


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


def settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "max_attachments": config["ARTICLES_MAX_ATTACHMENTS"],
        "max_tags": config["ARTICLES_MAX_TAGS"],
        "max_upload_mb": config.get("MAX_UPLOAD_MB", 10),
        "page_size": config["ARTICLES_PAGE_SIZE"],
    }


# ---------------------------------------------------------------- who may do what


def is_moderator(user: Any) -> bool:
    return has_permission(user, Permission.MODERATE)


def is_author(user: Any, article: Article) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.id == article.author_id


def can_view(user: Any, article: Article) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if article.deleted_at is not None:
        return has_permission(user, Permission.MANAGE_CONTENT)
    if article.status in (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED):
        return True
    return is_author(user, article) or is_moderator(user)


def can_edit(user: Any, article: Article) -> bool:
    if article.deleted_at is not None or not getattr(user, "is_active", False):
        return False
    return is_author(user, article) or is_moderator(user)


def _require_edit(user: Any, article: Article) -> None:
    if not can_edit(user, article):
        raise PermissionDenied("article.edit")


def _require_view(user: Any, article: Article) -> None:
    if not can_view(user, article):
        raise PermissionDenied("article.view")


# ---------------------------------------------------------------- lookups


def get(article_id: int) -> Article | None:
    return db.session.get(Article, article_id)


def get_visible(viewer: Any, article_id: int) -> Article | None:
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


# ---------------------------------------------------------------- validation


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


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ArticleError(
            _l("Alasan wajib diisi, %(min)d-%(max)d karakter.", min=REASON_MIN, max=REASON_MAX), "reason"
        )
    return reason


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


def _normalize_tag(name: str) -> str:
    return " ".join((name or "").split()).strip(" -").lower()


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


# ---------------------------------------------------------------- authoring


def create(actor: User, data: ArticleInput) -> Article:
    """A new draft by the actor."""
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("article.create")
    values = validate_input(data, actor)
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
    else:
        _make_published(article, actor, _l("Diterbitkan"))
    article.status_note = ""
    db.session.commit()
    return article


def _make_published(article: Article, actor: User, note: Any) -> None:
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or utcnow()
    record_revision(article, actor, note)


def approve(actor: User, article: Article) -> Article:
    require(actor, Permission.MODERATE)
    _require_status(article, ArticleStatus.IN_REVIEW)
    _make_published(article, actor, _l("Disetujui moderator"))
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


def _article_url(article: Article) -> str:
    """The article's path for notifications; services also run outside requests (tests, the CLI)."""
    if has_request_context():
        return url_for("articles.show", article_id=article.id)
    return current_app.url_map.bind("").build("articles.show", {"article_id": article.id})


def _notify_author(article: Article, actor: User, kind: str, **params: Any) -> None:
    if article.author_id != actor.id:
        notifications.notify([article.author], kind, _article_url(article), actor=actor, title=article.title, **params)


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


def revisions(viewer: Any, article: Article) -> list[ArticleRevision]:
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


def compare(viewer: Any, article: Article, old_number: int, new_number: int) -> RevisionDiff:
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


# ---------------------------------------------------------------- attachments


def add_attachment(actor: User, article: Article, file: FileStorage | None) -> ArticleAttachment:
    _require_edit(actor, article)
    limit = current_app.config["ARTICLES_MAX_ATTACHMENTS"]
    if len(article.attachments) >= limit:
        raise ArticleError(_l("Paling banyak %(max)d lampiran per artikel.", max=limit), "file")
    if file is None or not file.filename:
        raise ArticleError(_l("Pilih berkas yang akan dilampirkan."), "file")
    max_bytes = int(current_app.config.get("MAX_UPLOAD_MB", 10)) * 1024 * 1024
    try:
        stored = uploads.save_upload(file, ATTACHMENT_KINDS, max_bytes, UPLOAD_SUBDIR)
    except uploads.UploadError as error:
        raise ArticleError(str(error), "file") from None
    attachment = ArticleAttachment(
        article_id=article.id,
        stored_name=stored.stored_name,
        original_name=stored.original_name[:255],
        kind=stored.kind,
        mime=stored.mime,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    try:
        article.attachments.append(attachment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete_stored(UPLOAD_SUBDIR, stored.stored_name)
        raise
    return attachment


def remove_attachment(actor: User, article: Article, attachment_id: int) -> None:
    _require_edit(actor, article)
    attachment = next((a for a in article.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise ArticleError(_l("Lampiran tidak ditemukan."))
    stored_name = attachment.stored_name
    article.attachments.remove(attachment)
    db.session.commit()
    uploads.delete_stored(UPLOAD_SUBDIR, stored_name)


def attachment_for(viewer: Any, article_id: int, stored_name: str) -> ArticleAttachment | None:
    """The attachment if the viewer may read its article; None otherwise."""
    attachment = db.session.scalar(
        select(ArticleAttachment).where(
            ArticleAttachment.article_id == article_id, ArticleAttachment.stored_name == stored_name
        )
    )
    if attachment is None or not can_view(viewer, attachment.article):
        return None
    return attachment


def attachment_url(attachment: ArticleAttachment) -> str:
    return url_for("articles.attachment", article_id=attachment.article_id, stored_name=attachment.stored_name)


# ---------------------------------------------------------------- browsing


def _listed() -> tuple[Any, ...]:
    return (Article.status == ArticleStatus.PUBLISHED, Article.deleted_at.is_(None))


def _list_options(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        joinedload(Article.author),
        joinedload(Article.unit),
        selectinload(Article.competencies),
        selectinload(Article.tags),
    )


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


RELATED_CANDIDATES = 50  # best-sharing articles considered before drafts/deleted ones are filtered out


def _related(article: Article, limit: int) -> list[Article]:
    competency_ids = [c.id for c in article.competencies]
    tag_ids = [t.id for t in article.tags]
    if not competency_ids and not tag_ids:
        return []
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
        .where(shared.c.article_id != article.id)
        .group_by(shared.c.article_id)
        .order_by(score.desc(), shared.c.article_id.desc())
        .limit(RELATED_CANDIDATES)
        .subquery()
    )
    stmt = (
        select(Article)
        .join(ranked, ranked.c.article_id == Article.id)
        .where(*_listed())
        .order_by(ranked.c.score.desc(), Article.published_at.desc(), Article.id.desc())
        .limit(limit)
        .options(joinedload(Article.author))
    )
    return list(db.session.scalars(stmt).unique())


def related(article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing the most competencies and tags with this one.

    Ranking reads thousands of link rows at city scale (~3 ms of SQL), so the ids are kept until an article or a
    link changes (portal.core.fragments); the articles themselves are read fresh.
    """
    loaded: list[Article] = []

    def ranked_ids() -> tuple[int, ...]:
        loaded.extend(_related(article, limit))
        return tuple(found.id for found in loaded)

    ids = fragments.remembered(
        "articles.related", (article.id, limit), ("articles", "article_competencies", "article_tags"), ranked_ids
    )
    if loaded or not ids:  # just ranked: the rows are here already
        return loaded
    stmt = select(Article).where(Article.id.in_(ids)).options(joinedload(Article.author))
    found = {row.id: row for row in db.session.scalars(stmt)}
    return [found[article_id] for article_id in ids if article_id in found]


def by_author(viewer: Any, author: User, limit: int = 10) -> list[Article]:
    """The author's articles for their profile: all of them for the author and moderators, else published."""
    stmt = select(Article).where(Article.author_id == author.id, Article.deleted_at.is_(None))
    if not (is_author(viewer, Article(author_id=author.id)) or is_moderator(viewer)):
        stmt = stmt.where(Article.status == ArticleStatus.PUBLISHED)
    stmt = stmt.order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def my_articles(user: User) -> list[Article]:
    stmt = (
        select(Article)
        .where(Article.author_id == user.id, Article.deleted_at.is_(None))
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .options(joinedload(Article.unit))
    )
    return list(db.session.scalars(stmt))


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


def published_articles_for_index(since: datetime | None = None) -> Iterator[Article]:
    """For the search indexer: published articles (changed since a moment), with competencies and tags."""
    stmt = _list_options(select(Article).where(*_listed()))
    if since is not None:
        stmt = stmt.where(Article.updated_at >= since)
    yield from db.session.scalars(stmt.order_by(Article.id).execution_options(yield_per=200))


def feed_articles(competency_code: str = "", tag_slug_: str = "", limit: int = 20) -> list[Article]:
    page = list_published(ArticleFilters(competency=competency_code, tag=tag_slug_), per_page=limit)
    return page.items


# ---------------------------------------------------------------- views and votes


def record_view(viewer: Any, article_id: int) -> bool:
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


def has_voted(user: Any, article: Article) -> bool:
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


def comment_threads(viewer: Any, article: Article) -> list[CommentThread]:
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
    comment = ArticleComment(
        article_id=article.id, author_id=actor.id, parent_id=parent.id if parent else None, body_md=_check_comment(body)
    )
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


# ---------------------------------------------------------------- for the learning ledger


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
