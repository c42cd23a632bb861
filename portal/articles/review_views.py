"""Article review routes on the articles blueprint: publish, approve, return/withdraw/archive/delete, restore,
and the revision history with its comparison and restore."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.articles import services
from portal.articles.services import ArticleError
from portal.articles.views import _editable, _flash_error, _int_arg, _publish_message, _visible, bp
from portal.core.htmx import redirect_to, render
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, role_required


@bp.post("/artikel/<int:article_id>/terbitkan")
@login_required
def publish(article_id: int):
    article = _editable(article_id)
    try:
        services.publish(current_user, article)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_publish_message(article), "success")
    return redirect_to(url_for("articles.show", article_id=article_id))


@bp.post("/artikel/<int:article_id>/setujui")
@login_required
def approve(article_id: int):
    article = _visible(article_id)
    try:
        services.approve(current_user, article)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Artikel disetujui dan sudah terbit."), "success")
    return redirect_to(url_for("articles.show", article_id=article_id))


_MODERATION = {
    "kembalikan": (services.return_for_changes, _l("Artikel dikembalikan kepada penulis.")),
    "tarik": (services.unpublish, _l("Artikel ditarik dari publikasi.")),
    "arsipkan": (services.archive, _l("Artikel diarsipkan.")),
    "hapus": (services.delete, _l("Artikel dihapus.")),
}


@bp.post("/artikel/<int:article_id>/<any(kembalikan, tarik, arsipkan, hapus):action>")
@login_required
def moderate(article_id: int, action: str):
    article = _visible(article_id)
    operation, message = _MODERATION[action]
    try:
        operation(current_user, article, request.form.get("reason", ""))
    except ArticleError as error:
        _flash_error(error)
        return redirect_to(url_for("articles.show", article_id=article_id))
    flash(str(message), "success")
    if action == "hapus":
        return redirect_to(url_for("articles.mine"))
    return redirect_to(url_for("articles.show", article_id=article_id))


@bp.post("/artikel/<int:article_id>/pulihkan")
@role_required(Permission.MANAGE_CONTENT)
def restore(article_id: int):
    article = _visible(article_id)
    try:
        services.restore(current_user, article)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Artikel dipulihkan."), "success")
    return redirect_to(url_for("articles.show", article_id=article_id))


# ---------------------------------------------------------------- revisions


@bp.get("/artikel/<int:article_id>/riwayat")
@login_required
def history(article_id: int):
    article = _visible(article_id)
    return render(
        "articles/history.html",
        article=article,
        revisions=services.revisions(current_user, article),
        can_edit=services.can_edit(current_user, article),
    )


@bp.get("/artikel/<int:article_id>/riwayat/banding")
@login_required
def compare(article_id: int):
    article = _visible(article_id)
    old, new = _int_arg("dari"), _int_arg("ke")
    try:
        diff = services.compare(current_user, article, old or 0, new or 0)
    except ArticleError as error:
        _flash_error(error)
        return redirect(url_for("articles.history", article_id=article_id))
    return render("articles/compare.html", article=article, diff=diff)


@bp.post("/artikel/<int:article_id>/riwayat/<int:number>/pulihkan")
@login_required
def restore_revision(article_id: int, number: int):
    article = _editable(article_id)
    try:
        revision = services.restore_revision(current_user, article, number)
    except ArticleError as error:
        _flash_error(error)
    else:
        flash(_("Revisi %(old)d dipulihkan sebagai revisi %(new)d.", old=number, new=revision.number), "success")
    return redirect_to(url_for("articles.history", article_id=article_id))


# ---------------------------------------------------------------- attachments
