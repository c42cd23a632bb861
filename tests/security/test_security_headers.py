"""Every response carries the hardening headers, and the CSP allows no inline code."""

from __future__ import annotations

import pytest

ANONYMOUS_PAGES = ["/", "/masuk", "/daftar", "/lupa-sandi", "/halaman-yang-tidak-ada", "/healthz"]
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _assert_hardened(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages_send_security_headers(client, path):
    _assert_hardened(client.get(path))


def test_signed_in_pages_send_security_headers(member_client):
    for path in (f"/pegawai/{member_client.user.id}", "/akun/profil", "/akun/sandi"):
        response = member_client.get(path)
        assert response.status_code == 200, path
        _assert_hardened(response)


def test_error_response_to_a_post_sends_security_headers(client):
    _assert_hardened(client.post("/masuk", data={}, csrf=False))


def test_plain_http_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/masuk")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    _assert_hardened(response)
