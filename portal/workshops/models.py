"""Workshops (pelatihan): sessions, registrations with a waiting list, attendance, calendar feed tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.competencies.models import Competency, DevelopmentType
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units.models import Unit


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class WorkshopStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class ApprovalMode(enum.StrEnum):
    AUTOMATIC = "automatic"
    ORGANIZER = "organizer"  # every sign-up waits for the organizer's decision


class EmploymentFilter(enum.StrEnum):
    ALL = "all"
    PNS = "pns"  # PNS and CPNS
    PPPK = "pppk"  # PPPK, full and part time


class JpBasis(enum.StrEnum):
    """How a workshop's JP was reached."""

    RULE = "rule"  # the JP rule of its development type (portal.competencies.conversion)
    ORGANIZER = "organizer"  # set by the organizer, with a reason
    LEGACY = "legacy"  # stored before the rule: computed from the session minutes
    LEGACY_ORGANIZER = "legacy_organizer"  # stored before the rule: typed by the organizer, without a reason


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the organizer's approval; holds no seat
    CONFIRMED = "confirmed"  # holds a seat
    WAITLISTED = "waitlisted"  # approved, waiting for a seat in arrival order
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # by the participant, or removed by the organizer


class CheckInMethod(enum.StrEnum):
    QR = "qr"
    MANUAL = "manual"


workshop_competencies = Table(
    "workshop_competencies",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True),
)

workshop_units = Table(  # eligibility: empty means every unit
    "workshop_units",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)

workshop_trainers = Table(  # trainers who have a portal account; others are listed by name
    "workshop_trainers",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        Index("ix_workshops_status_starts", "status", "starts_at", "id"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    renderer_version: Mapped[int] = mapped_column(default=0)
    development_type_id: Mapped[int | None] = mapped_column(ForeignKey("development_types.id"), index=True)
    provider_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    provider_name: Mapped[str] = mapped_column(String(200), default="")  # an external institution
    # External trainers separated by ";": names carry academic titles after a comma ("Rosna Dewi, M.Si.").
    trainer_names: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int]
    jp: Mapped[int] = mapped_column(default=0)
    jp_basis: Mapped[JpBasis] = mapped_column(_enum(JpBasis), default=JpBasis.RULE)
    jp_reason: Mapped[str] = mapped_column(String(500), default="")  # why the organizer set a different JP
    # Who signs this workshop's certificates instead of the organizer unit's signer (all empty: the unit's).
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until the start
    employment_filter: Mapped[EmploymentFilter] = mapped_column(_enum(EmploymentFilter), default=EmploymentFilter.ALL)
    approval_mode: Mapped[ApprovalMode] = mapped_column(_enum(ApprovalMode), default=ApprovalMode.AUTOMATIC)
    attendance_threshold: Mapped[int | None] = mapped_column()  # sessions needed for completion; None: all
    status: Mapped[WorkshopStatus] = mapped_column(_enum(WorkshopStatus), default=WorkshopStatus.DRAFT)
    status_note: Mapped[str] = mapped_column(String(500), default="")  # why it was cancelled
    organizer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Copied from the sessions on every save, so lists sort and filter without joining them.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    calendar_sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: clients replace older copies
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organizer: Mapped[User] = relationship(foreign_keys=[organizer_id])
    development_type: Mapped[DevelopmentType | None] = relationship()
    provider_unit: Mapped[Unit | None] = relationship()
    competencies: Mapped[list[Competency]] = relationship(secondary=workshop_competencies, order_by=Competency.code)
    eligible_units: Mapped[list[Unit]] = relationship(secondary=workshop_units, order_by=Unit.name)
    trainers: Mapped[list[User]] = relationship(secondary=workshop_trainers, order_by=User.name)
    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="workshop", order_by="WorkshopSession.starts_at", cascade="all, delete-orphan"
    )

    @property
    def description_markup(self) -> Markup:
        return Markup(self.description_html)  # noqa: S704 - stored output of render_markdown (sanitised)

    @property
    def provider(self) -> str:
        return self.provider_name or (self.provider_unit.name if self.provider_unit else "")

    @property
    def trainer_list(self) -> list[str]:
        names = [user.name for user in self.trainers]
        return names + [name.strip() for name in self.trainer_names.split(";") if name.strip()]

    @property
    def jp_overridden(self) -> bool:
        """The JP was typed by the organizer rather than converted."""
        return self.jp_basis in (JpBasis.ORGANIZER, JpBasis.LEGACY_ORGANIZER)

    @property
    def required_sessions(self) -> int:
        return min(self.attendance_threshold or len(self.sessions), len(self.sessions))

    def __str__(self) -> str:
        return self.title


class WorkshopSession(db.Model):
    __tablename__ = "workshop_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checkin_code: Mapped[str] = mapped_column(String(43), unique=True)  # the secret in the QR check-in URL

    workshop: Mapped[Workshop] = relationship(back_populates="sessions")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Registration(db.Model):
    __tablename__ = "workshop_registrations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        Index("ix_workshop_registrations_queue", "workshop_id", "status", "queued_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Arrival order on the waiting list (set on each sign-up, so someone who leaves and returns queues again).
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # got a seat from the waiting list
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # manual add
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    certificate_number: Mapped[str | None] = mapped_column(String(40), unique=True)  # kept once issued

    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    attendances: Mapped[list[Attendance]] = relationship(back_populates="registration", cascade="all, delete-orphan")

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None and self.status == RegistrationStatus.CONFIRMED


class Attendance(db.Model):
    __tablename__ = "workshop_attendances"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("workshop_registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id", ondelete="CASCADE"), index=True)
    method: Mapped[CheckInMethod] = mapped_column(_enum(CheckInMethod))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="attendances")


class CalendarFeed(db.Model):
    """A user's private calendar feed URL. Revoking deletes the row; a new one gets a new token."""

    __tablename__ = "workshop_calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateProfile(db.Model):
    """Who signs the certificates of a unit's workshops and whose logo heads them. The row whose ``scope`` is
    ``"city"`` (no unit) is the city's default, used where the organizer unit has no signer or no logo."""

    __tablename__ = "certificate_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), unique=True)  # "city" or "unit-<unit id>": one row each
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="")  # optional: a mayor has none
    logo_stored: Mapped[str] = mapped_column(String(48), default="")  # core.uploads name under certificate-logos/
    logo_mime: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()
