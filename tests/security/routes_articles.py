"""Authorization rows for knowledge articles (format: see test_access_matrix.py).

The member persona writes every article the needs create. Published articles are for every signed-in user;
drafts and articles in review for their author and moderators (others get 404, as if they did not exist);
editing for the author and moderators; moderation for moderators; restoring and settings for admins. Feeds
are public.
"""

import io

from werkzeug.datastructures import FileStorage

from portal.articles import services
from portal.articles.models import ArticleStatus
from portal.articles.services import ArticleInput
from portal.extensions import db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _article(ctx, status: str = "published", title: str = "Melayani Warga di MPP"):
    article = services.create(ctx.member, ArticleInput(title=title, body="Isi artikel.", tags=["mpp"]))
    if status != "draft":
        services.publish(ctx.member, article)
    if status == "in_review":
        article.status = ArticleStatus.IN_REVIEW
        db.session.commit()
    return article


def _article_need(ctx):
    article = _article(ctx)
    return {"article_id": article.id, "tag_slug": "mpp"}


def _draft_need(ctx):
    return {"draft_id": _article(ctx, "draft", "Draf rahasia penulis").id}


def _review_need(ctx):
    return {"review_id": _article(ctx, "in_review", "Menunggu tinjauan").id}


def _deleted_need(ctx):
    article = _article(ctx, title="Artikel yang dihapus")
    services.delete(ctx.member, article)
    return {"deleted_id": article.id}


def _revisions_need(ctx):
    article = _article(ctx, title="Artikel dengan riwayat")
    services.update(ctx.member, article, ArticleInput(title=article.title, body="Isi kedua.", note="revisi"))
    return {"article_id": article.id}


def _comment_need(ctx):
    article = _article(ctx, title="Artikel berkomentar")
    return {"article_id": article.id, "comment_id": services.add_comment(ctx.member, article, "Komentar saya").id}


def _attached(ctx, status: str):
    article = _article(ctx, status, "Artikel berlampiran")
    attachment = services.add_attachment(ctx.member, article, FileStorage(io.BytesIO(PNG), "denah.png"))
    return {"article_id": article.id, "attachment_id": attachment.id, "stored_name": attachment.stored_name}


NEEDS = {
    "article": _article_need,
    "draft_article": _draft_need,
    "review_article": _review_need,
    "deleted_article": _deleted_need,
    "article_revisions": _revisions_need,
    "article_comment": _comment_need,
    "article_attachment": lambda ctx: _attached(ctx, "published"),
    "draft_attachment": lambda ctx: _attached(ctx, "draft"),
}

PAGE = _outcomes("login", 200)
FORM = _outcomes("login", "ok")
ACTION = _outcomes("login", "redirect")
PUBLIC = _outcomes(200, 200)
MODERATOR_PAGE = _outcomes("login", 403, moderator=200, admin=200)
ADMIN_PAGE = _outcomes("login", 403, admin=200)
ADMIN_FORM = _outcomes("login", 403, admin="ok")
ADMIN_ACTION = _outcomes("login", 403, admin="redirect")
# Someone else's draft is not found; the author and moderators get the given outcome.
DRAFT = {"anonymous": "login", "organizer": 404, "other_unit_member": 404}
# Someone else's published article can be read but not changed.
EDIT = {"anonymous": "login", "organizer": 403, "other_unit_member": 403}


def _draft(outcome):
    return {**DRAFT, **dict.fromkeys(("member", "moderator", "admin"), outcome)}


def _edit(outcome):
    return {**EDIT, **dict.fromkeys(("member", "moderator", "admin"), outcome)}


