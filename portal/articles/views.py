"""Article pages: browse, read, write, review, history, attachments, comments, feeds."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.articles import feeds, services
from portal.articles.forms import ArticleForm, AttachmentForm, CommentForm, ReviewUnitsForm
from portal.articles.models import Article, ArticleStatus
from portal.articles.services import ArticleError, ArticleFilters, ArticleInput
from portal.competencies import services as competencies
from portal.core import fragments, uploads
from portal.core.forms import apply_error
from portal.core.htmx import html, is_htmx, redirect_to, render
from portal.core.inputs import db_int, int_arg
from portal.core.permissions import Permission, role_required
from portal.extensions import db
from portal.units import services as units

bp = Blueprint("articles", __name__)


def _visible(article_id: int) -> Article:
    article = services.get_visible(current_user, article_id)
    if article is None:
        abort(404)
    return article


def _editable(article_id: int) -> Article:
    article = _visible(article_id)
    if not services.can_edit(current_user, article):
        abort(403)
    return article


def _int_arg(name: str) -> int | None:
    return int_arg(name, minimum=0)


# ---------------------------------------------------------------- browsing


# Everything a list fragment shows: articles with their counts, authors' names, unit labels, competencies, tags.
LIST_TABLES = ("articles", "users", "units", "competencies", "article_competencies", "tags", "article_tags")


def _list_page(filters: ArticleFilters, heading: str | None = None, feed_url: str | None = None):
    """The filters and cards are the same for every reader (published articles only), so they are one cached
    fragment keyed by the URL, and the database is not asked again until an article, tag, name... changes."""
    cursor = request.args.get("setelah")
    more = bool(cursor) and is_htmx()  # "load more": the next cards only
    feed_url = feed_url or url_for("articles.feed")

    def list_body() -> str:
        context = {
            "page": services.list_published(filters, cursor),
            "filters": filters,
            "sorts": services.SORTS,
            "feed_url": feed_url,
        }
        if more:
            return render_template("articles/_partials/article_items.html", **context)
        return render_template(
            "articles/_partials/list_body.html",
            competency_choices=competencies.list_active(),
            unit_choices=units.list_active(),
            popular_tags=services.popular_tags(),
            **context,
        )

    body = fragments.cached("articles.list", (fragments.request_key(), more), LIST_TABLES, list_body)
    if more:
        return html(body)
    return render("articles/index.html", body=body, heading=heading or _("Artikel pengetahuan"), feed_url=feed_url)


def _filters(**fixed: Any) -> ArticleFilters:
    filters = ArticleFilters(
        competency=request.args.get("kompetensi", ""),
        tag=request.args.get("tag", ""),
        unit_id=_int_arg("unit"),
        author_id=_int_arg("penulis"),
        sort=request.args.get("urut", "newest"),
    )
    for key, value in fixed.items():
        setattr(filters, key, value)
    return filters


@bp.get("/artikel")
@login_required
def index():
    return _list_page(_filters())


@bp.get("/artikel/tag/<slug>")
@login_required
def tag(slug: str):
    found = services.get_tag(slug)
    if found is None:
        abort(404)
    return _list_page(
        _filters(tag=found.slug),
        heading=_('Artikel bertag "%(tag)s"', tag=found.name),
        feed_url=url_for("articles.tag_feed", slug=found.slug),
    )


@bp.get("/artikel/kompetensi/<code>")
@login_required
def competency(code: str):
    found = competencies.get_by_code(code)
    if found is None or not found.is_active:
        abort(404)
    return _list_page(
        _filters(competency=found.code),
        heading=_("Artikel kompetensi %(name)s", name=str(found)),
        feed_url=url_for("articles.competency_feed", code=found.code),
    )


@bp.get("/artikel/saya")
@login_required
def mine():
    return render("articles/mine.html", articles=services.my_articles(current_user))


@bp.get("/artikel/tinjauan")
@role_required(Permission.MODERATE)
def review_queue():
    return render("articles/review_queue.html", articles=services.review_queue(current_user))


@bp.get("/artikel/terhapus")
@role_required(Permission.MANAGE_CONTENT)
def deleted():
    return render("articles/deleted.html", articles=services.deleted_articles(current_user))


@bp.route("/artikel/pengaturan", methods=["GET", "POST"])
@role_required(Permission.MANAGE_CONTENT)
def review_settings():
    form = ReviewUnitsForm()
    all_units = units.list_active()
    if form.validate_on_submit():
        services.set_review_units(current_user, form.unit_ids.data or [])
        flash(_("Pengaturan tinjauan disimpan."), "success")
        return redirect_to(url_for("articles.review_settings"))
    return render("articles/review_settings.html", form=form, units=all_units, selected=services.review_unit_ids())


# ---------------------------------------------------------------- feeds (public: see feeds.py)


@bp.get("/artikel/feed.atom")
def feed():
    return feeds.atom_response(
        services.feed_articles(limit=feeds.FEED_SIZE),
        _("Artikel terbaru"),
        url_for("articles.feed", _external=True),
        url_for("articles.index", _external=True),
    )


@bp.get("/artikel/tag/<slug>/feed.atom")
def tag_feed(slug: str):
    found = services.get_tag(slug)
    if found is None:
        abort(404)
    return feeds.atom_response(
        services.feed_articles(tag_slug_=found.slug, limit=feeds.FEED_SIZE),
        _('Artikel bertag "%(tag)s"', tag=found.name),
        url_for("articles.tag_feed", slug=found.slug, _external=True),
        url_for("articles.tag", slug=found.slug, _external=True),
    )


@bp.get("/artikel/kompetensi/<code>/feed.atom")
def competency_feed(code: str):
    found = competencies.get_by_code(code)
    if found is None or not found.is_active:
        abort(404)
    return feeds.atom_response(
        services.feed_articles(competency_code=found.code, limit=feeds.FEED_SIZE),
        _("Artikel kompetensi %(name)s", name=str(found)),
        url_for("articles.competency_feed", code=found.code, _external=True),
        url_for("articles.competency", code=found.code, _external=True),
    )


# ---------------------------------------------------------------- reading


@bp.get("/artikel/<int:article_id>")
@login_required
def show(article_id: int):
    services.record_view(current_user, article_id)  # before loading: its commit would expire what we load
    article = _visible(article_id)
    services.refresh_rendering(article)
    return render("articles/show.html", **_show_context(article))


def _show_context(article: Article, comment_form: CommentForm | None = None) -> dict[str, Any]:
    return {
        "article": article,
        "voted": services.has_voted(current_user, article),
        "threads": services.comment_threads(current_user, article),
        "related": services.related(article),
        "comment_form": comment_form or CommentForm(),
        "can_edit": services.can_edit(current_user, article),
        "is_moderator": services.is_moderator(current_user),
        "review_required": services.review_required(article.unit_id),
    }


@bp.post("/artikel/<int:article_id>/bermanfaat")
@login_required
def vote(article_id: int):
    article = _visible(article_id)
    try:
        voted = services.toggle_vote(current_user, article)
    except ArticleError as error:
        if is_htmx():
            return render("articles/_partials/vote.html", article=article, voted=False, error=str(error.message))
        flash(str(error.message), "danger")
        return redirect(url_for("articles.show", article_id=article_id))
    if is_htmx():
        article = services.get(article_id)
        return render("articles/_partials/vote.html", article=article, voted=voted)
    return redirect(url_for("articles.show", article_id=article_id))


# ---------------------------------------------------------------- writing


def _article_form(article: Article | None = None) -> ArticleForm:
    form = ArticleForm(obj=None)
    form.competencies.choices = [(c.code, str(c)) for c in competencies.list_active()]
    form.unit_id.choices = units.choices()
    if request.method == "GET":
        if article is None:
            form.unit_id.data = current_user.unit_id
        else:
            form.title.data = article.title
            form.summary.data = article.summary
            form.body.data = article.body_md
            form.competencies.data = [c.code for c in article.competencies]
            form.tags.data = ", ".join(t.name for t in article.tags)
            form.unit_id.data = article.unit_id
    return form


def _input(form: ArticleForm) -> ArticleInput:
    return ArticleInput(
        title=form.title.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        competency_codes=form.competencies.data or [],
        tags=form.tags.data or "",
        unit_id=form.unit_id.data,
        note=form.note.data or "",
    )


def _publish_message(article: Article) -> str:
    if article.status == ArticleStatus.IN_REVIEW:
        return _("Artikel diajukan untuk ditinjau moderator. Anda akan diberi tahu hasilnya.")
    return _("Artikel sudah terbit.")


def _upload_into_text(form: ArticleForm, article: Article | None):
    """ "Unggah dan sisipkan" without losing the text: a draft is saved with the file inserted at the cursor; a
    published article's editor comes back with it inserted, unsaved. Returns a response, or None to re-show."""
    cursor = db_int(form.cursor.data, minimum=0)
    try:
        done = services.upload_into_text(current_user, article, _input(form), form.file.data, cursor)
    except ArticleError as error:
        apply_error(form, error)
        return None
    if done.saved:
        flash(_("Berkas diunggah dan disisipkan ke isi artikel. Draf disimpan."), "success")
        return redirect_to(url_for("articles.edit", article_id=done.article.id))
    form.body.data = done.body
    flash(_("Berkas diunggah dan disisipkan ke isi artikel. Simpan perubahan agar tercatat."), "info")
    return render("articles/edit.html", form=form, article=done.article, **_editor_context(done.article, form))


