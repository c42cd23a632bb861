"""Files attached to an article: stored through ``core.uploads``, served only to readers of the article."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.articles.models import Article, ArticleAttachment
from portal.articles.services.access import _require_edit, can_view
from portal.articles.services.common import ArticleError
from portal.core import uploads
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.extensions import db

UPLOAD_SUBDIR = "articles"
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "pptx", "png", "jpeg")


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
