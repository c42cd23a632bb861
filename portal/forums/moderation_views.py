"""Forum moderation routes on the forums blueprint: reports, the moderation queue, hiding and restoring posts,
locking, pinning and moving threads."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core.htmx import redirect_to, render
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, role_required
from portal.forums import services
from portal.forums.forms import MoveForm
from portal.forums.services import ForumError
from portal.forums.views import _flash_error, _post_or_404, _thread_or_404, bp


@bp.post("/pos/<int:post_id>/laporkan")
@login_required
def report(post_id: int):
    found = _post_or_404(post_id)
    try:
        services.report(current_user, found, request.form.get("reason", ""))
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Terima kasih. Laporan Anda diteruskan ke moderator."), "success")
    return redirect_to(url_for("forums.post", post_id=post_id))


# ---------------------------------------------------------------- moderation


@bp.get("/moderasi")
@role_required(Permission.MODERATE)
def moderation():
    return render("forums/moderation.html", reports=services.open_reports(current_user))


def _back_to(post_id: int) -> str:
    target = request.form.get("next", "")
    return url_for("forums.moderation") if target == "antrean" else url_for("forums.post", post_id=post_id)


@bp.post("/pos/<int:post_id>/sembunyikan")
@role_required(Permission.MODERATE)
def hide(post_id: int):
    found = _post_or_404(post_id)
    try:
        services.hide_post(current_user, found, request.form.get("reason", ""))
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Kiriman disembunyikan dan penulisnya diberi tahu alasannya."), "success")
    return redirect_to(_back_to(post_id))


@bp.post("/pos/<int:post_id>/tampilkan")
@role_required(Permission.MODERATE)
def unhide(post_id: int):
    found = _post_or_404(post_id)
    try:
        services.unhide_post(current_user, found)
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Kiriman ditampilkan kembali."), "success")
    return redirect_to(url_for("forums.post", post_id=post_id))


@bp.post("/pos/<int:post_id>/abaikan-laporan")
@role_required(Permission.MODERATE)
def dismiss(post_id: int):
    found = _post_or_404(post_id)
    try:
        services.dismiss_reports(current_user, found)
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Laporan ditutup; kiriman tetap tampil."), "success")
    return redirect_to(_back_to(post_id))


_THREAD_ACTIONS = {
    "kunci": (services.set_locked, True, _l("Topik dikunci.")),
    "buka-kunci": (services.set_locked, False, _l("Topik dibuka kembali.")),
    "sematkan": (services.set_pinned, True, _l("Topik disematkan di atas kategori.")),
    "lepas-sematan": (services.set_pinned, False, _l("Sematan topik dilepas.")),
}


@bp.post("/t/<int:thread_id>/<any('kunci', 'buka-kunci', 'sematkan', 'lepas-sematan'):action>")
@role_required(Permission.MODERATE)
def moderate_thread(thread_id: int, action: str):
    found = _thread_or_404(thread_id)
    operation, value, message = _THREAD_ACTIONS[action]
    operation(current_user, found, value)
    flash(str(message), "success")
    return redirect_to(url_for("forums.thread", thread_id=thread_id))


@bp.post("/t/<int:thread_id>/pindahkan")
@role_required(Permission.MODERATE)
def move(thread_id: int):
    found = _thread_or_404(thread_id)
    form = MoveForm()
    form.category_id.choices = []
    form.validate_on_submit()
    try:
        target = services.move_thread(current_user, found, form.category_id.data)
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Topik dipindahkan ke %(name)s.", name=target.name), "success")
    return redirect_to(url_for("forums.thread", thread_id=thread_id))


# ---------------------------------------------------------------- categories (admins)
