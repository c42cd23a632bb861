"""The moderators' queue of text answers and hiding abusive ones (who may moderate: :func:`~portal.feedback.
services.results.can_moderate`). An anonymous form's texts stay out of the queue until its results may show."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit import services as audit
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import Answer, FeedbackForm, Question, Response
from portal.feedback.services.results import TEXT_KINDS, visible_forms


def recent_text_answers(actor: Actor, page: int = 1, hidden_only: bool = False) -> Page[Answer]:
    """Text answers of every form, newest first: the moderators' queue. An anonymous form's texts join it only
    once the form holds :func:`min_group` responses (before that its results show nowhere, see the module)."""
    require(actor, Permission.MODERATE)
    stmt = (
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(
            Question.kind.in_(TEXT_KINDS),
            Answer.value_text.is_not(None),
            Answer.value_text != "",
            visible_forms(),
        )
        .order_by(Answer.id.desc())
        .options(joinedload(Answer.question).joinedload(Question.form))
    )
    if hidden_only:
        stmt = stmt.where(Answer.hidden_at.is_not(None))
    return paginate(stmt, page, 25)


def get_text_answer(form: FeedbackForm, answer_id: int) -> Answer | None:
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.response.form_id != form.id or answer.question.kind not in TEXT_KINDS:
        return None
    return answer


def set_hidden(actor: Actor, answer: Answer, hidden: bool) -> Answer:
    """Hide an abusive text answer (or show it again); moderators and admins, audited."""
    require(actor, Permission.MODERATE)
    if hidden == (answer.hidden_at is not None):
        return answer
    answer.hidden_at = utcnow() if hidden else None
    answer.hidden_by_id = actor.id if hidden else None
    form = answer.response.form
    action = "feedback.answer_hide" if hidden else "feedback.answer_unhide"
    audit.record(actor, action, answer, label=form.title, form_id=form.id, question_id=answer.question_id)
    db.session.commit()
    return answer
