"""Login, registration, password reset and profile pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import services
from portal.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from portal.core.htmx import redirect_to, render
from portal.core.mail import send_mail
from portal.core.views import safe_next_url
from portal.extensions import limiter, login_manager
from portal.units import services as units

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_user(session_id)


def _limit(config_key: str):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"])


def _apply_error(form, error: services.AccountError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def _unit_choices(placeholder: bool = True) -> list[tuple[int, str]]:
    options = units.choices()
    return [(0, _("— Pilih unit kerja —")), *options] if placeholder else options


@bp.route("/masuk", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return redirect_to(safe_next_url(request.args.get("next"), url_for("core.home")))
    return render("accounts/login.html", form=form)


@bp.post("/keluar")
def logout():
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect_to(url_for("core.home"))


@bp.route("/daftar", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        data = services.Registration(
            nip=form.nip.data,
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            unit_id=form.unit_id.data,
            position=form.position.data,
            employment_status=form.employment_status.data,
        )
        try:
            user = services.register(data)
        except services.AccountError as error:
            _apply_error(form, error)
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
        requested = services.request_password_reset(form.identifier.data)
        if requested:
            user, token = requested
            link = url_for("accounts.reset_password", token=token, _external=True)
            hours = current_app.config["PASSWORD_RESET_HOURS"]
            send_mail(
                user.email,
                _("Atur ulang kata sandi Portal Kompetensi ASN"),
                _(
                    "Halo %(name)s,\n\nBuka tautan ini untuk membuat kata sandi baru (berlaku %(hours)d jam, "
                    "sekali pakai):\n%(link)s\n\nAbaikan email ini bila Anda tidak memintanya.",
                    name=user.name,
                    hours=hours,
                    link=link,
                ),
            )
        flash(
            _("Bila NIP/email tersebut terdaftar, kami sudah mengirim tautan atur ulang kata sandi ke email akun itu."),
            "info",
        )
        return redirect_to(url_for("accounts.login"))
    return render("accounts/forgot_password.html", form=form)


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str):
    if services.reset_token_user(token) is None:
        flash(_("Tautan atur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."), "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as error:
            _apply_error(form, error)
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
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            login_user(current_user)  # the session id changed with the password
            flash(_("Kata sandi berhasil diganti."), "success")
            return redirect_to(url_for("accounts.profile", user_id=current_user.id))
    return render("accounts/change_password.html", form=form)


@bp.route("/akun/profil", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                name=form.name.data,
                email=form.email.data,
                unit_id=form.unit_id.data,
                position=form.position.data,
                bio=form.bio.data,
            )
        except services.AccountError as error:
            _apply_error(form, error)
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
    return render("accounts/profile.html", user=user, is_own=user.id == current_user.id)
