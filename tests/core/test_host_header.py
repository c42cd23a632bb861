"""X-Portal-Host names the app server that answered, only when PORTAL_HOST_NAME is configured."""

from __future__ import annotations

import pytest


def test_no_host_header_by_default(client):
    assert "X-Portal-Host" not in client.get("/masuk").headers


@pytest.mark.parametrize("path", ["/masuk", "/healthz", "/halaman-yang-tidak-ada"])
def test_configured_host_name_is_sent_on_every_response(make_app, path):
    response = make_app(PORTAL_HOST_NAME="app-2").test_client().get(path)
    assert response.headers["X-Portal-Host"] == "app-2"


@pytest.mark.parametrize("name", ["app 2", "a\r\nSet-Cookie: x=1", "x" * 64])
def test_a_host_name_that_could_break_the_header_is_refused_at_start(make_app, name):
    with pytest.raises(RuntimeError, match="PORTAL_HOST_NAME"):
        make_app(PORTAL_HOST_NAME=name)
