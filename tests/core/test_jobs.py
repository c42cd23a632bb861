"""run_once: one holder per job name at a time, on SQLite and on PostgreSQL; a skipped cron command says so."""

from __future__ import annotations

import logging

import pytest

from portal.core.jobs import lock_key, run_once
from portal.extensions import db


def test_a_second_run_of_the_same_job_is_refused_while_the_first_holds_it(app):
    with run_once("test-job") as first:
        with run_once("test-job") as second:
            assert (first, second) == (True, False)
        with run_once("other-job") as other:
            assert other  # another job is not blocked
    with run_once("test-job") as again:
        assert again  # released at the end of the block


def test_the_lock_is_released_when_the_job_fails(app):
    with pytest.raises(RuntimeError), run_once("failing-job"):
        raise RuntimeError("boom")
    with run_once("failing-job") as acquired:
        assert acquired


def test_skipping_is_logged(app, caplog):
    caplog.set_level(logging.INFO, logger="portal.core.jobs")
    with run_once("logged-job"), run_once("logged-job"):
        pass
    assert "logged-job is already running elsewhere" in caplog.text


def test_lock_keys_are_stable_signed_64_bit_numbers():
    key = lock_key("search-sync")
    assert key == lock_key("search-sync") != lock_key("workshops-send-reminders")
    assert -(2**63) <= key < 2**63


@pytest.mark.parametrize("name", ["", "Bad Name", "../x", "a" * 70])
def test_bad_job_names_are_refused(app, name):
    with pytest.raises(ValueError), run_once(name):
        pass


def test_the_lock_holds_across_connections(app):
    """PostgreSQL: the advisory lock lives in the server, so another connection (another host) is refused."""
    with run_once("cross-connection") as first:
        other_engine = db.engine.execution_options()  # same pool, separate connection
        with run_once("cross-connection", engine=other_engine) as second:
            assert (first, second) == (True, False)


def test_a_cron_command_skips_with_a_message_while_another_run_holds_its_lock(app):
    runner = app.test_cli_runner()
    with run_once("workshops-send-reminders"):
        result = runner.invoke(args=["workshops", "send-reminders"])
    assert result.exit_code == 0
    assert "sedang berjalan di tempat lain" in result.output
    assert "Pengingat terkirim" not in result.output
    result = runner.invoke(args=["workshops", "send-reminders"])
    assert "Pengingat terkirim: 0 peserta." in result.output


SCHEDULED_COMMANDS = [
    ("search-sync", ["search", "sync"]),
    ("workshops-send-reminders", ["workshops", "send-reminders"]),
    ("workshops-complete-due", ["workshops", "complete-due"]),
    ("feedback-send-followups", ["feedback", "send-followups"]),
    ("learning-remind", ["learning", "remind", "--force"]),
]


@pytest.mark.parametrize(("job", "command"), SCHEDULED_COMMANDS, ids=[job for job, _ in SCHEDULED_COMMANDS])
def test_every_scheduled_command_runs_under_its_job_lock(app, job, command):
    runner = app.test_cli_runner()
    with run_once(job):
        held = runner.invoke(args=command)
    assert held.exit_code == 0, held.output
    assert held.output.strip() == f"Tugas {job} sedang berjalan di tempat lain: dilewati."
    free = runner.invoke(args=command)
    assert free.exit_code == 0, free.output
    assert "dilewati" not in free.output