def _save(form: ArticleForm, article: Article | None):
    """Save the form; publish too when that button was pressed. Returns a response, or None to re-show."""
    if request.form.get("action") == "upload":
        return _upload_into_text(form, article)
    try:
        if article is None:
            article = services.create(current_user, _input(form))
        else:
            services.update(current_user, article, _input(form))
    except ArticleError as error:
        apply_error(form, error)
        return None
    if request.form.get("action") != "publish":
        flash(_("Artikel disimpan."), "success")
        target = "articles.show" if article.status == ArticleStatus.PUBLISHED else "articles.edit"
        return redirect_to(url_for(target, article_id=article.id))
    try:
        services.publish(current_user, article)
    except ArticleError as error:
        flash(_("Draf disimpan, tetapi belum bisa diterbitkan: %(reason)s", reason=error.message), "warning")
        return redirect_to(url_for("articles.edit", article_id=article.id))
    flash(_publish_message(article), "success")
    return redirect_to(url_for("articles.show", article_id=article.id))


@bp.route("/artikel/tulis", methods=["GET", "POST"])
@login_required
def create():
    form = _article_form()
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return render("articles/edit.html", form=form, article=None, **_editor_context(None, form))


@bp.route("/artikel/<int:article_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(article_id: int):
    article = _editable(article_id)
    form = _article_form(article)
    if form.validate_on_submit():
        response = _save(form, article)
        if response is not None:
            return response
    return render("articles/edit.html", form=form, article=article, **_editor_context(article, form))


def _editor_context(article: Article | None, form: ArticleForm) -> dict[str, Any]:
    return {
        "preview_html": services.preview(form.body.data or ""),
        "attachment_form": AttachmentForm(),
        "limits": services.settings(),
        "review_required": services.review_required(article.unit_id if article else current_user.unit_id)
        and not services.is_moderator(current_user),
    }


@bp.post("/artikel/<int:article_id>/autosimpan")
@login_required
def autosave(article_id: int):
    article = _editable(article_id)
    form = _article_form(article)
    form.validate()
    try:
        services.autosave(current_user, article, _input(form))
    except ArticleError as error:
        return render("articles/_partials/autosave.html", error=str(error.message))
    return render("articles/_partials/autosave.html", article=article)


@bp.post("/artikel/pratinjau")
@login_required
def preview():
    return render("articles/_partials/preview.html", body_html=services.preview(request.form.get("body", "")))


@bp.get("/artikel/tag-saran")
@login_required
def tag_suggestions():
    return render("articles/_partials/tag_suggestions.html", tags=services.suggest_tags(request.args.get("tags", "")))


# ---------------------------------------------------------------- workflow


def _flash_error(error: ArticleError) -> None:
    flash(str(error.message), "danger")


@bp.post("/artikel/<int:article_id>/lampiran")
@login_required
def upload(article_id: int):
    """Without JavaScript the attachment form; with it, the editor's paste, drop and upload button (htmx-style
    request): the answer is the attachment list, and ``HX-Trigger`` carries the Markdown to insert at the cursor."""
    article = _editable(article_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            added = services.add_attachment(current_user, article, form.file.data)
        except ArticleError as error:
            if is_htmx():
                return _attachment_list(article, error=str(error.message))
            _flash_error(error)
        else:
            if is_htmx():
                response = _attachment_list(article)
                markdown = services.attachment_markdown(added)
                response.headers["HX-Trigger"] = json.dumps({"article-attachment": {"markdown": markdown}})
                return response
            flash(_("Lampiran ditambahkan."), "success")
    return redirect_to(url_for("articles.edit", article_id=article_id) + "#lampiran")


def _attachment_list(article: Article, error: str | None = None):
    db.session.refresh(article)
    return render(
        "articles/_partials/attachments.html", article=article, limits=services.settings(), upload_error=error
    )


@bp.post("/artikel/<int:article_id>/lampiran/<int:attachment_id>/hapus")
@login_required
def remove_attachment(article_id: int, attachment_id: int):
    article = _editable(article_id)
    try:
        services.remove_attachment(current_user, article, attachment_id)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Lampiran dihapus."), "success")
    return redirect_to(url_for("articles.edit", article_id=article_id) + "#lampiran")


@bp.get("/lampiran/artikel/<int:article_id>/<stored_name>")
@login_required
def attachment(article_id: int, stored_name: str):
    found = services.attachment_for(current_user, article_id, stored_name)
    if found is None:
        abort(404)
    return uploads.send_stored(
        services.UPLOAD_SUBDIR, found.stored_name, found.original_name, found.mime, inline=found.is_image
    )


# ---------------------------------------------------------------- comments


def _comments_response(article: Article, form: CommentForm | None = None):
    if is_htmx():
        context = _show_context(article, form)
        return render("articles/_partials/comments.html", **context)
    return redirect(url_for("articles.show", article_id=article.id) + "#komentar")


@bp.post("/artikel/<int:article_id>/komentar")
@login_required
def comment(article_id: int):
    article = _visible(article_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(current_user, article, form.body.data or "", form.parent_id.data)
        except ArticleError as error:
            apply_error(form, error)
        else:
            return _comments_response(article, CommentForm(formdata=None))  # posted: an empty box for the next one
    if not is_htmx():
        for message in [*form.body.errors, *form.parent_id.errors, *form.form_errors]:
            flash(str(message), "danger")
    return _comments_response(article, form)


def _comment_or_404(comment_id: int):
    found = services.get_comment(comment_id)
    if found is None:
        abort(404)
    article = _visible(found.article_id)
    return found, article


@bp.route("/artikel/komentar/<int:comment_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    found, article = _comment_or_404(comment_id)
    if found.author_id != current_user.id:
        abort(403)
    form = CommentForm(data={"body": found.body_md} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_comment(current_user, found, form.body.data or "")
        except ArticleError as error:
            apply_error(form, error)
        else:
            flash(_("Komentar diperbarui."), "success")
            return redirect_to(url_for("articles.show", article_id=article.id) + f"#komentar-{found.id}")
    return render("articles/edit_comment.html", form=form, comment=found, article=article)


@bp.post("/artikel/komentar/<int:comment_id>/hapus")
@login_required
def delete_comment(comment_id: int):
    found, article = _comment_or_404(comment_id)
    try:
        services.delete_comment(current_user, found)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Komentar dihapus."), "success")
    return redirect_to(url_for("articles.show", article_id=article.id) + "#komentar")


@bp.post("/artikel/komentar/<int:comment_id>/sembunyikan")
@login_required
def hide_comment(comment_id: int):
    found, article = _comment_or_404(comment_id)
    try:
        services.hide_comment(current_user, found, request.form.get("reason", ""))
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Komentar disembunyikan."), "success")
    return redirect_to(url_for("articles.show", article_id=article.id) + "#komentar")
