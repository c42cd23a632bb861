"""The guarantee: confirmed registrations never exceed capacity, whatever the concurrency (issue §3).

Each attempt runs in its own thread with its own app context, session and pooled connection to the test
database (an SQLite file in WAL mode, or PostgreSQL): the same path a request takes, minus HTTP.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.extensions import db
from portal.notifications.models import Notification
from portal.workshops import services
from portal.workshops.models import Registration, RegistrationStatus

ATTEMPTS, SEATS, CANCELLATIONS = 200, 50, 10


def _run_concurrently(app, user_ids: list[int], action) -> tuple[list[object], list[BaseException]]:
    """Start one thread per user, release them together, and collect results and unexpected errors."""
    start = threading.Barrier(len(user_ids))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt(user_id: int) -> None:
        with app.app_context():
            try:
                user = accounts.get_user(user_id)
                db.session.rollback()  # hand the connection back: waiting threads must not exhaust the pool
                start.wait(timeout=60)
                outcome = action(user)
                with lock:
                    results.append(outcome)
            except BaseException as error:  # noqa: BLE001 - every failure counts against the guarantee
                with lock:
                    errors.append(error)

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _statuses(workshop_id: int) -> Counter:
    db.session.commit()  # end this thread's read snapshot: the other threads' commits come after it
    return Counter(db.session.scalars(select(Registration.status).where(Registration.workshop_id == workshop_id)))


@pytest.mark.slow
def test_200_concurrent_signups_for_50_seats_then_10_cancellations(app, make_workshop, make_user, capsys):
    workshop = make_workshop(capacity=SEATS)
    workshop_id = workshop.id
    user_ids = [make_user(name=f"Peserta {n:03d}").id for n in range(ATTEMPTS)]

    began = time.perf_counter()
    results, errors = _run_concurrently(app, user_ids, lambda user: services.register(user, workshop_id).status)
    signup_seconds = time.perf_counter() - began

    assert errors == []
    assert Counter(results) == {RegistrationStatus.CONFIRMED: SEATS, RegistrationStatus.WAITLISTED: ATTEMPTS - SEATS}
    assert _statuses(workshop_id) == Counter(results)

    queue = list(
        db.session.scalars(
            select(Registration.user_id)
            .where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
        )
    )
    leaving = list(
        db.session.scalars(
            select(Registration.user_id)
            .where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.CONFIRMED)
            .limit(CANCELLATIONS)
        )
    )

    began = time.perf_counter()
    results, errors = _run_concurrently(app, leaving, lambda user: services.cancel(user, workshop_id).status)
    cancel_seconds = time.perf_counter() - began

    assert errors == []
    assert results == [RegistrationStatus.CANCELLED] * CANCELLATIONS
    assert _statuses(workshop_id) == {
        RegistrationStatus.CONFIRMED: SEATS,
        RegistrationStatus.CANCELLED: CANCELLATIONS,
        RegistrationStatus.WAITLISTED: ATTEMPTS - SEATS - CANCELLATIONS,
    }
    promoted = set(
        db.session.scalars(
            select(Registration.user_id).where(
                Registration.workshop_id == workshop_id, Registration.promoted_at.is_not(None)
            )
        )
    )
    assert promoted == set(queue[:CANCELLATIONS])  # the first ten in arrival order, nobody else
    notified = list(db.session.scalars(select(Notification.user_id).where(Notification.kind == "workshop.promoted")))
    assert sorted(notified) == sorted(promoted)  # exactly one notification per promotion
    first_waiting = services.registration_of(accounts.get_user(queue[CANCELLATIONS]), workshop_id)
    assert services.waiting_position(first_waiting) == 1

    with capsys.disabled():
        print(
            f"\n[concurrency/{db.engine.dialect.name}] {ATTEMPTS} sign-ups in {signup_seconds:.2f} s: "
            f"{SEATS} confirmed, {ATTEMPTS - SEATS} waitlisted, 0 errors; {CANCELLATIONS} cancellations in "
            f"{cancel_seconds:.2f} s: {len(promoted)} promoted in arrival order"
        )
