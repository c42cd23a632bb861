"""Workshop sign-ups through both servers: seats, the waiting list, and 100 people at once for 30 seats."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.cluster.client import Answer, Browser
from tests.cluster.conftest import BURST_SEATS
from tests.cluster.database import registration_statuses, user_ids

CONFIRMED = "Anda terdaftar. Kursi Anda sudah aman."
WAITLISTED = "Kursi penuh: Anda masuk daftar tunggu."
HTMX = {"HX-Request": "true"}


def _sign_up(browser: Browser, workshop_id: int) -> Answer:
    return browser.request(
        "POST",
        f"/pelatihan/{workshop_id}/daftar",
        f"csrf_token={browser.csrf_token}".encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **HTMX},
    )


def test_sign_up_and_cancellation_show_on_the_other_server_at_once(cluster, seeded, members):
    workshop = seeded.workshops["one-seat"]
    first, second = members[100], members[101]
    page = f"/pelatihan/{workshop}"

    signed_up = first.post(f"{page}/daftar")
    assert signed_up.status == 302
    seen = second.until_other_host(page, other_than=signed_up.host)
    assert "Kursi penuh. Pendaftar baru masuk daftar tunggu." in seen.text

    waiting = second.post(f"{page}/daftar")
    assert waiting.status == 302
    mine = first.until_other_host(page, other_than=waiting.host)
    assert "Anda terdaftar sebagai peserta." in mine.text
    theirs = second.until_other_host(page, other_than=waiting.host)
    assert "Anda di daftar tunggu, urutan ke-1." in theirs.text

    cancelled = first.post(f"{page}/batal-daftar")
    assert cancelled.status == 302
    promoted = second.until_other_host(page, other_than=cancelled.host)
    assert "Anda terdaftar sebagai peserta." in promoted.text  # the waiting list moved up on the other server
    assert "Kursi penuh" in promoted.text
    statuses = registration_statuses(cluster.database_url, workshop)
    ids = user_ids(cluster.database_url, [seeded.member_nips[100], seeded.member_nips[101]])
    assert statuses.get("confirmed") == [ids[seeded.member_nips[101]]]
    assert statuses.get("cancelled") == [ids[seeded.member_nips[100]]]


def test_a_hundred_sign_ups_at_once_over_both_servers_fill_thirty_seats_exactly(cluster, seeded, members):
    workshop = seeded.workshops["burst"]
    people = members[:100]
    start = threading.Barrier(len(people))

    def sign_up(browser: Browser) -> Answer:
        start.wait(timeout=60)
        return _sign_up(browser, workshop)

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        answers = list(pool.map(sign_up, people))

    assert [a.status for a in answers] == [200] * len(people), {a.status for a in answers}
    assert {a.host for a in answers} == {"app-1", "app-2"}
    confirmed = [a for a in answers if CONFIRMED in a.text]
    waitlisted = [a for a in answers if WAITLISTED in a.text]
    assert (len(confirmed), len(waitlisted)) == (BURST_SEATS, len(people) - BURST_SEATS)
    statuses = registration_statuses(cluster.database_url, workshop)
    assert {status: len(ids) for status, ids in statuses.items()} == {"confirmed": 30, "waitlisted": 70}
    # Every person's own page, from either server, agrees with what they were told.
    for browser, answer in zip(people[:10], answers[:10], strict=True):
        page = browser.until_other_host(f"/pelatihan/{workshop}", other_than=answer.host)
        expected = "Anda terdaftar sebagai peserta." if CONFIRMED in answer.text else "Anda di daftar tunggu"
        assert expected in page.text
