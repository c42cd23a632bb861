"""Notification list, marking read, opening, email choices per kind; and the unread badge in the header."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, g, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.exc import SQLAlchemyError

from portal.accounts.current import current_user, current_user_object
from portal.core import fragments
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.pagination import page_arg
from portal.notifications import preferences, services
from portal.notifications.forms import CHOICE_PREFIX, SettingsForm

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")


@bp.get("/")
@login_required
def index():
    page = services.list_for(current_user, page_arg())
    return render("notifications/index.html", page=page)


def _own_or_404(notification_id: int):
    try:
        return services.mark_read(current_user, notification_id)
    except services.NotificationNotFound:
        abort(404)


@bp.post("/<int:notification_id>/baca")
@login_required
def mark_read(notification_id: int):
    notification = _own_or_404(notification_id)
    if is_htmx():
        return render("notifications/_partials/item.html", notification=notification, oob_bell=True)
    return redirect_to(url_for("notifications.index"))


@bp.post("/<int:notification_id>/buka")
@login_required
def open_notification(notification_id: int):
    notification = _own_or_404(notification_id)
    target = notification.url if services.is_local_url(notification.url) else url_for("notifications.index")
    return redirect_to(target)


@bp.post("/baca-semua")
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(_("%(count)d pemberitahuan ditandai sudah dibaca.", count=count), "success")
    return redirect_to(url_for("notifications.index"))


@bp.route("/pengaturan", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        choices = {
            key.removeprefix(CHOICE_PREFIX): value
            for key, value in request.form.items()
            if key.startswith(CHOICE_PREFIX)
        }
        try:
            preferences.save(current_user, choices)
        except preferences.PreferenceError as error:
            flash(str(error.message), "danger")
            status = 400
        else:
            flash(_("Pengaturan notifikasi disimpan."), "success")
            return redirect_to(url_for("notifications.settings"))
    elif form.is_submitted():
        status = 400
    rows = preferences.rows_for(current_user)
    return render(
        "notifications/settings.html",
        status=status,
        form=form,
        rows=rows,
        labels=preferences.CHOICE_LABELS,
        prefix=CHOICE_PREFIX,
    )


def _unread_count() -> int | None:
    """Counted once per change of the notifications table (the fragment cache's change stamps), and only when
    a template asks (the header of a full page): most pages ask the database nothing for the bell."""
    if not current_user.is_authenticated:
        return None
    if "unread_notifications" not in g:
        user = current_user_object()
        try:
            g.unread_notifications = fragments.remembered(
                "notifications.unread", user.id, ("notifications",), lambda: services.unread_count(user)
            )
        except SQLAlchemyError:  # an error page for a broken database must still render
            g.unread_notifications = None
    return g.unread_notifications


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(notification_message=services.message_for)

    @app.context_processor
    def inject_unread_notifications() -> dict:
        return {"unread_notification_count": _unread_count}
