"""Workshop rules through the services: validation, sign-up, waiting list, attendance, JP credit, certificates."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import EmploymentStatus
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus
from portal.learning.seed import upsert_development_types
from portal.notifications.models import Notification
from portal.workshops import services
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from portal.workshops.services import SessionInput, WorkshopError
from tests.workshops.conftest import session_times, workshop_input

CONFIRMED, WAITLISTED, PENDING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING


def _count(model) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model))


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def _started_workshop(make_workshop, organizer, participant, minutes_ago: int = 10, sessions: int = 2):
    """A workshop whose first session began ``minutes_ago``; the participant was added by the organizer."""
    start = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    times = [SessionInput(start + timedelta(days=n), start + timedelta(days=n, hours=3)) for n in range(sessions)]
    workshop = make_workshop(sessions=times)
    services.add_participant(organizer, workshop, participant.nip)
    return services.get(workshop.id)


# ---------------------------------------------------------------- authoring


def test_jp_is_computed_from_sessions_and_can_be_overridden(make_workshop, app):
    # A curriculum training (KL03) counts its classical lessons: minutes / WORKSHOPS_MINUTES_PER_JP.
    two_three_hour_sessions = session_times(sessions=2, hours=3)
    assert make_workshop(sessions=two_three_hour_sessions).jp == 8  # 360 minutes / 45
    assert make_workshop(sessions=session_times(hours=3.5, sessions=1)).jp == 4  # 210 min: partial JP not counted
    overridden = make_workshop(jp=6, jp_reason="Dua jam praktik mandiri tidak dihitung.")
    assert (overridden.jp, overridden.jp_overridden) == (6, True)
    app.config["WORKSHOPS_MINUTES_PER_JP"] = 60
    try:
        assert make_workshop(sessions=two_three_hour_sessions).jp == 6
    finally:
        app.config["WORKSHOPS_MINUTES_PER_JP"] = 45


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"jp": -1}, "JP harus bilangan bulat", "jp"),
        ({"capacity": 0}, "Kapasitas harus", "capacity"),
        ({"title": "Abc"}, "Judul wajib diisi", "title"),
        ({"sessions": []}, "paling sedikit satu sesi", "sessions"),
        ({"development_type_id": None}, "jenis pengembangan", "development_type_id"),
        ({"competency_codes": ["X.99"]}, "X.99 tidak ada", "competencies"),
        ({"online_url": "javascript:alert(1)"}, "https://", "online_url"),
        ({"provider_name": ""}, "penyelenggara", "provider_name"),
        ({"attendance_threshold": 3}, "Batas kehadiran", "attendance_threshold"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(development_types, catalogue, organizer, fields, message, field):
    with pytest.raises(WorkshopError) as refused:
        services.create(organizer, workshop_input(**fields))
    assert message in str(refused.value.message)
    assert refused.value.field == field
    assert _count(Workshop) == 0


def test_session_ending_before_it_starts_is_refused(development_types, catalogue, organizer):
    start = datetime.now(UTC) + timedelta(days=3)
    with pytest.raises(WorkshopError, match="jam selesai harus setelah jam mulai"):
        services.create(organizer, workshop_input(sessions=[SessionInput(start, start - timedelta(hours=1))]))
    with pytest.raises(WorkshopError, match="isi tanggal, jam mulai"):
        services.create(organizer, workshop_input(sessions=[SessionInput(start, None)]))
    assert _count(Workshop) == 0


def test_registration_must_close_before_the_start(development_types, catalogue, organizer):
    sessions = session_times(days_ahead=5)
    with pytest.raises(WorkshopError, match="sebelum sesi pertama"):
        services.create(
            organizer, workshop_input(sessions=sessions, registration_closes_at=sessions[0].starts_at + timedelta(1))
        )


def test_only_organizers_create_and_only_owners_or_admins_manage(make_workshop, make_user, development_types):
    member, other_organizer, admin = make_user(), make_user(Role.ORGANIZER), make_user(Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.create(member, workshop_input())
    workshop = make_workshop()
    assert not services.can_manage(other_organizer, workshop)
    assert services.can_manage(admin, workshop)
    with pytest.raises(PermissionDenied):
        services.update(other_organizer, workshop, workshop_input(title="Diubah orang lain"))


def test_drafts_are_visible_only_to_managers(make_workshop, make_user, organizer):
    draft = make_workshop(status="draft")
    assert services.get_visible(make_user(), draft.id) is None
    assert services.get_visible(organizer, draft.id) is not None
    assert "<strong>pelayanan prima</strong>" in draft.description_html


# ---------------------------------------------------------------- sign-up and waiting list


def test_full_workshop_puts_people_on_the_waiting_list_with_positions(make_workshop, make_user):
    workshop = make_workshop(capacity=2)
    users = [make_user() for _ in range(4)]
    statuses = [services.register(user, workshop.id).status for user in users]
    assert statuses == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    positions = [services.waiting_position(services.registration_of(user, workshop.id)) for user in users]
    assert positions == [None, None, 1, 2]
    assert services.seats_left(workshop) == 0


def test_double_registration_is_refused(make_workshop, make_user):
    workshop, user = make_workshop(), make_user()
    services.register(user, workshop.id)
    with pytest.raises(WorkshopError, match="sudah terdaftar"):
        services.register(user, workshop.id)
    assert _count(Registration) == 1


def test_cancellation_promotes_the_first_waiting_and_notifies_them(make_workshop, make_user):
    workshop = make_workshop(capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    for user in (first, second, third):
        services.register(user, workshop.id)
    services.cancel(first, workshop.id)
    assert services.registration_of(second, workshop.id).status == CONFIRMED
    assert services.registration_of(third, workshop.id).status == WAITLISTED
    assert _kinds(second) == ["workshop.promoted"]
    assert _kinds(third) == []


def test_leaving_and_returning_queues_again_at_the_end(make_workshop, make_user):
    workshop = make_workshop(capacity=1)
    holder, early, late = make_user(), make_user(), make_user()
    for user in (holder, early, late):
        services.register(user, workshop.id)
    services.cancel(early, workshop.id)
    services.register(early, workshop.id)
    assert services.waiting_position(services.registration_of(late, workshop.id)) == 1
    assert services.waiting_position(services.registration_of(early, workshop.id)) == 2


def test_capacity_increase_promotes_and_decrease_below_confirmed_is_refused(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=2)
    users = [make_user() for _ in range(4)]
    for user in users:
        services.register(user, workshop.id)
    with pytest.raises(WorkshopError, match=r"kurang dari jumlah peserta terkonfirmasi \(2\)") as refused:
        services.update(organizer, workshop, workshop_input(capacity=1))
    assert refused.value.field == "capacity"
    assert services.get(workshop.id).capacity == 2
    services.update(organizer, services.get(workshop.id), workshop_input(capacity=3))
    assert [services.registration_of(u, workshop.id).status for u in users] == [CONFIRMED] * 3 + [WAITLISTED]


def test_ineligible_unit_and_employment_status_cannot_register(make_workshop, make_user, make_unit, unit):
    other_unit = make_unit("Dinas Pendidikan")
    workshop = make_workshop(eligible_unit_ids=[unit.id])
    with pytest.raises(WorkshopError, match="hanya untuk pegawai unit kerja tertentu"):
        services.register(make_user(unit_id=other_unit.id), workshop.id)
    pppk_only = make_workshop(employment_filter="pppk")
    with pytest.raises(WorkshopError, match="hanya untuk PPPK"):
        services.register(make_user(), pppk_only.id)
    assert services.register(make_user(employment_status=EmploymentStatus.PPPK), pppk_only.id).status == CONFIRMED
    assert _count(Registration) == 1


def test_registration_window_is_enforced(make_workshop, make_user):
    later = datetime.now(UTC) + timedelta(days=2)
    not_yet = make_workshop(registration_opens_at=later)
    with pytest.raises(WorkshopError, match="Pendaftaran dibuka mulai"):
        services.register(make_user(), not_yet.id)
    closed = make_workshop(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(WorkshopError, match="Pendaftaran sudah ditutup"):
        services.register(make_user(), closed.id)
    draft = make_workshop(status="draft")
    with pytest.raises(WorkshopError):
        services.register(make_user(), draft.id)
    assert _count(Registration) == 0


def _in_hours(hours: int) -> list[SessionInput]:
    start = datetime.now(UTC) + timedelta(hours=hours)
    return [SessionInput(start, start + timedelta(hours=3))]


def test_confirmed_seat_cannot_be_cancelled_after_the_cut_off(make_workshop, make_user):
    soon = make_workshop(sessions=_in_hours(10))
    user, waiting = make_user(), make_user()
    services.register(user, soon.id)
    with pytest.raises(WorkshopError, match="Pembatalan hanya bisa sampai"):
        services.cancel(user, soon.id)
    assert services.registration_of(user, soon.id).status == CONFIRMED
    # A waiting-list place can still be given up after the cut-off.
    full = make_workshop(capacity=1, sessions=_in_hours(10))
    services.register(make_user(), full.id)
    services.register(waiting, full.id)
    assert services.cancel(waiting, full.id).status == RegistrationStatus.CANCELLED


def test_approval_mode(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=1, approval_mode="organizer")
    first, second, third = make_user(), make_user(), make_user()
    assert [services.register(u, workshop.id).status for u in (first, second, third)] == [PENDING] * 3
    services.approve(organizer, workshop, services.registration_of(first, workshop.id).id)
    services.approve(organizer, workshop, services.registration_of(second, workshop.id).id)
    with pytest.raises(WorkshopError, match="Alasan wajib diisi"):
        services.reject(organizer, workshop, services.registration_of(third, workshop.id).id, "no")
    services.reject(organizer, workshop, services.registration_of(third, workshop.id).id, "Bukan sasaran pelatihan.")
    assert [services.registration_of(u, workshop.id).status for u in (first, second, third)] == [
        CONFIRMED,
        WAITLISTED,
        RegistrationStatus.REJECTED,
    ]
    assert _kinds(second) == ["workshop.approved_waiting"]
    assert _kinds(third) == ["workshop.rejected"]
    with pytest.raises(WorkshopError, match="sudah ditolak"):
        services.register(third, workshop.id)


def test_organizer_adds_and_removes_participants(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=1)
    added, waiting = make_user(), make_user()
    services.add_participant(organizer, workshop, added.nip)
    assert services.add_participant(organizer, workshop, waiting.nip).status == WAITLISTED
    with pytest.raises(WorkshopError, match="tidak ditemukan"):
        services.add_participant(organizer, workshop, "199001012019031999")
    services.remove_participant(organizer, workshop, services.registration_of(added, workshop.id).id)
    assert services.registration_of(waiting, workshop.id).status == CONFIRMED
    assert _kinds(added) == ["workshop.added", "workshop.removed"]


def test_cancelling_a_workshop_notifies_every_registrant(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=1)
    users = [make_user() for _ in range(3)]
    for user in users:
        services.register(user, workshop.id)
    with pytest.raises(WorkshopError, match="Alasan wajib diisi"):
        services.cancel_workshop(organizer, workshop, "")
    assert services.cancel_workshop(organizer, workshop, "Narasumber berhalangan hadir.") == 3
    assert all(_kinds(user) == ["workshop.cancelled"] for user in users)
    assert services.get(workshop.id).status == WorkshopStatus.CANCELLED


# ---------------------------------------------------------------- attendance, credit, certificates


def test_completion_credits_jp_exactly_once_and_follows_attendance(make_workshop, make_user, organizer, clock):
    participant = make_user()
    workshop = _started_workshop(make_workshop, organizer, participant)
    registration = services.registration_of(participant, workshop.id)
    first, second = workshop.sessions
    services.set_attendance(organizer, workshop, registration.id, first.id, True)
    assert _count(LearningRecord) == 0  # one of two sessions: not complete yet
    clock.now = second.starts_at + timedelta(minutes=5)
    for _ in range(2):  # ticking twice changes nothing
        services.set_attendance(organizer, services.get(workshop.id), registration.id, second.id, True)
    assert _count(LearningRecord) == 0  # every session attended, but the last one has not ended
    clock.now = second.ends_at + timedelta(minutes=1)
    assert services.complete_due() == 1
    record = db.session.scalar(select(LearningRecord))
    assert _count(LearningRecord) == 1
    assert (record.jp, record.source, record.status) == (
        workshop.jp,
        LearningSource.ATTENDANCE,
        LearningStatus.VERIFIED,
    )
    assert [c.code for c in record.competencies] == ["M.05"]
    number = services.registration_of(participant, workshop.id).certificate_number
    assert record.certificate_number == number
    assert _kinds(participant).count("workshop.completed") == 1

    same_sessions = [SessionInput(s.starts_at, s.ends_at) for s in workshop.sessions]
    services.update(
        organizer,
        services.get(workshop.id),
        workshop_input(sessions=same_sessions, jp=12, jp_reason="Ditambah tugas mandiri."),
    )
    db.session.expire_all()
    assert _count(LearningRecord) == 1 and db.session.scalar(select(LearningRecord.jp)) == 12

    services.set_attendance(organizer, services.get(workshop.id), registration.id, second.id, False)
    assert _count(LearningRecord) == 0
    assert services.verify_certificate(number) is None  # no longer complete: the certificate is not valid
    services.set_attendance(organizer, services.get(workshop.id), registration.id, second.id, True)
    assert services.registration_of(participant, workshop.id).certificate_number == number  # the same number
    assert _kinds(participant).count("workshop.completed") == 1


def test_attendance_threshold_decides_completion(make_workshop, make_user, organizer, clock):
    participant = make_user()
    workshop = _started_workshop(make_workshop, organizer, participant)
    same_sessions = [SessionInput(s.starts_at, s.ends_at) for s in workshop.sessions]
    services.update(organizer, workshop, workshop_input(sessions=same_sessions, attendance_threshold=1))
    workshop = services.get(workshop.id)
    services.set_attendance(
        organizer, workshop, services.registration_of(participant, workshop.id).id, workshop.sessions[0].id, True
    )
    assert not services.registration_of(participant, workshop.id).is_completed  # the second session is to come
    clock.now = workshop.ends_at
    assert services.complete_due() == 1
    assert services.registration_of(participant, workshop.id).is_completed


def test_qr_check_in_window_registration_and_idempotence(make_workshop, make_user, organizer):
    participant, stranger = make_user(), make_user()
    workshop = _started_workshop(make_workshop, organizer, participant)
    current, tomorrow = workshop.sessions
    with pytest.raises(WorkshopError, match="bukan peserta terkonfirmasi"):
        services.check_in(stranger, current.checkin_code)
    with pytest.raises(WorkshopError, match="baru dibuka"):
        services.check_in(participant, tomorrow.checkin_code)
    with pytest.raises(WorkshopError, match="Kode presensi tidak dikenal"):
        services.check_in(participant, "kode-palsu")
    assert services.check_in(participant, current.checkin_code).already is False
    assert services.check_in(participant, current.checkin_code).already is True
    assert services.present_session_ids(services.registration_of(participant, workshop.id)) == {current.id}


def test_qr_check_in_after_the_session_is_refused(make_workshop, make_user, organizer):
    participant = make_user()
    workshop = _started_workshop(make_workshop, organizer, participant, minutes_ago=5 * 60, sessions=1)
    with pytest.raises(WorkshopError, match="sudah ditutup"):
        services.check_in(participant, workshop.sessions[0].checkin_code)
    assert services.present_session_ids(services.registration_of(participant, workshop.id)) == set()


def test_certificate_verification(make_workshop, make_user, organizer, clock):
    participant = make_user(name="Desi Ratnasari")
    workshop = _started_workshop(make_workshop, organizer, participant, sessions=1)
    with pytest.raises(WorkshopError, match="setelah Anda menyelesaikan"):
        services.certificate_for(participant, workshop)
    services.check_in(participant, workshop.sessions[0].checkin_code)
    with pytest.raises(WorkshopError, match="setelah Anda menyelesaikan"):  # the session is still running
        services.certificate_for(participant, services.get(workshop.id))
    clock.now = workshop.ends_at
    services.complete_due()
    certificate = services.certificate_for(participant, services.get(workshop.id))
    found = services.verify_certificate(certificate.number.lower())
    assert (found.name, found.workshop_title, found.jp) == ("Desi Ratnasari", workshop.title, workshop.jp)
    forged = certificate.number[:-1] + ("0" if certificate.number[-1] != "0" else "1")
    for number in (forged, "PKA-2026-0001-ABCDEF12", "bukan nomor", "", "' OR 1=1 --"):
        assert services.verify_certificate(number) is None


# ---------------------------------------------------------------- reminders, seed


def test_reminders_go_out_once_the_day_before(make_workshop, make_user):
    start = services.local_moment(services.to_local(datetime.now(UTC)).date() + timedelta(days=1), time(10))
    tomorrow = make_workshop(sessions=[SessionInput(start, start + timedelta(hours=2))])
    next_week = make_workshop(sessions=session_times(days_ahead=7, sessions=1))
    users = [make_user() for _ in range(3)]
    for user in users[:2]:
        services.register(user, tomorrow.id)
    services.register(users[2], next_week.id)
    now = datetime.now(UTC)
    assert services.send_reminders(now) == 2
    assert services.send_reminders(now) == 0
    assert [_kinds(u) for u in users] == [["workshop.reminder"], ["workshop.reminder"], []]


def test_development_type_seed_is_idempotent(app):
    assert upsert_development_types()["created"] == 25
    assert upsert_development_types() == {"unchanged": 25}
