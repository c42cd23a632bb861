"""Several hosts behind one proxy: rate limits counted in the one Redis (CACHE_REDIS_URL), sessions valid on every
host that shares the secret key and ended on all of them by logout or a password change, and a production start
that refuses several hosts without Redis."""

from __future__ import annotations

import logging
import secrets

import pytest

from portal import create_app
from portal.core import fragments
from tests.conftest import PASSWORD, login
from tests.redis_support import REDIS_URL, delete_matching, redis_client, unique_prefix

NEW_PASSWORD = "Sandi#Baru2026x"


@pytest.fixture
def address():
    """A client address of this test alone: the rate-limit counters in Redis are keyed by it."""
    client = redis_client()
    ip = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    yield ip
    delete_matching(client, f"*{ip}*")


def failed_login(app, ip: str, user) -> int:
    client = app.test_client()
    response = client.post(
        "/masuk", data={"identifier": user.nip, "password": "salah-sekali"}, environ_base={"REMOTE_ADDR": ip}
    )
    return response.status_code


def test_login_failures_are_counted_across_hosts(make_app, make_user, address):
    settings = {"CACHE_REDIS_URL": REDIS_URL, "FRAGMENT_CACHE_PREFIX": unique_prefix(), "RATELIMIT_ENABLED": True}
    settings["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = make_user()
    first = make_app(**settings)
    assert [failed_login(first, address, user) for _ in range(2)] == [200, 200]
    # A second host starts: the limiter gets storage of its own, as a host in another machine has. With
    # memory:// its count would start again at zero; in Redis it goes on from the first host's two.
    second = make_app(**settings)
    assert [failed_login(second, address, user) for _ in range(2)] == [200, 429]
    assert failed_login(first, address, user) == 429
    assert list(redis_client().scan_iter(match=f"*{address}*"))


def test_without_redis_the_limits_count_in_memory(make_app):
    app = make_app()
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    explicit = make_app(CACHE_REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI="memory://")
    assert explicit.config["RATELIMIT_STORAGE_URI"] == "memory://"


def carry_session(source, target) -> None:
    """The browser's cookie, sent to the other host (the proxy may send any request to either)."""
    target.set_cookie("session", source.get_cookie("session").value)


@pytest.fixture
def two_hosts(make_app):
    settings = {"CACHE_REDIS_URL": REDIS_URL, "FRAGMENT_CACHE_PREFIX": unique_prefix()}
    redis_client()
    yield make_app(**settings), make_app(**settings)
    delete_matching(redis_client(), f"{settings['FRAGMENT_CACHE_PREFIX']}*")


def signed_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


def test_a_session_made_on_one_host_is_valid_on_the_other_and_logout_ends_it_on_both(two_hosts, make_user):
    first, second = two_hosts
    user = make_user()
    on_first, on_second = first.test_client(), second.test_client()
    login(on_first, user)
    carry_session(on_first, on_second)
    assert signed_in(on_first) and signed_in(on_second)
    old_cookie = on_first.get_cookie("session").value
    assert on_first.post("/keluar").status_code == 302
    on_second.set_cookie("session", old_cookie)  # the cookie as it was before logout, replayed to the other host
    assert not signed_in(on_second)


def test_a_password_change_on_one_host_ends_the_other_sessions_on_every_host(two_hosts, make_user):
    first, second = two_hosts
    user = make_user()
    changing, elsewhere, elsewhere_on_first = first.test_client(), second.test_client(), first.test_client()
    login(changing, user)
    login(elsewhere, user)  # another device, signed in through the second host
    carry_session(elsewhere, elsewhere_on_first)
    assert signed_in(elsewhere) and signed_in(elsewhere_on_first)
    response = changing.post(
        "/akun/sandi",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(changing)
    assert not signed_in(elsewhere) and not signed_in(elsewhere_on_first)


# ---------------------------------------------------------------- start-up


def production(**settings):
    return create_app(
        {
            "PORTAL_CONFIG": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            **settings,
        }
    )


def test_production_refuses_several_hosts_without_redis():
    with pytest.raises(RuntimeError, match="PORTAL_HOSTS=2: several hosts need CACHE_REDIS_URL"):
        production(PORTAL_HOSTS=2)


def test_production_with_several_hosts_and_redis_starts_and_says_which_caches_run(caplog):
    redis_client()
    caplog.set_level(logging.INFO, logger="portal.core.fragments")
    app = production(PORTAL_HOSTS=2, CACHE_REDIS_URL=REDIS_URL, FRAGMENT_CACHE_PREFIX=unique_prefix())
    assert "fragment caches: redis" in caplog.text
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    caplog.clear()
    production()
    assert "fragment caches: files" in caplog.text
    with app.app_context():
        assert fragments.mode() == "redis"
