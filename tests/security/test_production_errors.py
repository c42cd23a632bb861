"""In production an unexpected error shows the portal's error page: no stack trace, no exception text."""

from __future__ import annotations

import pytest

SECRET_DETAIL = "database password is hunter2"


@pytest.fixture
def failing_app(production_app):
    def explode():
        raise RuntimeError(SECRET_DETAIL)

    production_app.add_url_rule("/uji-galat", "explode", explode)
    production_app.add_url_rule("/api/uji-galat", "explode_api", explode)
    return production_app


def _assert_no_leak(body: str) -> None:
    assert "Traceback" not in body
    assert SECRET_DETAIL not in body
    assert "RuntimeError" not in body
    assert "Werkzeug Debugger" not in body


def test_unhandled_error_shows_friendly_page(failing_app, caplog):
    response = failing_app.test_client().get("/uji-galat")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in body
    _assert_no_leak(body)
    assert SECRET_DETAIL in caplog.text, "the details belong in the server log"


def test_unhandled_error_in_htmx_request_returns_fragment(failing_app):
    response = failing_app.test_client().get("/uji-galat", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<html" not in body
    _assert_no_leak(body)


def test_unhandled_api_error_returns_json_without_details(failing_app):
    response = failing_app.test_client().get("/api/uji-galat")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500
    _assert_no_leak(response.get_data(as_text=True))


def test_production_has_debugger_off(production_app):
    assert not production_app.debug
    assert not production_app.testing
