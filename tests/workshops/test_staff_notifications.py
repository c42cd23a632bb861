"""Organizers hear of registrations waiting for approval and of a waiting list that moved — never of their own
action."""

from __future__ import annotations

from portal.core.permissions import Role
from portal.workshops import services
from portal.workshops.models import ApprovalMode
from tests.notified import notes, recipients


def test_a_pending_registration_notifies_the_organizer_with_the_pending_list(make_workshop, make_user, organizer):
    workshop = make_workshop(approval_mode=ApprovalMode.ORGANIZER)
    admin = make_user(Role.ADMIN)
    participant = make_user(name="Andi Pendaftar")
    services.register(participant, workshop.id)
    assert recipients("workshop.registration_pending") == {organizer.id}
    assert admin.id not in recipients("workshop.registration_pending")
    note = notes("workshop.registration_pending")[0]
    assert note.url == f"/pelatihan/{workshop.id}/peserta#h-pending"
    assert note.params["actor"] == "Andi Pendaftar"


def test_signing_up_again_while_unread_is_one_notification(make_workshop, make_user):
    workshop = make_workshop(approval_mode=ApprovalMode.ORGANIZER)
    participant = make_user()
    services.register(participant, workshop.id)
    services.cancel(participant, workshop.id)
    services.register(participant, workshop.id)
    assert len(notes("workshop.registration_pending")) == 1


def test_automatic_sign_up_asks_the_organizer_nothing(make_workshop, make_user):
    workshop = make_workshop()
    services.register(make_user(), workshop.id)
    assert notes("workshop.registration_pending") == []


def test_the_organizer_signing_up_for_their_own_workshop_is_not_told(make_workshop, organizer):
    workshop = make_workshop(approval_mode=ApprovalMode.ORGANIZER)
    services.register(organizer, workshop.id)
    assert notes("workshop.registration_pending") == []


def test_a_cancellation_that_moves_the_waiting_list_notifies_the_organizer(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=1)
    seated, waiting = make_user(), make_user()
    services.register(seated, workshop.id)
    services.register(waiting, workshop.id)
    assert notes("workshop.waitlist_moved") == []
    services.cancel(seated, workshop.id)
    assert recipients("workshop.promoted") == {waiting.id}
    assert recipients("workshop.waitlist_moved") == {organizer.id}
    note = notes("workshop.waitlist_moved")[0]
    assert note.url == f"/pelatihan/{workshop.id}/peserta#h-confirmed"
    assert note.actor_id == seated.id


def test_the_organizer_removing_a_participant_is_not_told_the_list_moved(make_workshop, make_user, organizer):
    workshop = make_workshop(capacity=1)
    seated, waiting = make_user(), make_user()
    registration = services.register(seated, workshop.id)
    services.register(waiting, workshop.id)
    services.remove_participant(organizer, workshop, registration.id)
    assert recipients("workshop.promoted") == {waiting.id}
    assert notes("workshop.waitlist_moved") == []
