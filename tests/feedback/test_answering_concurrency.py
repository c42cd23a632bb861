"""Exactly once, also when one person's submissions race (a double tap, two open tabs, two devices).

Each attempt runs in its own thread with its own app context, session and pooled connection to the test
database (an SQLite file in WAL mode, or PostgreSQL), released together by a barrier: the path two requests
take, minus HTTP. The Respondent unique key is the guard; the loser is told "Anda sudah mengisi formulir ini".
"""

# ruff: noqa: F811 - pytest fixtures imported from answering_setup are parameters of the tests
from __future__ import annotations

import threading

import pytest

from portal.accounts.models import User
from portal.extensions import db
from portal.feedback.services import AlreadyAnswered, answering
from tests.feedback.answering_setup import (  # noqa: F401 - fixtures
    EVERY_KIND,
    catalogue,
    counts,
    development_types,
    every_kind_answers,
    make_workshop,
    organizer,
    participant,
    past_workshop,
)
from tests.feedback.factories import make_form

ATTEMPTS = 6


def _race(app, user_id: int, form_id: int, data: dict) -> tuple[list[str], list[BaseException]]:
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                form = answering.get_answerable(form_id)
                db.session.rollback()  # hand the connection back while waiting
                start.wait(timeout=30)
                try:
                    answering.submit(user, form, data)
                    outcome = "stored"
                except AlreadyAnswered as refused:
                    outcome = str(refused.message)
                with lock:
                    outcomes.append(outcome)
            except BaseException as error:  # noqa: BLE001 - any other failure breaks the guarantee
                with lock:
                    errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_concurrent_submissions_of_one_person_store_one_response(app, organizer, past_workshop, participant, anonymous):
    form = make_form(organizer, EVERY_KIND, workshop=past_workshop, anonymous=anonymous)
    data = every_kind_answers(form)

    outcomes, errors = _race(app, participant.id, form.id, data)

    assert errors == []
    assert sorted(outcomes) == ["Anda sudah mengisi formulir ini."] * (ATTEMPTS - 1) + ["stored"]
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}
