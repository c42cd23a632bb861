"""Read-only lookups other features may use (the personal home page): what a person still has to fill in, counted
and listed in a fixed number of statements. The same rule as :func:`portal.feedback.services.pending.overview`
(which checks form by form with ``answering.can_answer``), written as set queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import joinedload

from portal.core.permissions import Actor
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FollowUpRequest,
    FollowUpRole,
    FormAudience,
    FormPurpose,
    FormStatus,
    Respondent,
    form_units,
)
from portal.feedback.services.common import FOLLOWUP_PURPOSES
from portal.workshops.models import Registration, RegistrationStatus, Workshop


@dataclass(frozen=True)
class ToFill:
    form: FeedbackForm
    participant_id: int | None = None  # a supervisor's follow-up: the participant it is about
    participant_name: str = ""


def _takes_answers(now: datetime):
    return and_(
        FeedbackForm.status == FormStatus.OPEN,
        FeedbackForm.is_template.is_(False),
        or_(FeedbackForm.opens_at.is_(None), FeedbackForm.opens_at <= now),
        or_(FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at > now),
    )


def _forms_statement(user: Actor, now: datetime):
    rows = db.session.execute(
        select(Registration.workshop_id, Registration.completed_at, Workshop.starts_at)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.user_id == user.id, Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    before_start = [workshop_id for workshop_id, _done, starts_at in rows if now < starts_at]
    completed = [workshop_id for workshop_id, done, _starts in rows if done is not None]
    in_unit = exists().where(form_units.c.form_id == FeedbackForm.id, form_units.c.unit_id == user.unit_id)
    workshop_form = or_(
        and_(FeedbackForm.purpose == FormPurpose.PRE_TEST, FeedbackForm.workshop_id.in_(before_start))
        if before_start
        else false(),
        and_(FeedbackForm.purpose != FormPurpose.PRE_TEST, FeedbackForm.workshop_id.in_(completed))
        if completed
        else false(),
    )
    answered = exists().where(
        Respondent.form_id == FeedbackForm.id, Respondent.user_id == user.id, Respondent.subject_user_id.is_(None)
    )
    return select(FeedbackForm).where(
        _takes_answers(now),
        FeedbackForm.purpose.not_in(FOLLOWUP_PURPOSES),
        or_(
            FeedbackForm.audience == FormAudience.ALL_ASN,
            and_(FeedbackForm.audience == FormAudience.UNITS, in_unit),
            and_(FeedbackForm.audience == FormAudience.WORKSHOP, workshop_form),
        ),
        ~answered,
    )


def _followups_statement(user: Actor, now: datetime):
    answered = exists().where(
        Respondent.form_id == FollowUpRequest.form_id,
        Respondent.user_id == user.id,
        or_(
            and_(
                FollowUpRequest.role == FollowUpRole.SUPERVISOR,
                Respondent.subject_user_id == FollowUpRequest.participant_id,
            ),
            and_(FollowUpRequest.role != FollowUpRole.SUPERVISOR, Respondent.subject_user_id.is_(None)),
        ),
    )
    return (
        select(FollowUpRequest)
        .join(FeedbackForm, FeedbackForm.id == FollowUpRequest.form_id)
        .where(FollowUpRequest.respondent_id == user.id, _takes_answers(now), ~answered)
    )


def to_fill(user: Actor, now: datetime, limit: int = 5) -> tuple[list[ToFill], int]:
    """Evaluations, surveys and follow-ups the person may answer now and has not: the first ``limit`` (soonest
    deadline first) and how many there are. Five statements, whatever the number of forms."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return [], 0
    forms = _forms_statement(user, now)
    followups = _followups_statement(user, now)
    total = (db.session.scalar(select(func.count()).select_from(forms.subquery())) or 0) + (
        db.session.scalar(select(func.count()).select_from(followups.subquery())) or 0
    )
    deadline = (FeedbackForm.closes_at.is_(None), FeedbackForm.closes_at, FeedbackForm.id)
    items = [ToFill(form) for form in db.session.scalars(forms.order_by(*deadline).limit(limit))]
    requests = db.session.scalars(
        followups.order_by(*deadline, FollowUpRequest.id)
        .limit(limit)
        .options(joinedload(FollowUpRequest.form), joinedload(FollowUpRequest.participant))
    )
    for request in requests:
        if request.role == FollowUpRole.SUPERVISOR:
            items.append(ToFill(request.form, request.participant_id, request.participant.name))
        else:
            items.append(ToFill(request.form))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda item: (item.form.closes_at or far, item.form.id))
    return items[:limit], total
