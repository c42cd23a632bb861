"""Error pages in the portal's style (HTML), or JSON under /api/. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.core.database import is_lock_timeout
from portal.core.htmx import render
from portal.core.permissions import PermissionDenied
from portal.extensions import db

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
        503: (
            _("Server sedang sibuk"),
            _("Terlalu banyak permintaan pada saat yang sama. Tunggu sebentar, lalu coba lagi."),
        ),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan di server. Kejadian ini sudah dicatat untuk tim kami."),
        ),
    }


def _render_error(code: int, detail: str | None = None):
    title, message = _messages().get(code, _messages()[500])
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

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        if not is_lock_timeout(error):
            return unhandled(error)
        log.warning("Database write lock not available on %s %s: answered 503", request.method, request.path)
        db.session.rollback()
        response = make_response(_render_error(503))
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return http_error(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render_error(InternalServerError.code)
