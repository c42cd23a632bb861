"""Files attached to an article: stored through ``core.uploads``, served only to readers of the article."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.articles.models import Article, ArticleAttachment, ArticleStatus
from portal.articles.services.access import _require_edit, can_view
from portal.articles.services.authoring import ArticleInput, create, update, validate_input
from portal.articles.services.common import ArticleError
from portal.core import uploads
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.extensions import db

UPLOAD_SUBDIR = "articles"
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "pptx", "png", "jpeg")


def _check_room(article: Article | None) -> None:
    limit = current_app.config["ARTICLES_MAX_ATTACHMENTS"]
    if article is not None and len(article.attachments) >= limit:
        raise ArticleError(_l("Paling banyak %(max)d lampiran per artikel.", max=limit), "file")


def _store(file: FileStorage | None) -> uploads.StoredFile:
    if file is None or not file.filename:
        raise ArticleError(_l("Pilih berkas yang akan dilampirkan."), "file")
    max_bytes = int(current_app.config.get("MAX_UPLOAD_MB", 10)) * 1024 * 1024
    try:
        return uploads.save_upload(file, ATTACHMENT_KINDS, max_bytes, UPLOAD_SUBDIR)
    except uploads.UploadError as error:
        raise ArticleError(str(error), "file") from None


def _attachment(actor: User, article: Article, stored: uploads.StoredFile) -> ArticleAttachment:
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
    article.attachments.append(attachment)
    return attachment


def add_attachment(actor: User, article: Article, file: FileStorage | None) -> ArticleAttachment:
    _require_edit(actor, article)
    _check_room(article)
    stored = _store(file)
    try:
        attachment = _attachment(actor, article, stored)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete_stored(UPLOAD_SUBDIR, stored.stored_name)
        raise
    return attachment


def attachment_url(attachment: ArticleAttachment) -> str:
    values = {"article_id": attachment.article_id, "stored_name": attachment.stored_name}
    if has_request_context():
        return url_for("articles.attachment", **values)
    return current_app.url_map.bind("").build("articles.attachment", values)


def attachment_markdown(attachment: ArticleAttachment) -> str:
    """What the editor inserts for the file: an image for PNG/JPEG, a link for documents."""
    name = re.sub(r"[\[\]\n]", " ", attachment.original_name).strip()
    link = f"[{name}]({attachment_url(attachment)})"
    return f"![{name}]({attachment_url(attachment)})" if attachment.is_image else link


def insert_at(body: str, snippet: str, cursor: int | None) -> str:
    """``body`` with ``snippet`` on a line of its own at ``cursor`` (a character offset; the end when unknown)."""
    position = len(body) if cursor is None else max(0, min(cursor, len(body)))
    before, after = body[:position], body[position:]
    if before and not before.endswith("\n"):
        before += "\n"
    if after and not after.startswith("\n"):
        after = "\n" + after
    return f"{before}{snippet}{after}"


@dataclass
class EditorUpload:
    article: Article
    attachment: ArticleAttachment
    body: str  # the editor's text with the file inserted at the cursor
    saved: bool  # whether that text was saved (drafts), or only given back to the editor (published articles)


def upload_into_text(
    actor: User, article: Article | None, data: ArticleInput, file: FileStorage | None, cursor: int | None
) -> EditorUpload:
    """The editor's "upload and insert": nothing typed is lost, and the file goes where the cursor was.

    A new article is first saved as a draft with the text as typed, and a draft keeps being saved (as autosave
    does), both with the file's Markdown inserted. A published article's text is not saved (each save there is a
    revision): the editor gets the text back with the file inserted, to save when the writer is ready. A refused
    file changes nothing.
    """
    if article is not None:
        _require_edit(actor, article)
    elif not getattr(actor, "is_active", False):
        raise PermissionDenied("article.create")
    _check_room(article)
    validate_input(data, actor if article is None else article.author)  # a bad field stops before the file is kept
    stored = _store(file)
    try:
        if article is None:
            article = create(actor, data)
        attachment = _attachment(actor, article, stored)
        db.session.flush()
        body = insert_at((data.body or "").replace("\r\n", "\n"), attachment_markdown(attachment), cursor)
        saved = article.status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW)
        if saved:
            update(actor, article, replace(data, body=body))
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete_stored(UPLOAD_SUBDIR, stored.stored_name)
        raise
    return EditorUpload(article, attachment, body, saved)


def remove_attachment(actor: User, article: Article, attachment_id: int) -> None:
    _require_edit(actor, article)
    attachment = next((a for a in article.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise ArticleError(_l("Lampiran tidak ditemukan."))
    stored_name = attachment.stored_name
    article.attachments.remove(attachment)
    db.session.commit()
    uploads.delete_stored(UPLOAD_SUBDIR, stored_name)


def attachment_for(viewer: Actor, article_id: int, stored_name: str) -> ArticleAttachment | None:
    """The attachment if the viewer may read its article; None otherwise."""
    attachment = db.session.scalar(
        select(ArticleAttachment).where(
            ArticleAttachment.article_id == article_id, ArticleAttachment.stored_name == stored_name
        )
    )
    if attachment is None or not can_view(viewer, attachment.article):
        return None
    return attachment
