"""What an anonymous visitor gets from a login-only URL, depending on how it was asked for."""

from flask_login import login_required

from portal import create_app


def test_page_request_redirects_to_login_with_next(client):
    response = client.get("/akun/profil?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk?next=/akun/profil?tab%3D1"


def test_htmx_request_gets_a_full_page_redirect_back_to_the_current_page(client):
    response = client.get(
        "/akun/profil",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/pegawai/3?x=1"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/masuk?next=/pegawai/3"


def test_api_request_gets_json_401(app):
    application = create_app(
        {"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )

    @application.get("/api/_login_probe")
    @login_required
    def _probe():  # pragma: no cover - never reached anonymously
        return "secret"

    response = application.test_client().get("/api/_login_probe")
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Silakan masuk terlebih dahulu."


def test_trusted_proxy_address_is_used_only_when_configured(app):
    def remote_addr(application):
        @application.get("/_addr")
        def _addr():
            from flask import request

            return request.remote_addr or ""

        return application.test_client().get("/_addr", headers={"X-Forwarded-For": "10.1.2.3"}).get_data(as_text=True)

    base = {"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    assert remote_addr(create_app(base)) == "127.0.0.1"
    assert remote_addr(create_app({**base, "TRUSTED_PROXIES": 1})) == "10.1.2.3"
