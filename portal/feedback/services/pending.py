"""What a person still has to fill in (and what they answered), and the certificate hook: a workshop's evaluation
holds back the participant's certificate until it is answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.signals import Step
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FollowUpRequest,
    FollowUpRole,
    FormAudience,
    FormStatus,
    Respondent,
    ResponseDraft,
)
from portal.feedback.services.answering import _has_closed, _with_questions, can_answer
from portal.feedback.services.common import FOLLOWUP_PURPOSES
from portal.feedback.services.lookups import evaluation_of
from portal.units.models import Unit
from portal.workshops import queries as workshops
from portal.workshops.models import Registration

# ---------------------------------------------------------------- what a person has to fill in


@dataclass
class Pending:
    form: FeedbackForm
    subject: User | None = None  # the participant a supervisor reports on
    draft_saved_at: datetime | None = None


@dataclass
class Answered:
    form: FeedbackForm
    subject: User | None
    answered_at: datetime


@dataclass
class Overview:
    pending: list[Pending]
    answered: list[Answered]


def _candidates(user: User) -> list[tuple[FeedbackForm, User | None]]:
    """Open forms that may concern the user: their workshops', follow-ups asked of them, surveys for them."""
    audience = (
        (FeedbackForm.audience == FormAudience.ALL_ASN)
        | ((FeedbackForm.audience == FormAudience.UNITS) & FeedbackForm.units.any(Unit.id == user.unit_id))
        | (
            (FeedbackForm.audience == FormAudience.WORKSHOP)
            & FeedbackForm.workshop_id.in_(workshops.confirmed_workshop_ids(user.id))
        )
    )
    stmt = select(FeedbackForm).where(
        FeedbackForm.status == FormStatus.OPEN,
        FeedbackForm.is_template.is_(False),
        FeedbackForm.purpose.not_in(FOLLOWUP_PURPOSES),
        audience,
    )
    found: list[tuple[FeedbackForm, User | None]] = [(form, None) for form in db.session.scalars(_with_questions(stmt))]
    requests = db.session.scalars(
        select(FollowUpRequest)
        .join(FeedbackForm, FeedbackForm.id == FollowUpRequest.form_id)
        .where(FollowUpRequest.respondent_id == user.id, FeedbackForm.status == FormStatus.OPEN)
        .order_by(FollowUpRequest.due_at)
    )
    for request in requests:
        subject = request.participant if request.role == FollowUpRole.SUPERVISOR else None
        found.append((request.form, subject))
    return found


def overview(user: User) -> Overview:
    """What the user still has to fill in (soonest deadline first) and what they answered (newest first)."""
    drafts = {
        (draft.form_id, draft.subject_user_id): draft.updated_at
        for draft in db.session.scalars(select(ResponseDraft).where(ResponseDraft.user_id == user.id))
    }
    pending = [
        Pending(form, subject, drafts.get((form.id, getattr(subject, "id", None))))
        for form, subject in _candidates(user)
        if can_answer(user, form, subject)
    ]
    pending.sort(key=lambda item: (item.form.closes_at is None, item.form.closes_at or utcnow(), item.form.title))
    rows = db.session.execute(
        select(Respondent, FeedbackForm)
        .join(FeedbackForm, FeedbackForm.id == Respondent.form_id)
        .where(Respondent.user_id == user.id)
        .order_by(Respondent.answered_at.desc(), Respondent.id.desc())
        .limit(50)
    ).all()
    subject_ids = {r.subject_user_id for r, _f in rows if r.subject_user_id is not None}
    subjects: dict[int | None, User] = {  # looked up by subject_user_id, None for most answers (then not asked)
        u.id: u for u in (db.session.scalars(select(User).where(User.id.in_(subject_ids))) if subject_ids else ())
    }
    answered = [
        Answered(form, subjects.get(respondent.subject_user_id), respondent.answered_at) for respondent, form in rows
    ]
    return Overview(pending, answered)


# ---------------------------------------------------------------- the certificate hook


def pending_evaluation(registration: Registration) -> FeedbackForm | None:
    """The workshop's evaluation the participant still has to submit for the certificate, if any.

    Only an evaluation that takes answers holds the certificate back: one closed before the participant answered
    does not (they could not do anything about it). One that opens later does, until it is answered.
    """
    form = evaluation_of(registration.workshop_id)
    if form is None or _has_closed(form, utcnow()):
        return None
    answered = select(Respondent.id).where(Respondent.form_id == form.id, Respondent.user_id == registration.user_id)
    return None if db.session.scalar(answered) else form


def evaluation_done(registration: Registration) -> bool:
    """Whether the certificate may be downloaded as far as feedback goes (workshops.certificate_unlocked)."""
    return pending_evaluation(registration) is None


def certificate_step(registration: Registration, **_kwargs: object) -> Step | None:
    """Answers ``core.signals.certificate_pending``: the evaluation to fill in before the certificate unlocks."""
    form = pending_evaluation(registration)
    return Step("feedback.answer", {"form_id": form.id}) if form else None
