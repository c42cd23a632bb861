"""When the database cannot be reached, every page is the portal's own 503 (with Retry-After), never a bare 500,
and /healthz answers JSON 503."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.extensions import db

UNREACHABLE = "postgresql+psycopg://portal@127.0.0.1:9/portal?connect_timeout=2"  # port 9 (discard): refused


@pytest.fixture
def unreachable_app(tmp_path):
    application = create_app(
        {
            "PORTAL_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": UNREACHABLE,
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
            "UPLOAD_ROOT": str(tmp_path / "uploads"),
        }
    )
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _signed_in(application):
    client = application.test_client()
    with client.session_transaction() as sess:  # a session cookie from before the outage
        sess["_user_id"] = "1:0123456789abcdef"
        sess["_fresh"] = True
    return client


def test_signed_in_user_gets_the_portals_503_page(unreachable_app, caplog):
    response = _signed_in(unreachable_app).get("/akun/profil")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "Layanan sedang tidak tersedia" in body
    assert "<html" in body  # the portal's layout, rendered as for a visitor
    assert "Internal Server Error" not in body
    assert "OperationalError" not in body
    assert "Database unavailable" in caplog.text


def test_anonymous_page_that_needs_the_database_gets_503(unreachable_app):
    response = unreachable_app.test_client().get("/pelatihan")
    assert response.status_code in {302, 503}  # the catalogue may ask to sign in first
    if response.status_code == 503:
        assert "Retry-After" in response.headers


def test_htmx_request_gets_the_503_fragment(unreachable_app):
    response = _signed_in(unreachable_app).get("/akun/profil", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert "<html" not in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_api_answers_json_503(unreachable_app):
    response = _signed_in(unreachable_app).get("/api/search?q=pelatihan")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == 503


def test_health_check_answers_json_503(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert response.headers["Retry-After"].isdigit()


def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
