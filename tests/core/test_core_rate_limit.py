"""Login and password-reset posts are rate limited per client address, only in apps that enable it."""

from html import unescape

import pytest

from tests.conftest import PASSWORD

TOO_MANY = "Anda mencoba terlalu sering. Tunggu beberapa menit, lalu coba lagi."


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RESET_RATE_LIMIT="3 per minute")


def wrong_login(client, user):
    return client.post("/masuk", data={"identifier": user.nip, "password": "Salah#20260"})


def test_login_posts_beyond_the_limit_get_a_clear_429_page(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(3):
        assert wrong_login(client, user).status_code == 200

    response = client.post("/masuk", data={"identifier": user.nip, "password": PASSWORD})
    text = unescape(response.get_data(as_text=True))
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in text
    assert TOO_MANY in text
    assert '<html lang="id">' in text
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/akun/sandi").status_code == 302, "the correct password was not let through"


def test_viewing_the_login_page_is_not_counted(limited_app):
    client = limited_app.test_client()
    for _ in range(5):
        assert client.get("/masuk").status_code == 200


def test_password_reset_requests_are_limited(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(3):
        assert client.post("/lupa-sandi", data={"identifier": user.nip}).status_code == 302
    response = client.post("/lupa-sandi", data={"identifier": user.nip})
    assert response.status_code == 429
    assert TOO_MANY in unescape(response.get_data(as_text=True))


def test_reset_link_guessing_is_limited(limited_app):
    client = limited_app.test_client()
    form = {"password": "Songket#2026x", "password_confirm": "Songket#2026x"}
    statuses = [client.post(f"/atur-sandi/tebakan{n}", data=form).status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_an_app_with_limiting_off_stays_unlimited_next_to_a_limited_one(limited_app, client, make_user):
    user = make_user()
    limited_client = limited_app.test_client()
    for _ in range(4):
        wrong_login(limited_client, user)
    assert wrong_login(limited_client, user).status_code == 429

    for _ in range(12):
        assert wrong_login(client, user).status_code == 200


def test_a_later_unlimited_app_does_not_switch_limiting_off(limited_app, make_app, make_user):
    make_app(RATELIMIT_ENABLED=False)
    user = make_user()
    client = limited_app.test_client()
    statuses = [wrong_login(client, user).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
