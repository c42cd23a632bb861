"""Reminders to ASN below target: the quarterly cron and the dashboard's per-day "Kirim pengingat"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.cli import learning_cli
from portal.learning.models import LearningReminder
from portal.learning.services import dashboard, reminders
from portal.notifications.models import Notification
from portal.notifications.services import message_for
from portal.units.models import UnitHead
from tests.learning.dashboard_city import build_city

YEAR = 2025
BELOW = {"budi", "dedi"}  # citra (PPPK, 20 of a 24 JP ceiling) has no target: never reminded


@pytest.fixture
def city(make_unit, make_user):
    return build_city(YEAR, make_unit, make_user)


def _notified(city, kind=reminders.CRON_KIND) -> dict[str, dict]:
    names = {user.id: name for name, user in city.people.items()}
    rows = db.session.scalars(select(Notification).where(Notification.kind == kind))
    return {names[n.user_id]: n.params for n in rows}


def _reminder_rows() -> list[tuple[int, str, int]]:
    return list(
        db.session.execute(select(LearningReminder.user_id, LearningReminder.period, LearningReminder.jp_at_reminder))
    )


def wib(year, month, day, hour=9):
    """A moment given in WIB (UTC+7)."""
    return datetime(year, month, day, hour, tzinfo=UTC) - timedelta(hours=7)


# ---------------------------------------------------------------- quarters


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wib(YEAR, 9, 30, 23), False),
        (datetime(YEAR, 9, 30, 18, tzinfo=UTC), True),  # 1 October 01.00 WIB
        (wib(YEAR, 10, 1, 0), True),
        (wib(YEAR, 12, 31, 23), True),
        (wib(YEAR + 1, 1, 1, 0), False),
    ],
)
def test_last_quarter_is_october_to_december_in_wib(moment, expected):
    assert reminders.in_last_quarter(moment) is expected


def test_quarter_periods():
    today = wib(YEAR, 11, 2).date()
    assert reminders.quarter_period(YEAR, today) == "2025-Q4"
    assert reminders.quarter_period(YEAR, wib(YEAR, 7, 2).date()) == "2025-Q3"
    assert reminders.quarter_period(YEAR - 1, today) == "2024-Q4"  # a past year: its last quarter


# ---------------------------------------------------------------- the cron


def test_nothing_outside_the_last_quarter(city):
    assert reminders.send_reminders(now=wib(YEAR, 9, 30)) == {}
    assert _reminder_rows() == [] and _notified(city) == {}


def test_reminds_everyone_below_target_once_per_quarter(city):
    now = wib(YEAR, 10, 6)
    assert reminders.send_reminders(now=now) == {"sent": 2, "already": 0, "reached": 2, "ceiling": 2}
    notified = _notified(city)
    assert set(notified) == BELOW
    assert notified["dedi"] == {"year": YEAR, "jp": 0, "target": 18, "missing": 18}
    assert "citra" not in notified and "eka" not in notified  # PPPK: a ceiling, not a target
    assert {period for _user, period, _jp in _reminder_rows()} == {"2025-Q4"}
    assert {(city["budi"].id, 12)} <= {(user, jp) for user, _p, jp in _reminder_rows()}

    notification = db.session.scalar(select(Notification).where(Notification.user_id == city["dedi"].id))
    assert "0 dari target 18 JP" in message_for(notification)
    assert notification.url == f"/rekam-jejak?tahun={YEAR}"

    again = reminders.send_reminders(now=now + timedelta(days=30))
    assert again == {"sent": 0, "already": 2, "reached": 2, "ceiling": 2}
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2


def test_someone_falling_behind_later_in_the_quarter_is_reminded(city, make_user):
    reminders.send_reminders(now=wib(YEAR, 10, 6))
    make_user(name="Baru Pindah", unit_id=city.b.id)
    assert reminders.send_reminders(now=wib(YEAR, 11, 6))["sent"] == 1


def test_force_outside_the_quarter_uses_that_quarter(city):
    counts = reminders.send_reminders(now=wib(YEAR, 7, 15), force=True)
    assert counts["sent"] == 2
    assert {period for _u, period, _jp in _reminder_rows()} == {"2025-Q3"}
    assert reminders.send_reminders(now=wib(YEAR, 10, 15))["sent"] == 2  # the last quarter is its own period


def test_another_year(city):
    counts = reminders.send_reminders(now=wib(YEAR + 1, 10, 15), year=YEAR)
    assert counts == {"sent": 2, "already": 0, "reached": 2, "ceiling": 2}
    assert {period for _u, period, _jp in _reminder_rows()} == {"2025-Q4"}


def test_cli_prints_counts_and_respects_the_quarter(app, city, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setattr(reminders, "in_last_quarter", lambda now=None: False)
    result = runner.invoke(learning_cli, ["remind", "--year", str(YEAR)])
    assert result.exit_code == 0 and "Bukan triwulan terakhir" in result.output
    assert _reminder_rows() == []

    result = runner.invoke(learning_cli, ["remind", "--force", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "Pengingat terkirim: 2." in result.output
    assert "Sudah mencapai target: 2." in result.output
    assert "PPPK (batas, bukan target; tidak diingatkan): 2." in result.output
    result = runner.invoke(learning_cli, ["remind", "--force", "--year", str(YEAR)])
    assert "Pengingat terkirim: 0. Sudah diingatkan periode ini: 2." in result.output


# ---------------------------------------------------------------- the dashboard's action


@pytest.fixture
def this_year_city(make_unit, make_user):
    city = build_city(dashboard.current_year(), make_unit, make_user)
    head = make_user(Role.MEMBER, name="Kepala Alpha", unit_id=city.a.id)
    db.session.add(UnitHead(unit_id=city.a.id, user_id=head.id))
    db.session.commit()
    city.people["head"] = head
    return city


def test_unit_reminder_reaches_everyone_below_target_once_a_day(this_year_city):
    city = this_year_city
    head, year, now = city["head"], city.year, datetime.now(UTC)
    counts = reminders.remind_unit(head, city.a.id, year, None, now=now)
    assert counts == {"sent": 2, "already": 0, "skipped": 0}  # the head is below target too, but not reminded
    notified = _notified(city, reminders.UNIT_KIND)
    assert set(notified) == BELOW
    assert notified["budi"]["actor"] == "Kepala Alpha"
    assert notified["budi"]["missing"] == 6

    assert reminders.remind_unit(head, city.a.id, year, None, now=now) == {"sent": 0, "already": 2, "skipped": 0}
    assert reminders.remind_unit(head, city.a.id, year, None, now=now + timedelta(days=1))["sent"] == 2
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "learning.reminders_sent").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor_id, e.target_id, e.details["sent"]) for e in entries] == [
        (head.id, city.a.id, 2),
        (head.id, city.a.id, 0),
        (head.id, city.a.id, 2),
    ]


def test_unit_reminder_for_chosen_people_only(this_year_city):
    city = this_year_city
    chosen = [city["budi"].id, city["ani"].id, city["eka"].id]  # ani reached the target; eka is in unit B
    counts = reminders.remind_unit(city["head"], city.a.id, city.year, chosen, now=datetime.now(UTC))
    assert counts == {"sent": 1, "already": 0, "skipped": 2}
    assert set(_notified(city, reminders.UNIT_KIND)) == {"budi"}


def test_unit_reminder_refusals_change_nothing(this_year_city, make_user):
    city = this_year_city
    head = city["head"]
    with pytest.raises(reminders.ReminderError) as error:
        reminders.remind_unit(head, city.a.id, city.year, [])
    assert error.value.field == "user_ids"
    with pytest.raises(reminders.ReminderError, match="tahun berjalan"):
        reminders.remind_unit(head, city.a.id, city.year - 1, None)
    with pytest.raises(PermissionDenied):
        reminders.remind_unit(head, city.b.id, city.year, None)  # not their unit
    with pytest.raises(PermissionDenied):
        reminders.remind_unit(city["budi"], city.a.id, city.year, None)  # a member
    with pytest.raises(PermissionDenied):
        reminders.remind_unit(make_user(Role.ADMIN), 999_999, city.year, None)
    assert _reminder_rows() == []
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_bkpsdm_may_remind_any_unit(this_year_city, make_user):
    city = this_year_city
    admin = make_user(Role.ADMIN, name="Admin BKPSDM")
    assert reminders.remind_unit(admin, city.b.id, city.year, None)["sent"] == 0  # everyone in B reached it
    assert reminders.remind_unit(admin, city.a.id, city.year, None)["sent"] == 3  # including the head
