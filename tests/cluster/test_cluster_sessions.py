"""Round robin, sessions and rate limits across the two app servers."""

from __future__ import annotations

from tests.cluster.client import Browser
from tests.conftest import PASSWORD


def test_nginx_spreads_requests_over_both_servers_and_names_the_one_that_answered(cluster):
    browser = Browser(cluster.url)
    hosts = [browser.get("/healthz").host for _ in range(6)]
    assert set(hosts) == {"app-1", "app-2"}
    assert all(hosts[i] != hosts[i + 1] for i in range(len(hosts) - 1)), hosts  # round robin


def test_a_login_on_one_server_is_a_session_on_the_other_and_a_logout_ends_it_on_both(cluster, seeded):
    browser = Browser(cluster.url, "127.3.0.1")
    login = browser.login(seeded.member_nips[149], PASSWORD)
    assert login.status == 302
    page = browser.until_other_host("/pelatihan/saya", other_than=login.host)
    assert page.status == 200 and "Pegawai Klaster" in page.text
    logout = browser.post("/keluar")
    assert logout.status == 302
    after = browser.until_other_host("/pelatihan/saya", other_than=logout.host)
    assert after.status == 302 and "/masuk" in after.location


def test_failed_logins_count_across_both_servers(cluster, seeded):
    """LOGIN_RATE_LIMIT is 10 a minute per address: ten failures spread over both servers, the 11th is refused."""
    browser = Browser(cluster.url, "127.9.0.1")
    browser.get("/masuk")
    answers = [
        browser.post("/masuk", {"identifier": seeded.member_nips[145], "password": "salah-sekali"}) for _ in range(10)
    ]
    assert [a.status for a in answers] == [200] * 10
    assert {a.host for a in answers} == {"app-1", "app-2"}
    assert all("salah" in a.text.lower() for a in answers)
    refused = [browser.post("/masuk", {"identifier": seeded.member_nips[145], "password": PASSWORD}) for _ in range(2)]
    assert [a.status for a in refused] == [429, 429]
    assert {a.host for a in refused} == {"app-1", "app-2"}  # both servers know the count
    # Another address is not affected.
    other = Browser(cluster.url, "127.9.0.2")
    assert other.login(seeded.member_nips[146], PASSWORD).status == 302
