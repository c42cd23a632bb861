"""Error pages in the portal's style (HTML), or JSON under /api/. Never a stack trace.

When the database cannot be reached (or stays locked), the answer is 503 with ``Retry-After``, rendered as
for an anonymous visitor: the page must not need the database it could not reach.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, make_response, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from portal.core.database import is_lock_timeout
from portal.core.htmx import render
from portal.core.permissions import PermissionDenied
from portal.extensions import db, login_manager

log = logging.getLogger(__name__)
BUSY_RETRY_AFTER_SECONDS = 5  # a SQLite write lock not had within the busy timeout: "coba lagi" (503)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Permintaan tidak valid"), _("Permintaan yang dikirim tidak dapat diproses.")),
        403: (_("Akses ditolak"), _("Anda tidak memiliki izin untuk membuka halaman ini.")),
        404: (_("Halaman tidak ditemukan"), _("Halaman yang Anda cari tidak ada atau sudah dipindahkan.")),
        405: (_("Metode tidak diizinkan"), _("Alamat ini tidak menerima permintaan seperti itu.")),
        413: (_("Berkas terlalu besar"), _("Berkas yang dikirim melebihi batas ukuran.")),
        429: (
            _("Terlalu banyak percobaan"),
            _("Anda mencoba terlalu sering. Tunggu beberapa menit, lalu coba lagi."),
        ),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan di server. Kejadian ini sudah dicatat untuk tim kami."),
        ),
        503: (
            _("Layanan sedang tidak tersedia"),
            _("Portal sedang tidak dapat menjangkau basis datanya. Coba lagi dalam beberapa saat."),
        ),
    }


RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException) -> bool:
    """The database could not be reached, dropped the connection, or stayed locked past the busy timeout."""
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def _busy_message() -> tuple[str, str]:
    return _("Server sedang sibuk"), _(
        "Terlalu banyak permintaan pada saat yang sama. Tunggu sebentar, lalu coba lagi."
    )


def _render_error(code: int, detail: str | None = None, title: str | None = None):
    default_title, message = _messages().get(code, _messages()[500])
    title = title or default_title
    if detail:
        message = detail
    page = {"code": code, "title": title, "message": message}
    if request.path.startswith("/api/"):
        return jsonify(error=page), code
    return render("errors/error.html", partial="errors/_partials/error.html", status=code, **page)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return _render_error(
            400, _("Sesi formulir sudah kedaluwarsa atau tidak valid. Muat ulang halaman lalu kirim lagi.")
        )

    @app.errorhandler(PermissionDenied)
    def permission_denied(_error: PermissionDenied):
        db.session.rollback()
        return _render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            return _render_error(429)
        return _render_error(error.code or 500)

    @app.errorhandler(OverflowError)
    @app.errorhandler(sa_exc.DataError)
    def out_of_range(error: Exception):
        """A safety net: a number beyond the column's range or a NUL byte reached a query (SQLite refuses such an
        int with OverflowError, PostgreSQL with a DataError). The input is at fault: 400, and the missing check is
        logged, because ids and text are meant to be checked before (``portal.core.inputs``, ``PortalForm``)."""
        log.error("Unchecked input reached the database on %s %s", request.method, request.path, exc_info=error)
        safe_rollback()
        return _render_error(400)

    @app.errorhandler(sa_exc.OperationalError)
    def database_busy(error: sa_exc.OperationalError):
        """A SQLite write lock not had within the busy timeout is a busy server ("coba lagi"), not a fault; any other
        operational error means the database could not be reached."""
        if not is_lock_timeout(error):
            return _unavailable(error)
        log.warning("Database write lock not available on %s %s: answered 503", request.method, request.path)
        safe_rollback()
        title, message = _busy_message()
        response = make_response(_render_error(503, message, title))
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return http_error(error)
        if database_unavailable(error):
            return _unavailable(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render_error(500)


def safe_rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing to roll back
        log.debug("Rollback failed", exc_info=True)


def _unavailable(error: Exception):
    log.error("Database unavailable on %s %s: %s", request.method, request.path, error)
    safe_rollback()
    g._login_user = login_manager.anonymous_user()  # the page must not look the signed-in user up again
    try:
        response = make_response(_render_error(503))
    except Exception:  # a template helper still needed the database: the same message, without the layout
        log.debug("Rendering the 503 page failed", exc_info=True)
        title, message = _messages()[503]
        page = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
