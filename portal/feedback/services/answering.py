"""Answering feedback forms: who may answer, storing the answers exactly once, drafts, own scores
(checking the answers: :mod:`portal.feedback.services.checking`; what a person still has to fill in:
:mod:`portal.feedback.services.pending`).

**Exactly once.** A signed-in answer writes a :class:`Respondent` row (form, person, and for supervisor follow-ups
the participant) in the same transaction as the :class:`Response`. Its unique keys are the guard: a second
submission, also a concurrent one, fails on them, rolls back and is answered "Anda sudah mengisi formulir ini".
On SQLite the transaction is a write transaction from the start, so the second one simply sees the first.

**Anonymous forms.** The response is stored with no ``user_id`` (nor, for a supervisor follow-up, the participant,
whose supervisor is known): nothing in the response leads to the person. Only the unit is kept, for unit
breakdowns, which results hide below five responses. The Respondent row has no link to the response, and its time
is only the day (WIB), so the two cannot be matched on the time of submission. (Row ids of both tables still grow
in submission order: someone reading the database itself could line them up; no page or export shows them.)
Public links store no person at all.

The posted fields are named ``q<question id>`` (LIKERT, NUMBER, texts, SINGLE; MULTIPLE repeats it) and
``q<question id>_<item id>`` (each GRID item); a TECHNICAL question posts ``q<question id>`` (a competency id or
"lainnya") and ``q<question id>_lainnya`` (the written need). A draft keeps them as posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.timezone import format_local, local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FollowUpRequest,
    FormAudience,
    FormPurpose,
    FormStatus,
    Question,
    QuestionKind,
    Respondent,
    Response,
    ResponseDraft,
)
from portal.feedback.services.checking import check_answers, posted_values, score
from portal.feedback.services.common import (
    FOLLOWUP_PURPOSES,
    AlreadyAnswered,
    CannotAnswer,
    answer_field,
    other_field,
)
from portal.workshops import services as workshops
from portal.workshops.models import RegistrationStatus

DRAFT_VALUE_MAX = 10_000  # a draft keeps more than a text may have, so nothing typed is lost before the check
DRAFT_VALUES_MAX = 100  # values per field (the options of a multiple-choice question)
HONEYPOT_FIELD = "website"  # hidden from people by CSS; bots fill it in


# ---------------------------------------------------------------- lookups


def _with_questions(stmt):
    return stmt.options(
        selectinload(FeedbackForm.questions).selectinload(Question.options),
        selectinload(FeedbackForm.sections),
        selectinload(FeedbackForm.units),
    )


def get_answerable(form_id: int, lock: bool = False) -> FeedbackForm | None:
    """A published form (open or closed), with its questions; None for drafts, templates and unknown ids.

    ``lock`` takes a shared row lock (PostgreSQL) for the rest of the transaction: the builder takes the
    exclusive one before deleting or reshaping questions, so answers are never stored against a question
    being removed at the same moment (SQLite serialises the two through BEGIN IMMEDIATE already).
    """
    stmt = select(FeedbackForm).where(FeedbackForm.id == form_id)
    if lock:
        stmt = stmt.with_for_update(read=True, of=FeedbackForm)
    form = db.session.scalar(_with_questions(stmt))
    if form is None or form.is_template or form.status == FormStatus.DRAFT:
        return None
    return form


def get_public(token: str) -> FeedbackForm | None:
    """The published public form behind a link; None for unknown links (closed ones are returned)."""
    if not token or len(token) > 43:
        return None
    form = db.session.scalar(_with_questions(select(FeedbackForm).where(FeedbackForm.public_token == token)))
    if form is None or form.is_template or form.status == FormStatus.DRAFT or form.audience != FormAudience.PUBLIC:
        return None
    return form


# ---------------------------------------------------------------- who may answer


@dataclass(frozen=True)
class Eligibility:
    """Truthy when the person may answer now; otherwise ``reason`` says why (``answered``: they did already)."""

    reason: Any = None
    answered: bool = False

    def __bool__(self) -> bool:
        return self.reason is None


def _has_closed(form: FeedbackForm, now: datetime) -> bool:
    return form.status == FormStatus.CLOSED or bool(form.closes_at and now >= form.closes_at)


def closed_reason(form: FeedbackForm, now: datetime | None = None) -> Any | None:
    """Why the form takes no answers now (status, opening and closing time); None when it does."""
    now = now or utcnow()
    if form.is_template or form.status == FormStatus.DRAFT:
        return _l("Formulir ini belum diterbitkan.")
    if _has_closed(form, now):
        return _l("Formulir ini sudah ditutup dan tidak menerima jawaban lagi.")
    if form.opens_at and now < form.opens_at:
        return _l("Formulir ini baru dibuka %(when)s.", when=format_local(form.opens_at))
    return None


def has_answered(user: Actor, form: FeedbackForm, subject: Any = None) -> bool:
    stmt = select(Respondent.id).where(Respondent.form_id == form.id, Respondent.user_id == user.id)
    subject_id = getattr(subject, "id", None)
    stmt = stmt.where(
        Respondent.subject_user_id.is_(None) if subject_id is None else Respondent.subject_user_id == subject_id
    )
    return db.session.scalar(stmt.limit(1)) is not None


def has_answered_any(user: Actor, form: FeedbackForm) -> bool:
    """Whether the person answered the form at all (a supervisor: about any participant)."""
    stmt = select(Respondent.id).where(Respondent.form_id == form.id, Respondent.user_id == user.id)
    return db.session.scalar(stmt.limit(1)) is not None


def followup_request(user: Actor, form: FeedbackForm, subject: Any = None) -> FollowUpRequest | None:
    """The follow-up request asking ``user`` about ``subject`` (the user themselves for participant follow-ups)."""
    participant_id = user.id if form.purpose == FormPurpose.FOLLOWUP_PARTICIPANT else getattr(subject, "id", None)
    if participant_id is None:
        return None
    return db.session.scalar(
        select(FollowUpRequest).where(
            FollowUpRequest.form_id == form.id,
            FollowUpRequest.respondent_id == user.id,
            FollowUpRequest.participant_id == participant_id,
        )
    )


def _workshop_reason(user: Actor, form: FeedbackForm, now: datetime) -> Any | None:
    registration = workshops.registration_of(user, form.workshop_id) if form.workshop_id else None
    if form.purpose == FormPurpose.PRE_TEST:
        if registration is None or registration.status != RegistrationStatus.CONFIRMED:
            return _l("Pre-test ini untuk peserta terkonfirmasi pelatihan ini.")
        if now >= registration.workshop.starts_at:
            return _l("Pre-test ditutup saat pelatihan dimulai.")
        return None
    if registration is None or not registration.is_completed:
        return _l("Formulir ini untuk peserta yang telah menyelesaikan pelatihan ini.")
    return None


def _audience_reason(user: Actor, form: FeedbackForm, subject: Any, now: datetime) -> Any | None:
    if form.purpose in FOLLOWUP_PURPOSES:
        if form.purpose == FormPurpose.FOLLOWUP_SUPERVISOR and subject is None:
            return _l("Pilih pegawai yang Anda nilai dari halaman Evaluasi.")
        if followup_request(user, form, subject) is None:
            return _l("Anda tidak diminta mengisi evaluasi pasca pelatihan ini.")
        return None
    if form.audience == FormAudience.WORKSHOP:
        return _workshop_reason(user, form, now)
    if form.audience == FormAudience.UNITS and user.unit_id not in {unit.id for unit in form.units}:
        return _l("Survei ini hanya untuk pegawai unit kerja tertentu.")
    return None  # ALL_ASN: every verified, active account


def can_answer(user: Actor, form: FeedbackForm, subject: Any = None, now: datetime | None = None) -> Eligibility:
    """Whether ``user`` may answer ``form`` now (about ``subject``, for supervisor follow-ups), and if not, why."""
    now = now or utcnow()
    if form.audience == FormAudience.PUBLIC:
        return Eligibility(_l("Survei ini diisi melalui tautan publiknya."))
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Eligibility(_l("Masuk dengan akun ASN terverifikasi untuk mengisi formulir ini."))
    if form.purpose != FormPurpose.FOLLOWUP_SUPERVISOR:
        subject = None
    if has_answered(user, form, subject):
        return Eligibility(AlreadyAnswered().message, answered=True)
    reason = closed_reason(form, now) or _audience_reason(user, form, subject, now)
    return Eligibility(reason)


def _require_eligible(user: Actor, form: FeedbackForm, subject: Any) -> None:
    eligibility = can_answer(user, form, subject)
    if eligibility.answered:
        raise AlreadyAnswered()
    if not eligibility:
        raise CannotAnswer(eligibility.reason)


# ---------------------------------------------------------------- storing


@dataclass
class Submitted:
    response: Response | None  # None when a bot filled the honeypot: nothing was stored
    score: float | None = None
    max_score: float | None = None


def _new_response(form: FeedbackForm, answers: list[Answer], unit_id: int | None, user_id: int | None) -> Response:
    points = score(form, answers)
    response = Response(
        form_id=form.id,
        user_id=user_id,
        unit_id=unit_id,
        score=points[0] if points else None,
        max_score=points[1] if points else None,
    )
    response.answers.extend(answers)
    return response


def _answered_at(form: FeedbackForm) -> datetime:
    """When the person answered; for anonymous forms only the day, so it cannot be matched to the response."""
    now = utcnow()
    if not form.is_anonymous:
        return now
    return local_moment(to_local(now).date(), time()).astimezone(UTC)


def submit(user: User, form: FeedbackForm, data: Any, subject: User | None = None) -> Submitted:
    """Store a signed-in person's answers once; bad answers store nothing (:class:`InvalidAnswers`)."""
    form_id, user_id = form.id, user.id
    subject_id = subject.id if subject is not None and form.purpose == FormPurpose.FOLLOWUP_SUPERVISOR else None
    write_transaction(db.session())
    try:
        locked = get_answerable(form_id, lock=True)
        if locked is None:
            raise CannotAnswer(_l("Formulir ini tidak ditemukan."))
        form = locked
        user = db.session.get_one(User, user_id)  # the signed-in person
        subject = db.session.get(User, subject_id) if subject_id else None
        _require_eligible(user, form, subject)
        answers = check_answers(form, data)
        db.session.add(
            Respondent(form_id=form.id, user_id=user.id, subject_user_id=subject_id, answered_at=_answered_at(form))
        )
        db.session.flush()  # a concurrent submission of the same person fails here (unique key)
        response = _new_response(form, answers, user.unit_id, None if form.is_anonymous else user.id)
        response.subject_user_id = None if form.is_anonymous else subject_id
        db.session.add(response)
        _delete_drafts(form.id, user.id, subject_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered() from None
    except BaseException:
        db.session.rollback()
        raise
    return Submitted(response, response.score, response.max_score)


def submit_public(form: FeedbackForm, data: Any) -> Submitted:
    """Store an answer through the public link: no person, no unit. A filled honeypot stores nothing."""
    reason = closed_reason(form)
    if reason or form.audience != FormAudience.PUBLIC:
        raise CannotAnswer(reason or _l("Survei ini tidak dibuka untuk umum."))
    if posted_values(data).get(HONEYPOT_FIELD, [""])[0].strip():
        return Submitted(None)
    answers = check_answers(form, data)
    response = _new_response(form, answers, unit_id=None, user_id=None)
    db.session.add(response)
    db.session.commit()
    return Submitted(response, response.score, response.max_score)


def own_score(user: User, form: FeedbackForm) -> tuple[float, float] | None:
    """The score of the person's own (named) test response; None for anonymous or unscored forms."""
    if form.is_anonymous:
        return None
    response = db.session.scalar(
        select(Response)
        .where(Response.form_id == form.id, Response.user_id == user.id, Response.max_score.is_not(None))
        .order_by(Response.submitted_at.desc())
        .limit(1)
    )
    if response is None or response.max_score is None:  # (the query asks for a max_score)
        return None
    return (response.score or 0.0, response.max_score)


# ---------------------------------------------------------------- drafts


def _draft_filter(form_id: int, user_id: int, subject_id: int | None) -> list[Any]:
    subject = ResponseDraft.subject_user_id
    return [
        ResponseDraft.form_id == form_id,
        ResponseDraft.user_id == user_id,
        subject.is_(None) if subject_id is None else subject == subject_id,
    ]


def _delete_drafts(form_id: int, user_id: int, subject_id: int | None) -> None:
    db.session.execute(delete(ResponseDraft).where(*_draft_filter(form_id, user_id, subject_id)))


def _subject_id(form: FeedbackForm, subject: Any) -> int | None:
    return getattr(subject, "id", None) if form.purpose == FormPurpose.FOLLOWUP_SUPERVISOR else None


def draft_of(user: User, form: FeedbackForm, subject: Any = None) -> ResponseDraft | None:
    stmt = select(ResponseDraft).where(*_draft_filter(form.id, user.id, _subject_id(form, subject)))
    return db.session.scalar(stmt.order_by(ResponseDraft.updated_at.desc()).limit(1))


def _draft_data(form: FeedbackForm, data: Any) -> dict[str, list[str]]:
    """Only this form's fields, each value cut at a generous length."""
    names = set()
    for question in form.questions:
        names.add(answer_field(question))
        if question.kind == QuestionKind.GRID:
            names.update(answer_field(question, item) for item in question.options)
        if question.kind == QuestionKind.TECHNICAL:
            names.add(other_field(question))
    kept = {}
    for name, given in posted_values(data).items():
        if name in names:
            values = [value[:DRAFT_VALUE_MAX] for value in given if value.strip()]
            if values:
                kept[name] = values[:DRAFT_VALUES_MAX]
    return kept


def save_draft(user: User, form: FeedbackForm, data: Any, subject: User | None = None) -> ResponseDraft:
    """Keep what the person filled in so far (checked only on submission); one draft per person and form."""
    _require_eligible(user, form, subject)
    subject_id = _subject_id(form, subject)
    draft = draft_of(user, form, subject)
    if draft is None:
        draft = ResponseDraft(form_id=form.id, user_id=user.id, subject_user_id=subject_id)
        db.session.add(draft)
    draft.data = _draft_data(form, data)
    draft.updated_at = utcnow()
    db.session.commit()
    return draft


def discard_draft(user: User, form: FeedbackForm, subject: User | None = None) -> bool:
    """Forget the saved progress; returns whether there was any."""
    found = draft_of(user, form, subject) is not None
    _delete_drafts(form.id, user.id, _subject_id(form, subject))
    db.session.commit()
    return found