def _row(endpoint, method, path, expect, *needs, data=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    if data:
        row["data"] = data
    return row


ROUTES = [
    _row("articles.index", "GET", "/artikel", PAGE),
    _row("articles.tag", "GET", "/artikel/tag/{tag_slug}", PAGE, "article"),
    _row("articles.competency", "GET", "/artikel/kompetensi/{competency_code}", PAGE, "competency"),
    _row("articles.mine", "GET", "/artikel/saya", PAGE),
    _row("articles.review_queue", "GET", "/artikel/tinjauan", MODERATOR_PAGE),
    _row("articles.deleted", "GET", "/artikel/terhapus", ADMIN_PAGE),
    _row("articles.review_settings", "GET", "/artikel/pengaturan", ADMIN_PAGE),
    _row("articles.review_settings", "POST", "/artikel/pengaturan", ADMIN_FORM),
    _row("articles.feed", "GET", "/artikel/feed.atom", PUBLIC),
    _row("articles.tag_feed", "GET", "/artikel/tag/{tag_slug}/feed.atom", PUBLIC, "article"),
    _row("articles.competency_feed", "GET", "/artikel/kompetensi/{competency_code}/feed.atom", PUBLIC, "competency"),
    _row("articles.show", "GET", "/artikel/{article_id}", PAGE, "article"),
    _row("articles.show", "GET", "/artikel/{draft_id}", _draft(200), "draft_article"),
    _row("articles.show", "GET", "/artikel/{deleted_id}", _outcomes("login", 404, admin=200), "deleted_article"),
    # The author cannot vote for their own article: refused with a message, like everyone's vote a redirect.
    _row("articles.vote", "POST", "/artikel/{article_id}/bermanfaat", ACTION, "article"),
    _row("articles.vote", "POST", "/artikel/{draft_id}/bermanfaat", _draft("redirect"), "draft_article"),
    _row("articles.create", "GET", "/artikel/tulis", PAGE),
    _row("articles.create", "POST", "/artikel/tulis", FORM),
    _row("articles.edit", "GET", "/artikel/{article_id}/ubah", _edit(200), "article"),
    _row("articles.edit", "POST", "/artikel/{article_id}/ubah", _edit("ok"), "article"),
    _row("articles.edit", "GET", "/artikel/{draft_id}/ubah", _draft(200), "draft_article"),
    _row("articles.autosave", "POST", "/artikel/{draft_id}/autosimpan", _draft(200), "draft_article"),
    _row("articles.preview", "POST", "/artikel/pratinjau", _outcomes("login", 200), data={"body": "*hai*"}),
    _row("articles.tag_suggestions", "GET", "/artikel/tag-saran", PAGE),
    _row("articles.publish", "POST", "/artikel/{draft_id}/terbitkan", _draft("redirect"), "draft_article"),
    _row(
        "articles.approve",
        "POST",
        "/artikel/{review_id}/setujui",
        {**DRAFT, "member": 403, "moderator": "redirect", "admin": "redirect"},
        "review_article",
    ),
    _row(
        "articles.moderate",
        "POST",
        "/artikel/{article_id}/tarik",
        _outcomes("login", 403, moderator="redirect", admin="redirect"),
        "article",
        data={"reason": "Memuat data pribadi."},
    ),
    _row("articles.moderate", "POST", "/artikel/{article_id}/hapus", _edit("redirect"), "article"),
    _row("articles.restore", "POST", "/artikel/{deleted_id}/pulihkan", ADMIN_ACTION, "deleted_article"),
    _row("articles.history", "GET", "/artikel/{article_id}/riwayat", PAGE, "article_revisions"),
    _row("articles.history", "GET", "/artikel/{draft_id}/riwayat", _draft(200), "draft_article"),
    _row("articles.compare", "GET", "/artikel/{article_id}/riwayat/banding", ACTION, "article_revisions"),
    _row(
        "articles.restore_revision",
        "POST",
        "/artikel/{article_id}/riwayat/1/pulihkan",
        _edit("redirect"),
        "article_revisions",
    ),
    _row("articles.upload", "POST", "/artikel/{article_id}/lampiran", _edit("redirect"), "article"),
    _row(
        "articles.remove_attachment",
        "POST",
        "/artikel/{article_id}/lampiran/{attachment_id}/hapus",
        _edit("redirect"),
        "article_attachment",
    ),
    _row("articles.attachment", "GET", "/lampiran/artikel/{article_id}/{stored_name}", PAGE, "article_attachment"),
    _row("articles.attachment", "GET", "/lampiran/artikel/{article_id}/{stored_name}", _draft(200), "draft_attachment"),
    _row("articles.comment", "POST", "/artikel/{article_id}/komentar", ACTION, "article"),
    _row("articles.comment", "POST", "/artikel/{draft_id}/komentar", _draft("redirect"), "draft_article"),
    _row(
        "articles.edit_comment",
        "GET",
        "/artikel/komentar/{comment_id}/ubah",
        _outcomes("login", 403, member=200),
        "article_comment",
    ),
    _row(
        "articles.edit_comment",
        "POST",
        "/artikel/komentar/{comment_id}/ubah",
        _outcomes("login", 403, member="ok"),
        "article_comment",
    ),
    _row(
        "articles.delete_comment",
        "POST",
        "/artikel/komentar/{comment_id}/hapus",
        _outcomes("login", 403, member="redirect"),
        "article_comment",
    ),
    _row(
        "articles.hide_comment",
        "POST",
        "/artikel/komentar/{comment_id}/sembunyikan",
        _outcomes("login", 403, moderator="redirect", admin="redirect"),
        "article_comment",
    ),
]
