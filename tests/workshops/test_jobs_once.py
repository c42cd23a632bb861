"""Two hosts run ``flask workshops send-reminders`` at the same minute: the participants are reminded once.

Two threads with their own app contexts, so their own database connections (on PostgreSQL: two server sessions,
as two hosts would have). The first run is held inside its sending step until the second has finished; without
the job lock both would read the same due registrations and notify twice.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.models import Notification
from portal.workshops import cli, services
from portal.workshops.models import Registration
from portal.workshops.services import reminders


def test_two_runs_at_once_remind_each_participant_once(app, make_workshop, make_user, monkeypatch, capsys):
    start = services.local_moment(services.to_local(datetime.now(UTC)).date() + timedelta(days=1), time(10))
    workshop = make_workshop(sessions=[services.SessionInput(start, start + timedelta(hours=2))])
    participants = [make_user(), make_user()]
    for person in participants:
        services.register(person, workshop.id)
    db.session.commit()

    first_is_sending = threading.Event()
    second_finished = threading.Event()
    real_notify = reminders.notifications.notify

    def slow_notify(*args, **kwargs):
        first_is_sending.set()
        second_finished.wait(timeout=10)
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(reminders.notifications, "notify", slow_notify)
    errors: list[BaseException] = []

    def run(after: threading.Event | None = None, then: threading.Event | None = None) -> None:
        try:
            if after is not None:
                assert after.wait(timeout=10), "the first run never reached its sending step"
            with app.app_context():
                cli.send_reminders_command.main(args=[], prog_name="send-reminders", standalone_mode=False)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            if then is not None:
                then.set()

    first = threading.Thread(target=run)
    second = threading.Thread(target=run, kwargs={"after": first_is_sending, "then": second_finished})
    first.start()
    second.start()
    first.join(30)
    second.join(30)
    assert not errors, errors
    output = capsys.readouterr().out
    assert "Pengingat terkirim: 2 peserta." in output
    assert "sedang berjalan di tempat lain" in output
    db.session.expire_all()
    notes = db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind == "workshop.reminder")
    )
    assert notes == len(participants)
    reminded = db.session.scalars(select(Registration.reminder_sent_at).where(Registration.workshop_id == workshop.id))
    assert all(when is not None for when in reminded)
