"""Attendance, completion and certificates follow the calendar (issue 13, item 1), with a frozen clock.

Attendance can be recorded from 60 minutes before a session until 14 days after its end; later only as an
audited correction with a reason. A registration completes (JP credited, certificate) only once the workshop's
last session has ended.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core import signals
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.models import LearningRecord
from portal.notifications.models import Notification
from portal.workshops import services
from portal.workshops.models import Attendance
from portal.workshops.services import WorkshopError
from tests.conftest import login
from tests.workshops.conftest import session_times

MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)


def _count(model, *where) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def two_day(make_workshop, make_user, organizer):
    """A published two-day workshop (08.00-12.00 WIB, ten days ahead) with one confirmed participant."""
    participant = make_user(name="Rina Peserta")
    workshop = make_workshop(sessions=session_times(days_ahead=10, sessions=2, hours=4))
    services.add_participant(organizer, workshop, participant.nip)
    workshop = services.get(workshop.id)
    return workshop, participant, services.registration_of(participant, workshop.id)


def _tick(organizer, workshop, registration, session, present=True, reason=""):
    return services.set_attendance(
        organizer, services.get(workshop.id), registration.id, session.id, present, reason=reason
    )


def test_attendance_before_the_window_is_refused_and_writes_nothing(two_day, organizer, clock):
    workshop, participant, registration = two_day
    first = workshop.sessions[0]
    clock.now = first.starts_at - 61 * MINUTE
    with pytest.raises(WorkshopError, match="baru dapat dicatat mulai .*, \\d+ \\w+ \\d{4}, 07.00 WIB"):
        _tick(organizer, workshop, registration, first)
    with pytest.raises(WorkshopError, match="baru dibuka"):
        services.check_in(participant, first.checkin_code)
    assert _count(Attendance) == 0
    clock.now = first.starts_at - 59 * MINUTE  # the check-in window: an hour before the start
    assert services.check_in(participant, first.checkin_code).already is False


def test_self_check_in_closes_soon_after_the_end_but_the_organizer_may_record_for_14_days(two_day, organizer, clock):
    workshop, participant, registration = two_day
    first = workshop.sessions[0]
    clock.now = first.ends_at + 31 * MINUTE
    with pytest.raises(WorkshopError, match="sudah ditutup"):
        services.check_in(participant, first.checkin_code)
    clock.now = first.ends_at + 14 * DAY  # the last moment of the correction period
    _tick(organizer, workshop, registration, first)
    assert services.present_session_ids(services.registration_of(participant, workshop.id)) == {first.id}
    assert _count(AuditEntry, AuditEntry.action == "workshop.attendance_correction") == 0


def test_after_the_correction_period_a_change_needs_a_reason_and_is_audited(two_day, organizer, clock):
    workshop, participant, registration = two_day
    first, last = workshop.sessions
    clock.now = last.ends_at + 14 * DAY + MINUTE
    with pytest.raises(WorkshopError, match="Masa koreksi presensi sesi ini berakhir") as refused:
        _tick(organizer, workshop, registration, first)
    assert refused.value.field == "reason"
    with pytest.raises(WorkshopError, match="Alasan wajib diisi"):
        _tick(organizer, workshop, registration, first, reason="lupa")
    assert _count(Attendance) == 0
    reason = "Daftar hadir kertas baru diserahkan narasumber."
    _tick(organizer, workshop, registration, first, reason=reason)
    _tick(organizer, workshop, registration, last, reason=reason)
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "workshop.attendance_correction")))
    assert len(entries) == 2 and all(reason in str(entry.details) for entry in entries)
    assert services.registration_of(participant, workshop.id).is_completed  # the correction completes it
    assert _count(LearningRecord) == 1


def test_a_multi_day_workshop_completes_only_after_its_last_session(two_day, organizer, clock):
    workshop, participant, registration = two_day
    first, last = workshop.sessions
    clock.now = first.starts_at + 10 * MINUTE
    services.check_in(participant, first.checkin_code)
    clock.now = last.starts_at + 10 * MINUTE
    services.check_in(participant, last.checkin_code)  # every session attended, the workshop still running
    assert not services.registration_of(participant, workshop.id).is_completed
    assert _count(LearningRecord) == 0  # the ledger shows nothing yet
    with pytest.raises(WorkshopError, match="setelah Anda menyelesaikan"):
        services.certificate_for(participant, services.get(workshop.id))
    assert services.complete_due() == 0

    clock.now = last.ends_at + MINUTE
    assert services.complete_due() == 1
    assert services.complete_due() == 0  # once
    done = services.registration_of(participant, workshop.id)
    assert done.is_completed and done.completed_at == last.ends_at  # completed when it ended, not when noticed
    record = db.session.scalar(select(LearningRecord))
    assert (record.jp, record.certificate_number) == (workshop.jp, done.certificate_number)
    assert services.certificate_for(participant, services.get(workshop.id)).number == done.certificate_number
    kinds = list(
        db.session.scalars(
            select(Notification.kind).where(Notification.user_id == participant.id).order_by(Notification.id)
        )
    )
    assert kinds.count("workshop.completed") == 1


def test_a_correction_after_completion_withdraws_and_restores_the_credit(two_day, organizer, clock):
    workshop, participant, registration = two_day
    first, last = workshop.sessions
    clock.now = last.ends_at + DAY
    _tick(organizer, workshop, registration, first)
    _tick(organizer, workshop, registration, last)
    number = services.registration_of(participant, workshop.id).certificate_number
    assert _count(LearningRecord) == 1

    _tick(organizer, workshop, registration, last, present=False)  # within the correction period
    assert _count(LearningRecord) == 0
    assert services.verify_certificate(number) is None

    clock.now = last.ends_at + 20 * DAY
    _tick(organizer, workshop, registration, last, reason="Salah centang, peserta hadir penuh.")
    assert _count(LearningRecord) == 1
    assert services.registration_of(participant, workshop.id).certificate_number == number


def test_completion_is_sent_as_a_signal_with_the_documented_arguments(two_day, organizer, clock):
    workshop, _participant, registration = two_day
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    signals.registration_completed.connect(receiver)
    try:
        clock.now = workshop.ends_at + MINUTE
        for session in workshop.sessions:
            _tick(organizer, workshop, registration, session)
    finally:
        signals.registration_completed.disconnect(receiver)
    sender, kwargs = received[-1]
    assert sender.id == workshop.id
    assert set(kwargs) == {
        "user_id", "workshop_id", "title", "development_type_id", "provider", "start_date", "end_date", "jp",
        "certificate_number", "competencies",
    }  # fmt: skip
    assert (kwargs["user_id"], kwargs["jp"], kwargs["end_date"] - kwargs["start_date"]) == (
        registration.user_id,
        workshop.jp,
        DAY,
    )


def test_workshop_rules_do_not_import_the_learning_ledger():
    import portal.workshops.services.attendance as attendance
    import portal.workshops.services.completion as completion
    import portal.workshops.services.registration as registration

    for module in (attendance, completion, registration):
        assert "learning" not in vars(module), module.__name__


# ---------------------------------------------------------------- pages


def test_attendance_page_follows_the_window(app, two_day, organizer, clock):
    workshop, _participant, registration = two_day
    first = workshop.sessions[0]
    client = app.test_client()
    login(client, organizer)
    url = f"/pelatihan/{workshop.id}/sesi/{first.id}/presensi"
    clock.now = first.starts_at - 2 * DAY
    page = client.get(url).get_data(as_text=True)
    assert "baru dapat dicatat mulai" in page and "Belum dibuka" in page and 'name="present"' not in page
    clock.now = first.starts_at
    page = client.get(url).get_data(as_text=True)
    assert "dapat dicatat dan dikoreksi sampai" in page and 'name="reason"' not in page
    clock.now = first.ends_at + 15 * DAY
    page = client.get(url).get_data(as_text=True)
    assert "wajib disertai alasan" in page and 'name="reason"' in page
    response = client.post(f"{url}/{registration.id}", data={"present": "1"}, headers={"HX-Request": "true"})
    assert "wajib disertai alasan" in response.get_data(as_text=True)
    assert _count(Attendance) == 0
    response = client.post(
        f"{url}/{registration.id}",
        data={"present": "1", "reason": "Daftar hadir kertas diserahkan terlambat."},
        headers={"HX-Request": "true"},
    )
    assert 'aria-pressed="true"' in response.get_data(as_text=True)
    assert _count(AuditEntry, AuditEntry.action == "workshop.attendance_correction") == 1


def test_qr_code_is_a_standalone_svg(app, two_day, organizer):
    workshop, _participant, _registration = two_day
    client = app.test_client()
    login(client, organizer)
    page = client.get(f"/pelatihan/{workshop.id}/sesi/{workshop.sessions[0].id}/qr").get_data(as_text=True)
    encoded = page.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    svg = base64.b64decode(encoded).decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_messages_appear_once_on_the_workshop_page(make_workshop, login_as):
    workshop = make_workshop()
    client = login_as(Role.MEMBER)
    page = client.post(f"/pelatihan/{workshop.id}/daftar", follow_redirects=True).get_data(as_text=True)
    assert page.count("Anda terdaftar. Kursi Anda sudah aman.") == 1
    box = client.post(f"/pelatihan/{workshop.id}/batal-daftar", headers={"HX-Request": "true"}).get_data(True)
    assert box.count("Pendaftaran Anda dibatalkan.") == 1  # an htmx swap shows it in the box


def test_cancellation_cut_off_is_shown_before_confirming(make_workshop, login_as, clock):
    workshop = make_workshop(sessions=session_times(days_ahead=3, sessions=1))
    client = login_as(Role.MEMBER)
    client.post(f"/pelatihan/{workshop.id}/daftar")
    cutoff = workshop.starts_at - timedelta(hours=24)
    page = client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)
    assert "Batalkan pendaftaran" in page
    assert "Pembatalan bisa sampai" in page and ", 08.00 WIB" in page and str(cutoff.year) in page
    clock.now = cutoff
    page = client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)
    assert "Batalkan pendaftaran" not in page  # no button once the cut-off has passed
    assert "Pembatalan hanya bisa sampai" in page and "Hubungi penyelenggara" in page
