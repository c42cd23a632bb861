"""Pages that belong to no feature: home, language choice, health check."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.core import signals
from portal.core.errors import RETRY_AFTER_SECONDS, safe_rollback
from portal.core.htmx import render
from portal.extensions import db

if TYPE_CHECKING:
    pass

bp = Blueprint("core", __name__)


def safe_next_url(target: str | None, fallback: str) -> str:
    r"""Only same-site relative paths are followed after login or a language switch.

    Browsers read a backslash as a slash and drop tabs and newlines, so "/\evil.example" and
    "/\t/evil.example" would leave the site: targets with either are refused outright.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


@bp.get("/")
def home():
    pages = signals.answers(signals.home_page, current_user._get_current_object())  # the home feature's page
    return pages[0] if pages else render("core/home.html")


@bp.post("/bahasa")
def set_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        flash(_("Bahasa tidak dikenal."), "danger")
    else:
        session["locale"] = locale
        if current_user.is_authenticated:
            signals.language_chosen.send(current_user, locale=locale)  # accounts saves it
    return redirect(safe_next_url(request.form.get("next"), url_for("core.home")))


@bp.get("/healthz")
def health():
    """For load balancers and monitors: JSON either way, 503 while the database cannot be reached."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.error("Health check: database unavailable: %s", error)
        safe_rollback()
        return jsonify(status="unavailable", database="unreachable"), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return jsonify(status="ok")
