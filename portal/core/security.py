"""Response headers that every page gets."""

from __future__ import annotations

import re

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


_HOST_NAME = re.compile(r"[A-Za-z0-9._-]{1,63}")


def register_security_headers(app: Flask) -> None:
    host_name = app.config.get("PORTAL_HOST_NAME") or ""
    if host_name and not _HOST_NAME.fullmatch(host_name):
        raise RuntimeError("PORTAL_HOST_NAME: letters, digits, '.', '_' and '-' only (at most 63)")

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if host_name:  # more than one app server: which one answered (docs/operations.md)
            headers["X-Portal-Host"] = host_name
        return response
