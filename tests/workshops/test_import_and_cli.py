"""``flask content import`` with workshop lines, and ``flask workshops send-reminders``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from portal.content import services as content
from portal.content.services import Outcome
from portal.core.permissions import Role
from portal.extensions import db
from portal.workshops import services
from portal.workshops.models import JpBasis, Workshop, WorkshopStatus


def _line(**fields) -> str:
    record = {
        "type": "workshop",
        "external_id": "bkpsdm-2026-07",
        "title": "Workshop Penulisan Naskah Dinas",
        "body": "Materi *tata naskah dinas*.",
        "starts_at": "2030-03-02T08:00:00",
        "ends_at": "2030-03-02T14:00:00",
        "capacity": 40,
        "competencies": ["M.03"],
    }
    record.update(fields)
    return json.dumps(record)


def test_import_creates_updates_and_rejects_bad_lines(make_user, development_types, catalogue):
    admin = make_user(Role.ADMIN)
    report = content.run_import([_line(), _line(external_id="x2", ends_at="2030-03-02T07:00:00")], admin)
    assert report.counts[Outcome.CREATED] == 1
    assert [f.line for f in report.failures] == [2] and "jam selesai" in report.failures[0].reason
    workshop = db.session.scalar(select(Workshop))
    # A one-day workshop (KL07) gets the JP rule's 5 JP, as the same activity reported by the ASN would.
    assert (workshop.status, workshop.jp, workshop.capacity) == (WorkshopStatus.PUBLISHED, 5, 40)
    assert workshop.jp_basis == JpBasis.RULE
    assert services.to_local(workshop.starts_at).hour == 8  # no offset: Sawahlunto time
    assert content.run_import([_line()], admin).counts[Outcome.UNCHANGED] == 1
    assert content.run_import([_line(capacity=50, jp=6)], admin).counts[Outcome.UPDATED] == 1
    bad = content.run_import([_line(jp=-2), _line(capacity="banyak")], admin)
    assert len(bad.failures) == 2
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1
    assert (services.get(workshop.id).jp, services.get(workshop.id).capacity) == (6, 50)
    # A JP given in the file is the organizer's figure, with the file's reason (or a default one).
    assert (services.get(workshop.id).jp_basis, services.get(workshop.id).jp_reason) == (
        JpBasis.ORGANIZER,
        "JP ditetapkan dalam berkas impor.",
    )


def test_send_reminders_command_is_idempotent(app, make_workshop, make_user):
    start = services.local_moment(services.to_local(datetime.now(UTC)).date() + timedelta(days=1), time(10))
    workshop = make_workshop(sessions=[services.SessionInput(start, start + timedelta(hours=2))])
    services.register(make_user(), workshop.id)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["workshops", "send-reminders"])
    second = runner.invoke(args=["workshops", "send-reminders"])
    assert "Pengingat terkirim: 1 peserta." in first.output
    assert "Pengingat terkirim: 0 peserta." in second.output


def test_demo_load_completes_the_past_workshops_once_they_ended(app):
    """The demo's past workshops are completed (JP credited, certificates issued) as if ticked on the day."""
    from portal.demo.workshops import WORKSHOPS
    from portal.learning.models import LearningRecord, LearningSource
    from portal.workshops.models import Registration

    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for item in WORKSHOPS:
        workshop = db.session.scalar(select(Workshop).where(Workshop.external_id == item.key))
        completed = services.completed_registrations(workshop.id)
        assert len(completed) == len(set(item.attended)), item.key
        assert all(r.completed_at == workshop.ends_at and r.certificate_number for r in completed), item.key
    credited = (
        select(func.count()).select_from(LearningRecord).where(LearningRecord.source == LearningSource.ATTENDANCE)
    )
    completed_total = select(func.count()).select_from(Registration).where(Registration.completed_at.is_not(None))
    assert db.session.scalar(credited) == db.session.scalar(completed_total) > 0
