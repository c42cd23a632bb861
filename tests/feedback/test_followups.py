"""L3 follow-ups: ``send_due_followups`` and ``flask feedback send-followups`` create each request once, when due,
for the participant or their supervisor (skipped without one), and notify the respondent."""

# ruff: noqa: F811 - pytest fixtures imported from answering_setup are parameters of the tests
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback.models import FollowUpRequest, FollowUpRole, FormPurpose, FormStatus, QuestionKind
from portal.feedback.services import answering
from portal.feedback.services.followups import send_due_followups
from portal.notifications import services as notifications
from portal.notifications.models import Notification
from portal.workshops import services as workshops
from tests.feedback.answering_setup import (  # noqa: F401 - fixtures
    attend,
    catalogue,
    development_types,
    make_workshop,
    organizer,
    participant,
    past_workshop,
)
from tests.feedback.factories import Q, make_form

DAYS = 90
QUESTIONS = [Q(QuestionKind.LONG_TEXT, "Apa yang berubah dalam pekerjaan Anda?")]


def _followup(organizer, workshop, purpose=FormPurpose.FOLLOWUP_PARTICIPANT, **columns):
    return make_form(organizer, QUESTIONS, purpose=purpose, workshop=workshop, followup_days=DAYS, **columns)


def _completed_at(user, workshop):
    return workshops.registration_of(user, workshop.id).completed_at


def _requests():
    db.session.commit()
    rows = db.session.scalars(select(FollowUpRequest).order_by(FollowUpRequest.id))
    return [(r.form_id, r.participant_id, r.respondent_id, r.role) for r in rows]


def _notifications(kind):
    rows = db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id))
    return [(n.user_id, n.url, notifications.message_for(n)) for n in rows]


def test_a_participant_is_asked_once_when_the_days_have_passed(organizer, past_workshop, participant):
    form = _followup(organizer, past_workshop)
    due = _completed_at(participant, past_workshop) + timedelta(days=DAYS)

    assert send_due_followups(now=due - timedelta(minutes=1)) == {}
    assert _requests() == []

    counts = send_due_followups(now=due)
    assert counts == {"participant": 1, "notified": 1}
    assert _requests() == [(form.id, participant.id, participant.id, FollowUpRole.PARTICIPANT)]
    request = db.session.scalar(select(FollowUpRequest))
    assert request.due_at == due
    assert _notifications("feedback.followup") == [
        (
            participant.id,
            f"/evaluasi/{form.id}/isi",
            f'Evaluasi pasca pelatihan "{past_workshop.title}": ceritakan apakah pelatihan itu mengubah cara Anda '
            "bekerja.",
        )
    ]

    assert send_due_followups(now=due + timedelta(days=1)) == {}  # idempotent
    assert len(_requests()) == 1
    assert len(_notifications("feedback.followup")) == 1
    assert answering.can_answer(participant, form)


def test_the_supervisor_is_asked_about_each_participant_and_those_without_one_are_skipped(
    make_user, organizer, past_workshop, participant
):
    form = _followup(organizer, past_workshop, purpose=FormPurpose.FOLLOWUP_SUPERVISOR)
    boss = make_user(Role.MEMBER, name="Ibu Kepala Bidang")
    participant.supervisor_id = boss.id
    colleague = make_user(name="Dedi Peserta", supervisor_id=boss.id)
    loner = make_user(name="Tanpa Atasan")
    db.session.commit()
    attend(organizer, past_workshop, colleague)
    attend(organizer, past_workshop, loner)
    later = _completed_at(loner, past_workshop) + timedelta(days=DAYS)

    counts = send_due_followups(now=later)

    assert counts == {"supervisor": 2, "notified": 2, "no_supervisor": 1}
    assert _requests() == [
        (form.id, participant.id, boss.id, FollowUpRole.SUPERVISOR),
        (form.id, colleague.id, boss.id, FollowUpRole.SUPERVISOR),
    ]
    sent = _notifications("feedback.followup_supervisor")
    assert sorted(url for _user, url, _text in sent) == sorted(
        [f"/evaluasi/{form.id}/isi?untuk={participant.id}", f"/evaluasi/{form.id}/isi?untuk={colleague.id}"]
    )
    assert {user for user, _url, _text in sent} == {boss.id}
    assert (
        f'Evaluasi pasca pelatihan: bagaimana {participant.name} menerapkan pelatihan "{past_workshop.title}" '
        "dalam pekerjaannya?"
    ) in [text for _user, _url, text in sent]

    assert send_due_followups(now=later) == {"no_supervisor": 1}  # nothing new; the skip is reported again
    assert len(_requests()) == 2
    assert answering.can_answer(boss, form, participant)
    assert answering.can_answer(boss, form, colleague)


def test_deactivated_supervisors_are_not_asked(make_user, organizer, past_workshop, participant):
    _followup(organizer, past_workshop, purpose=FormPurpose.FOLLOWUP_SUPERVISOR)
    participant.supervisor_id = make_user(active=False).id
    db.session.commit()
    counts = send_due_followups(now=_completed_at(participant, past_workshop) + timedelta(days=DAYS))
    assert counts == {"inactive": 1}
    assert _requests() == []


@pytest.mark.parametrize(
    "columns",
    [{"status": FormStatus.DRAFT}, {"status": FormStatus.CLOSED}, {"is_template": True}],
    ids=["draft", "closed", "template"],
)
def test_forms_not_open_send_nothing(organizer, past_workshop, participant, columns):
    _followup(organizer, past_workshop, **columns)
    assert send_due_followups(now=_completed_at(participant, past_workshop) + timedelta(days=DAYS + 1)) == {}
    assert _requests() == []


def test_a_form_past_its_closing_date_sends_nothing(organizer, past_workshop, participant):
    due = _completed_at(participant, past_workshop) + timedelta(days=DAYS)
    _followup(organizer, past_workshop, closes_at=due - timedelta(days=1))
    assert send_due_followups(now=due) == {}


def test_participants_who_did_not_complete_are_not_asked(make_user, organizer, past_workshop, participant):
    _followup(organizer, past_workshop)
    absent = make_user(name="Tidak Hadir")
    workshops.add_participant(organizer, past_workshop, absent.nip)
    counts = send_due_followups(now=_completed_at(participant, past_workshop) + timedelta(days=DAYS))
    assert counts == {"participant": 1, "notified": 1}
    assert [row[1] for row in _requests()] == [participant.id]


def test_the_command_prints_the_counts_and_is_safe_to_repeat(app, organizer, past_workshop, participant):
    _followup(organizer, past_workshop)
    _followup(organizer, past_workshop, purpose=FormPurpose.FOLLOWUP_SUPERVISOR)
    registration = workshops.registration_of(participant, past_workshop.id)
    registration.completed_at -= timedelta(days=DAYS)  # completed three months ago
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["feedback", "send-followups"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "Permintaan evaluasi pasca pelatihan dibuat: 1 untuk peserta, 0 untuk atasan (1 pemberitahuan).",
        "Dilewati: 1 peserta tanpa atasan tercatat, 0 akun nonaktif.",
    ]
    again = runner.invoke(args=["feedback", "send-followups"])
    assert again.output.splitlines()[0] == (
        "Permintaan evaluasi pasca pelatihan dibuat: 0 untuk peserta, 0 untuk atasan (0 pemberitahuan)."
    )
    assert len(_requests()) == 1
