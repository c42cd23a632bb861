"""Test data builders post the same text again on purpose (two articles or topics with the default title a second
apart); a person doing that within the duplicate window gets their first post back (portal.core.idempotency)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.core import types
from portal.extensions import db


@contextlib.contextmanager
def every_posting_new() -> Iterator[None]:
    """Within the block, identical postings are not treated as double submissions."""
    config = current_app.config
    missing = object()
    previous = config.get("DUPLICATE_POST_WINDOW_SECONDS", missing)
    config["DUPLICATE_POST_WINDOW_SECONDS"] = 0
    try:
        yield
    finally:
        if previous is missing:
            config.pop("DUPLICATE_POST_WINDOW_SECONDS", None)
        else:
            config["DUPLICATE_POST_WINDOW_SECONDS"] = previous


def at_the_same_moment(app, attempts: int, action) -> tuple[list[object], list[BaseException]]:
    """Run ``action()`` in ``attempts`` threads released together, each with its own app context and session (the
    path concurrent requests take, minus HTTP); returns the results and any errors."""
    start = threading.Barrier(attempts)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.app_context():
            try:
                start.wait(timeout=60)
                outcome = action()
                with lock:
                    results.append(outcome)
            except BaseException as error:  # noqa: BLE001 - every failure counts against the guarantee
                with lock:
                    errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def count_rows(model, *where) -> int:
    """Rows of ``model`` matching ``where``, read from a fresh snapshot (other threads' commits come first)."""
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def move_clock(monkeypatch, seconds: int) -> None:
    """Freeze the portal's clock ``seconds`` from now."""
    moment = types.utcnow() + timedelta(seconds=seconds)
    monkeypatch.setattr(types, "utcnow", lambda: moment)
