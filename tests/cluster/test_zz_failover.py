"""A server killed in the middle of a burst of sign-ups: no committed write is lost, the other keeps serving.

Runs last (file name): it kills app-2, which stays down until the session's cluster stops.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.cluster.client import Answer, Browser
from tests.cluster.database import registration_statuses, user_ids
from tests.cluster.test_cluster_workshops import CONFIRMED, _sign_up


def test_killing_a_server_mid_burst_loses_no_committed_sign_up(cluster, seeded, members):
    workshop = seeded.workshops["large"]
    people = list(enumerate(members[100:140], start=100))
    answers: dict[int, Answer | Exception] = {}
    sent = threading.Semaphore(0)

    def sign_up(item: tuple[int, Browser]) -> None:
        n, browser = item
        sent.release()
        try:
            answers[n] = _sign_up(browser, workshop)
        except OSError as error:  # the connection itself failed: the person would retry
            answers[n] = error

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(sign_up, item) for item in people]
        for _ in range(12):  # a dozen sign-ups under way, then the crash
            sent.acquire(timeout=60)
        cluster.kill_app(2)
        killed_at = time.monotonic()
        for future in futures:
            future.result(timeout=120)

    succeeded = {n for n, a in answers.items() if isinstance(a, Answer) and a.status == 200 and CONFIRMED in a.text}
    failed = {n: a for n, a in answers.items() if n not in succeeded}
    # Whatever failed failed visibly (a gateway error for a request the dead server had taken), never silently.
    assert all(isinstance(a, Exception) or a.status in (502, 504) for a in failed.values()), failed
    assert len(succeeded) >= len(people) - 8  # at most the requests in flight at the crash were lost

    ids = user_ids(cluster.database_url, [seeded.member_nips[n] for n, _ in people])
    confirmed = set(registration_statuses(cluster.database_url, workshop).get("confirmed", []))
    assert {ids[seeded.member_nips[n]] for n in succeeded} <= confirmed  # every "you are registered" is kept

    # The other server keeps serving: every request after the crash is answered by app-1.
    after = [members[120].get(f"/pelatihan/{workshop}") for _ in range(6)]
    assert [(a.status, a.host) for a in after] == [(200, "app-1")] * 6, time.monotonic() - killed_at
    # Those whose request was lost sign up again, on the survivor: nobody is registered twice.
    for n in failed:
        retry = _sign_up(members[n], workshop)
        assert retry.status == 200 and retry.host == "app-1"
    confirmed_after = registration_statuses(cluster.database_url, workshop).get("confirmed", [])
    assert sorted(confirmed_after) == sorted(ids.values())
