"""Login, registration, password reset and profile pages."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from portal.accounts import services
from portal.accounts.current import current_user, current_user_object
from portal.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    registration_from,
    status_choices,
    unit_choices,
)
from portal.accounts.models import User
from portal.core import signals
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.mail import send_mail
from portal.core.views import safe_next_url
from portal.extensions import limiter, login_manager

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)


@bp.record_once
def _subscribe(_state: object) -> None:
    signals.language_chosen.connect(_save_language)  # the language switch (core) saves the signed-in choice here


def _save_language(user: User, *, locale: str) -> None:
    services.set_preferred_locale(user, locale)


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_user(session_id)


@login_manager.unauthorized_handler
def _ask_to_log_in():
    """Anonymous visitor on a login-only page: JSON 401 for the API, otherwise the login page.

    For htmx the login page must replace the whole page (HX-Redirect), and ``next`` is the page the user was
    on, not the fragment's URL.
    """
    if request.path.startswith("/api/"):
        return jsonify(error={"code": 401, "message": _("Silakan masuk terlebih dahulu.")}), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    target = request.full_path if request.query_string else request.path
    if request.headers.get("HX-Request") == "true":
        target = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
    return redirect_to(url_for("accounts.login", next=target))


def _limit(config_key: str):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"])


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


@bp.route("/masuk", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data or "", form.password.data or "")
        except services.AccountError as error:
            apply_error(form, error)
        else:
            _renew_csrf_token()
            login_user(user, remember=form.remember.data)
            flash(_("Selamat datang, %(name)s", name=user.name), "success")
            return redirect_to(safe_next_url(request.args.get("next"), url_for("core.home")))
    return render("accounts/login.html", form=form)


def _renew_csrf_token() -> None:
    """A new CSRF secret for the signed-in session: a token seen before login is worthless after it."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def _end_sessions() -> None:
    """Rotate the token (this cookie, a copied one and every remember-me cookie die with it) and sign out."""
    if current_user.is_authenticated:
        services.end_sessions(current_user_object())
    logout_user()


@bp.post("/keluar")
def logout():
    _end_sessions()
    flash(_("Anda sudah keluar."), "info")
    return redirect_to(url_for("core.home"))


@bp.post("/akun/keluar-semua")
@login_required
def logout_everywhere():
    _end_sessions()
    flash(_("Anda sudah keluar dari semua perangkat."), "info")
    return redirect_to(url_for("core.home"))


@bp.route("/daftar", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        data = registration_from(form)
        try:
            user = services.register(data)
        except services.AccountError as error:
            apply_error(form, error)
        else:
            if user.is_verified:
                flash(_("Pendaftaran berhasil. Silakan masuk."), "success")
            else:
                flash(
                    _("Pendaftaran berhasil. Akun Anda menunggu verifikasi admin BKPSDM sebelum dapat dipakai."),
                    "success",
                )
            return redirect_to(url_for("accounts.login"))
    return render("accounts/register.html", form=form)


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        requested = services.request_password_reset(form.identifier.data or "")
        flash(
            _("Bila NIP/email tersebut terdaftar, kami sudah mengirim tautan atur ulang kata sandi ke email akun itu."),
            "info",
        )
        response = redirect_to(url_for("accounts.login"))
        # The mail is written for an unknown account too (and not sent), and sent after the answer has gone out:
        # neither the work in the request nor the mail server's speed tells whether the account exists.
        # (MAIL_DEFERRED, default on except under tests, whose client never closes the response.)
        mail = _reset_mail(*requested) if requested else _reset_mail(None, "x" * 43)
        # The app itself, not the proxy, for the mail sent after the request; flask types the proxy as Flask.
        app = current_app._get_current_object()  # pyright: ignore[reportAttributeAccessIssue]
        if current_app.config.get("MAIL_DEFERRED", not current_app.testing):
            response.call_on_close(lambda: _send_reset_mail(app, mail if requested else None))
        else:
            _send_reset_mail(app, mail if requested else None)
        return response
    return render("accounts/forgot_password.html", form=form)


def _public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


def _reset_mail(user, token: str) -> tuple[int | None, str, str, str]:
    """(user id, to, subject, body) of the reset mail; a stand-in account when ``user`` is None."""
    link = _public_url(url_for("accounts.reset_password", token=token))
    body = _(
        "Halo %(name)s,\n\nBuka tautan ini untuk membuat kata sandi baru (berlaku %(hours)d jam, "
        "sekali pakai):\n%(link)s\n\nAbaikan email ini bila Anda tidak memintanya.",
        name=user.name if user else "ASN",
        hours=current_app.config["PASSWORD_RESET_HOURS"],
        link=link,
    )
    subject = _("Atur ulang kata sandi Portal Kompetensi ASN")
    return (user.id if user else None, user.email if user else "", subject, body)


def _send_reset_mail(app, mail: tuple[int | None, str, str, str] | None) -> None:
    """Runs after the response was sent (outside the request); ``None``: an unknown account, nothing to send."""
    if mail is None:
        return
    user_id, to, subject, body = mail
    with app.app_context():
        try:
            send_mail(to, subject, body)
        except OSError:  # includes SMTP errors; logged, never shown
            log.exception("Password reset mail for user %s could not be sent", user_id)


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str):
    if services.reset_token_user(token) is None:
        flash(_("Tautan atur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."), "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data or "")
        except services.AccountError as error:
            apply_error(form, error)
        else:
            logout_user()
            flash(_("Kata sandi sudah diganti. Silakan masuk dengan kata sandi baru."), "success")
            return redirect_to(url_for("accounts.login"))
    return render("accounts/reset_password.html", form=form)


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user_object()  # login_user() below must get the user, not the proxy
        try:
            services.change_password(user, form.current_password.data or "", form.password.data or "")
        except services.AccountError as error:
            apply_error(form, error)
        else:
            # The session id embeds the token the change just rotated: sign this device in again (other
            # devices stay signed out), renewing its remember-me cookie if it had one.
            login_user(user, remember=_has_remember_cookie())
            flash(_("Kata sandi berhasil diganti."), "success")
            return redirect_to(url_for("accounts.profile", user_id=user.id))
    return render("accounts/change_password.html", form=form)


@bp.route("/akun/profil", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                name=form.name.data or "",
                email=form.email.data or "",
                unit_id=form.unit_id.data,
                position=form.position.data,
                bio=form.bio.data,
                current_password=form.current_password.data,
                handle=form.handle.data,
            )
        except services.AccountError as error:
            apply_error(form, error)
        else:
            flash(_("Profil berhasil disimpan."), "success")
            return redirect_to(url_for("accounts.profile", user_id=current_user.id))
    return render("accounts/edit_profile.html", form=form)


@bp.get("/pegawai/<int:user_id>")
@login_required
def profile(user_id: int):
    user = services.get_user(user_id)
    if user is None or (not user.is_verified and user.id != current_user.id and not current_user.is_admin):
        abort(404)
    return render(
        "accounts/profile.html",
        user=user,
        is_own=user.id == current_user.id,
        status_labels=dict(status_choices()),
        # blocks other features add (articles: the person's articles), through core.signals
        sections=signals.answers(signals.profile_sections, user, viewer=current_user),
    )
