"""L3 follow-ups: some days after a participant completed a workshop, ask them (and their supervisor) whether
their work changed. ``flask feedback send-followups`` runs :func:`send_due_followups` from cron; it is
idempotent: a request exists at most once per form, participant and respondent (a unique key), and a run takes
the write lock first, so two runs at the same time cannot both create one.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from portal.accounts.models import User
from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackForm, FollowUpRequest, FollowUpRole, FormPurpose, FormStatus
from portal.notifications import services as notifications
from portal.workshops import services as workshops

NOTIFICATION_KINDS = {
    "feedback.followup": _l(
        'Evaluasi pasca pelatihan "%(title)s": ceritakan apakah pelatihan itu mengubah cara Anda bekerja.'
    ),
    "feedback.followup_supervisor": _l(
        'Evaluasi pasca pelatihan: bagaimana %(participant)s menerapkan pelatihan "%(title)s" dalam pekerjaannya?'
    ),
}
ROLES = {
    FormPurpose.FOLLOWUP_PARTICIPANT: FollowUpRole.PARTICIPANT,
    FormPurpose.FOLLOWUP_SUPERVISOR: FollowUpRole.SUPERVISOR,
}


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


def answer_url(form_id: int, participant_id: int | None = None) -> str:
    """The answer page's path (``?untuk=`` names the participant for a supervisor); also outside requests."""
    values: dict[str, Any] = (
        {"form_id": form_id} if participant_id is None else {"form_id": form_id, "untuk": participant_id}
    )
    if has_request_context():
        return url_for("feedback.answer", **values)
    return current_app.url_map.bind("").build("feedback.answer", values)


def _due_forms(now: datetime) -> list[FeedbackForm]:
    forms = db.session.scalars(
        select(FeedbackForm)
        .where(
            FeedbackForm.purpose.in_(list(ROLES)),
            FeedbackForm.status == FormStatus.OPEN,
            FeedbackForm.is_template.is_(False),
            FeedbackForm.workshop_id.is_not(None),
            FeedbackForm.followup_days.is_not(None),
        )
        .order_by(FeedbackForm.id)
    )
    return [form for form in forms if not (form.closes_at and now >= form.closes_at)]


def _respondent(form: FeedbackForm, participant: User) -> User | None:
    if ROLES[form.purpose] == FollowUpRole.PARTICIPANT:
        return participant
    return db.session.get(User, participant.supervisor_id) if participant.supervisor_id else None


def _send_for_form(form: FeedbackForm, now: datetime, counts: Counter) -> None:
    assert form.workshop_id is not None and form.followup_days is not None  # as _due_forms selects them
    role = ROLES[form.purpose]
    rows = db.session.execute(
        select(FollowUpRequest.participant_id, FollowUpRequest.respondent_id).where(FollowUpRequest.form_id == form.id)
    )
    asked = {(participant_id, respondent_id) for participant_id, respondent_id in rows}
    title = form.workshop.title if form.workshop else form.title
    for registration in workshops.completed_registrations(form.workshop_id):
        assert registration.completed_at is not None  # as completed_registrations selects them
        due_at = registration.completed_at + timedelta(days=form.followup_days)
        if due_at > now:
            continue
        participant = registration.user
        respondent = _respondent(form, participant)
        if respondent is None:
            counts["no_supervisor"] += 1
            continue
        if (participant.id, respondent.id) in asked:
            continue
        if not respondent.is_active:
            counts["inactive"] += 1
            continue
        db.session.add(
            FollowUpRequest(
                form_id=form.id,
                participant_id=participant.id,
                respondent_id=respondent.id,
                role=role,
                due_at=due_at,
                sent_at=now,
            )
        )
        asked.add((participant.id, respondent.id))
        counts[role.value] += 1
        params: dict[str, Any]  # the message's parameters
        if role == FollowUpRole.PARTICIPANT:
            kind, url, params = "feedback.followup", answer_url(form.id), {}
        else:
            kind, url, params = (
                "feedback.followup_supervisor",
                answer_url(form.id, participant.id),
                {"participant": participant.name},
            )
        counts["notified"] += notifications.notify([respondent], kind, url, title=title, **params)


def send_due_followups(now: datetime | None = None) -> Counter:
    """Create and announce every follow-up request that is due; returns counts.

    Keys: ``participant`` and ``supervisor`` (requests created), ``notified``, ``no_supervisor`` (a supervisor
    follow-up skipped because the participant has no supervisor set), ``inactive`` (the respondent's account is
    deactivated). A request already made is never made again, so running twice creates nothing new.
    """
    now = now or utcnow()
    counts: Counter = Counter()
    write_transaction(db.session())
    try:
        for form in _due_forms(now):
            _send_for_form(form, now, counts)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return counts
