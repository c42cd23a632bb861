"""Feedback forms: training evaluation (Kirkpatrick L1-L3), pre/post-tests, follow-ups and needs surveys.

Anonymity works as in Indico: an anonymous form's :class:`Response` has no ``user_id``; that the person
answered is remembered only in :class:`Respondent` (form + user, no link to the response), which is also what
makes "exactly once per person and form" hold under concurrent submissions (its unique key). A draft being
filled in (:class:`ResponseDraft`) is tied to the person and deleted in the transaction that stores the response.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.competencies.models import Competency
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units.models import Unit
from portal.workshops.models import Workshop


def _enum(enum_cls: type[enum.Enum], length: int = 24) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class FormPurpose(enum.StrEnum):
    EVALUATION = "evaluation"  # L1: reaction, after the workshop; unlocks the certificate
    PRE_TEST = "pre_test"  # L2, before
    POST_TEST = "post_test"  # L2, after
    FOLLOWUP_PARTICIPANT = "followup_participant"  # L3, N days after completion, the participant
    FOLLOWUP_SUPERVISOR = "followup_supervisor"  # L3, N days after completion, the participant's supervisor
    NEEDS_SURVEY = "needs_survey"  # competency needs analysis (AKPK)
    SURVEY = "survey"  # any other standalone survey


class FormAudience(enum.StrEnum):
    WORKSHOP = "workshop"  # the attached workshop's participants (or their supervisors, for that follow-up)
    ALL_ASN = "all_asn"  # every signed-in, verified ASN
    UNITS = "units"  # ASN of the units in form.units
    PUBLIC = "public"  # anyone with the public link, no sign-in


class FormStatus(enum.StrEnum):
    DRAFT = "draft"  # being built; only its owner and admins see it
    OPEN = "open"  # accepts responses (until closes_at)
    CLOSED = "closed"


class QuestionKind(enum.StrEnum):
    LIKERT = "likert"  # one statement on a 1-5 scale
    GRID = "grid"  # several items (QuestionOption rows) on one 1-5 scale
    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    TECHNICAL = "technical"  # a technical competency from the catalogue, or "lainnya" with a text (needs surveys)


class LikertScale(enum.StrEnum):
    QUALITY = "quality"  # Sangat Tidak Baik ... Sangat Baik
    AGREEMENT = "agreement"  # Sangat Tidak Setuju ... Sangat Setuju
    NEED = "need"  # Sangat Tidak Perlu ... Sangat Perlu (needs surveys)


class FollowUpRole(enum.StrEnum):
    PARTICIPANT = "participant"
    SUPERVISOR = "supervisor"


class ReviewDecision(enum.StrEnum):
    KEEP = "keep"
    CHANGE_METHOD = "change_method"
    CHANGE_MATERIAL = "change_material"
    RETIRE = "retire"


form_units = Table(  # audience UNITS: which units may answer
    "feedback_form_units",
    db.metadata,
    Column("form_id", ForeignKey("feedback_forms.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FeedbackForm(db.Model):
    __tablename__ = "feedback_forms"
    __table_args__ = (
        Index("ix_feedback_forms_workshop_purpose", "workshop_id", "purpose"),
        CheckConstraint("followup_days IS NULL OR followup_days >= 1", name="followup_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # plain text shown above the questions
    purpose: Mapped[FormPurpose] = mapped_column(_enum(FormPurpose))
    audience: Mapped[FormAudience] = mapped_column(_enum(FormAudience))
    status: Mapped[FormStatus] = mapped_column(_enum(FormStatus), default=FormStatus.DRAFT, index=True)
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    is_template: Mapped[bool] = mapped_column(default=False)  # listed under "Templat"; never answered itself
    template_key: Mapped[str | None] = mapped_column(String(40))  # which built-in template it was made from
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    followup_days: Mapped[int | None] = mapped_column()  # L3: days after completion
    public_token: Mapped[str | None] = mapped_column(String(43), unique=True)  # audience PUBLIC: the link secret
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    workshop: Mapped[Workshop | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=form_units, order_by=Unit.name)
    sections: Mapped[list[FormSection]] = relationship(
        back_populates="form", order_by="FormSection.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="form", order_by="Question.position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class FormSection(db.Model):
    __tablename__ = "feedback_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    form: Mapped[FeedbackForm] = relationship(back_populates="sections")


class Question(db.Model):
    """One question. ``position`` orders the questions of the whole form (sections group consecutive ones)."""

    __tablename__ = "feedback_questions"
    __table_args__ = (
        CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value <= max_value", name="range_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_sections.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind))
    label: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(default=True)
    scale: Mapped[LikertScale | None] = mapped_column(_enum(LikertScale))  # LIKERT and GRID
    min_value: Mapped[float | None] = mapped_column(Float)  # NUMBER
    max_value: Mapped[float | None] = mapped_column(Float)  # NUMBER
    # Per-trainer scores: questions about one trainer carry the trainer's name (as the workshop lists it).
    trainer_name: Mapped[str] = mapped_column(String(160), default="")
    # L2 tests: points for a fully correct answer to a SINGLE/MULTIPLE question with correct options.
    points: Mapped[int] = mapped_column(default=0)

    form: Mapped[FeedbackForm] = relationship(back_populates="questions")
    section: Mapped[FormSection | None] = relationship()
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )


class QuestionOption(db.Model):
    """A choice of a SINGLE/MULTIPLE question, or an item (row) of a GRID question."""

    __tablename__ = "feedback_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("feedback_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    is_correct: Mapped[bool] = mapped_column(default=False)  # L2 tests
    # Needs surveys: the competency this choice/item stands for, so answers aggregate per competency.
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="options")
    competency: Mapped[Competency | None] = relationship()


def random_row_id() -> int:
    """A random positive 63-bit key: rows keyed by it are stored and listed in no order of their creation."""
    return secrets.randbits(63) or 1


# 64 bits on PostgreSQL; on SQLite INTEGER, which keeps the key the table's rowid (64 bits there), so that no hidden
# rowid in insertion order remains either.
RANDOM_KEY = BigInteger().with_variant(Integer(), "sqlite")


class Respondent(db.Model):
    """That a person answered a form, and nothing about what: the once-only guard, also for anonymous forms.

    Its key is random (:func:`random_row_id`) and, for an anonymous form, its time only the day: neither the ids nor
    the times of respondents line up with those of the responses, so the two tables cannot be paired.
    """

    __tablename__ = "feedback_respondents"
    # Once per person and form; a supervisor answers an L3 follow-up once per participant (subject_user_id).
    # Two keys because NULLs never collide in a unique key: one for rows without a subject, one for rows with.
    __table_args__ = (
        Index(
            "uq_feedback_respondents_form_id_user_id_no_subject",
            "form_id",
            "user_id",
            unique=True,
            sqlite_where=text("subject_user_id IS NULL"),
            postgresql_where=text("subject_user_id IS NULL"),
        ),
        UniqueConstraint("form_id", "user_id", "subject_user_id"),
    )

    id: Mapped[int] = mapped_column(RANDOM_KEY, primary_key=True, autoincrement=False, default=random_row_id)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # L3 supervisor follow-ups: the participant the supervisor answered about (a supervisor answers once each).
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Response(db.Model):
    __tablename__ = "feedback_responses"
    __table_args__ = (Index("ix_feedback_responses_form_submitted", "form_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"))
    # None for anonymous and public forms: nothing leads from the response back to the person.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Snapshot of the respondent's unit for unit filters and needs per unit (kept for anonymous forms too;
    # results hide any breakdown of fewer than 5 responses).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # L3 supervisor
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[float | None] = mapped_column(Float)  # L2 tests: points scored
    max_score: Mapped[float | None] = mapped_column(Float)

    form: Mapped[FeedbackForm] = relationship()
    unit: Mapped[Unit | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    """One value: LIKERT/NUMBER → value_number; SINGLE → option_id; MULTIPLE → one row per chosen option;
    GRID → one row per item (option_id) with value_number; texts → value_text; TECHNICAL → competency_id (a
    technical competency picked from the catalogue) or value_text ("lainnya").

    ``competency_id`` on a text answer is BKPSDM's coding of a written need (audited), so it counts in the needs
    ranking like a picked one."""

    __tablename__ = "feedback_answers"
    __table_args__ = (Index("ix_feedback_answers_question", "question_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("feedback_questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_options.id", ondelete="CASCADE"))
    value_number: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    competency_id: Mapped[int | None] = mapped_column(
        ForeignKey("competencies.id", ondelete="SET NULL"), index=True
    )  # TECHNICAL: the picked competency; a text answer: the competency BKPSDM coded it as
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a moderator hid an abusive text answer
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    option: Mapped[QuestionOption | None] = relationship()
    competency: Mapped[Competency | None] = relationship()


class ResponseDraft(db.Model):
    """Saved progress of one person on one form; deleted when the response is submitted."""

    __tablename__ = "feedback_drafts"
    __table_args__ = (UniqueConstraint("form_id", "user_id", "subject_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # the submitted form fields, as posted
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpRequest(db.Model):
    """An L3 follow-up someone is asked to fill in; created by ``flask feedback send-followups`` (idempotent)."""

    __tablename__ = "feedback_followups"
    __table_args__ = (UniqueConstraint("form_id", "participant_id", "respondent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[FollowUpRole] = mapped_column(_enum(FollowUpRole))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    form: Mapped[FeedbackForm] = relationship()
    participant: Mapped[User] = relationship(foreign_keys=[participant_id])
    respondent: Mapped[User] = relationship(foreign_keys=[respondent_id])


program_workshops = Table(  # a workshop belongs to at most one program
    "feedback_program_workshops",
    db.metadata,
    Column("program_id", ForeignKey("feedback_programs.id", ondelete="CASCADE"), primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True, unique=True),
)


class Program(db.Model):
    """A training program: the runs (workshops) of the same training, reviewed together."""

    __tablename__ = "feedback_programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    l1_threshold: Mapped[float] = mapped_column(Float, default=3.5)  # L1 mean below this flags the program
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshops: Mapped[list[Workshop]] = relationship(secondary=program_workshops, order_by=Workshop.starts_at)
    reviews: Mapped[list[ProgramReview]] = relationship(
        back_populates="program", order_by="ProgramReview.created_at.desc()", cascade="all, delete-orphan"
    )
    evaluation: Mapped[ProgramEvaluation | None] = relationship(cascade="all, delete-orphan")


class ProgramEvaluation(db.Model):
    """How every run of a program is evaluated: copies of these source forms are attached to each new run
    (L1 evaluation, L2 pre/post-test, L3 follow-ups for the participant and the supervisor after N days)."""

    __tablename__ = "feedback_program_evaluations"
    __table_args__ = (
        CheckConstraint("followup_days IS NULL OR followup_days >= 1", name="program_followup_days_positive"),
    )

    program_id: Mapped[int] = mapped_column(ForeignKey("feedback_programs.id", ondelete="CASCADE"), primary_key=True)
    l1_form_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    pre_test_form_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    post_test_form_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    participant_form_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    supervisor_form_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    followup_days: Mapped[int | None] = mapped_column()  # L3: days after completion (None: the source form's)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgramReview(db.Model):
    """A review decision on a program; the list is its history (never edited)."""

    __tablename__ = "feedback_program_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("feedback_programs.id", ondelete="CASCADE"), index=True)
    decision: Mapped[ReviewDecision] = mapped_column(_enum(ReviewDecision))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who carries the decision out, by when, and the run it applies to (None: the first run starting after it).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    next_workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))

    program: Mapped[Program] = relationship(back_populates="reviews")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    next_workshop: Mapped[Workshop | None] = relationship()


class NeedLink(db.Model):
    """A planned workshop answers a competency need found by the needs analysis."""

    __tablename__ = "feedback_need_links"
    __table_args__ = (UniqueConstraint("workshop_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_forms.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    competency: Mapped[Competency] = relationship()
