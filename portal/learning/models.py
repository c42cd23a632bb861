"""The learning records that count JP, their rules and targets, positions, assessments and plans.

Development types (forms of competency development) and their JP rules belong to the competency catalogue
(``portal.competencies.models``); they are re-exported here for the learning modules that name them.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.accounts.models import User
from portal.competencies.models import Competency, DevelopmentType, LeadershipLevel
from portal.competencies.models import DevelopmentCategory as DevelopmentCategory  # re-exported for learning
from portal.competencies.models import JpRule as JpRule  # re-exported for learning
from portal.competencies.models import JpUnit as JpUnit  # re-exported for learning
from portal.competencies.models import LimitPeriod as LimitPeriod  # re-exported for learning
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units.models import Unit


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class LearningSource(enum.StrEnum):
    ATTENDANCE = "attendance"  # credited automatically from recorded attendance
    SELF_REPORTED = "self_reported"  # submitted by the ASN, verified by BKPSDM


class LearningStatus(enum.StrEnum):
    """The verification states SIASN's "riwayat diklat" knows."""

    SUBMITTED = "diajukan"
    NEEDS_REVISION = "perlu_revisi"
    VERIFIED = "terverifikasi"
    REJECTED = "ditolak"


_NOT_KEY_CHARACTERS = re.compile(r"[^0-9A-Z]")

# A certificate number is recognised once per person: among verified records, (user, normalised number) is unique.
RECOGNISED_CERTIFICATE = text("status = 'terverifikasi' AND certificate_key <> ''")


def certificate_key(number: str | None) -> str:
    """A certificate number as compared: upper case, letters and digits only ("pka-2026 / 0001" = "PKA20260001")."""
    return _NOT_KEY_CHARACTERS.sub("", (number or "").upper())[:40]


learning_record_competencies = Table(
    "learning_record_competencies",
    db.metadata,
    Column("record_id", ForeignKey("learning_records.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class LearningRecord(db.Model):
    """One learning activity of one ASN and the JP it counts.

    JP is a whole number: a JP is one lesson (45 minutes by default) and SIASN records whole hours; a partial
    lesson is not credited. An attendance record is unique per user and workshop, so crediting twice updates it.
    """

    __tablename__ = "learning_records"
    __table_args__ = (
        UniqueConstraint("user_id", "workshop_id"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index(
            "uq_learning_records_user_certificate",
            "user_id",
            "certificate_key",
            unique=True,
            sqlite_where=RECOGNISED_CERTIFICATE,
            postgresql_where=RECOGNISED_CERTIFICATE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    development_type_id: Mapped[int | None] = mapped_column(ForeignKey("development_types.id"), index=True)
    # Structural (leadership) training, KL01 only: its level, which SIASN's export carries.
    leadership_level_id: Mapped[int | None] = mapped_column(ForeignKey("leadership_levels.id", ondelete="SET NULL"))
    provider: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    jp: Mapped[int] = mapped_column(default=0)  # JP recognised: what counts toward the annual target
    jp_claimed: Mapped[int] = mapped_column(default=0)  # JP the ASN asked for (attendance: = jp)
    quantity: Mapped[int] = mapped_column(default=1)  # days/sessions/activities the JP rule multiplies
    is_international: Mapped[bool] = mapped_column(default=False)
    source: Mapped[LearningSource] = mapped_column(_enum(LearningSource))
    status: Mapped[LearningStatus] = mapped_column(_enum(LearningStatus), default=LearningStatus.SUBMITTED)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    certificate_number: Mapped[str] = mapped_column(String(40), default="")
    # certificate_key(certificate_number), kept in step by the validator below: what duplicates are found by.
    certificate_key: Mapped[str] = mapped_column(String(40), default="")
    # Why a verifier recognised it although it resembled another record ("bukan duplikat"); empty otherwise.
    not_duplicate_reason: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # what was learned, in the ASN's words
    # Evidence (certificate scan) stored through portal.core.uploads; the name is what the user uploaded.
    evidence_path: Mapped[str] = mapped_column(String(300), default="")
    evidence_name: Mapped[str] = mapped_column(String(200), default="")
    evidence_mime: Mapped[str] = mapped_column(String(100), default="")
    # A contribution inside the portal claimed as komunitas belajar ("article:12", "forum_post:40"): once only.
    contribution_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verifier_note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    development_type: Mapped[DevelopmentType | None] = relationship(lazy="joined")
    leadership_level: Mapped[LeadershipLevel | None] = relationship()
    competencies: Mapped[list[Competency]] = relationship(
        secondary=learning_record_competencies, order_by=Competency.code
    )
    verifier: Mapped[User | None] = relationship(foreign_keys=[verifier_id])

    @validates("certificate_number")
    def _keep_certificate_key(self, _name: str, value: str | None) -> str | None:
        self.certificate_key = certificate_key(value)
        return value

    @property
    def year(self) -> int:
        return self.end_date.year


class TargetGroup(enum.StrEnum):
    PNS = "pns"  # PNS and CPNS
    PPPK = "pppk"  # PPPK, full and part time


class TargetKind(enum.StrEnum):
    """What a group's yearly JP figure means."""

    TARGET = "target"  # at least this many JP (PNS and CPNS: PP 17/2020 Pasal 203 ayat (4))
    CEILING = "ceiling"  # at most this many JP (PPPK: PP 49/2018 Pasal 40 ayat (1))


class AnnualTarget(db.Model):
    """A group's yearly JP rule as BKPSDM set it for a year: the figure, whether it is a target or a ceiling, and
    its legal basis. Without a row (or with ``kind``/``legal_basis`` empty) the defaults apply: PNS/CPNS a target
    of 20, PPPK a ceiling of 24 (see :mod:`portal.learning.services.targets`)."""

    __tablename__ = "learning_targets"
    __table_args__ = (UniqueConstraint("year", "group"), CheckConstraint("jp >= 0", name="jp_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    group: Mapped[TargetGroup] = mapped_column(_enum(TargetGroup))
    jp: Mapped[int]
    kind: Mapped[TargetKind | None] = mapped_column(_enum(TargetKind))  # None: the group's default
    legal_basis: Mapped[str | None] = mapped_column(String(200))  # None: the group's default
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobType(enum.StrEnum):
    JPT_UTAMA = "jpt_utama"
    JPT_MADYA = "jpt_madya"
    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    AHLI_PERTAMA = "ahli_pertama"
    AHLI_MUDA = "ahli_muda"
    AHLI_MADYA = "ahli_madya"
    AHLI_UTAMA = "ahli_utama"
    TERAMPIL = "terampil"
    MAHIR = "mahir"
    PENYELIA = "penyelia"


class Position(db.Model):
    """A job (jabatan) and, through its requirements, its standar kompetensi jabatan."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("name", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    job_type: Mapped[JobType] = mapped_column(_enum(JobType))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)  # None: any
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    requirements: Mapped[list[PositionRequirement]] = relationship(
        back_populates="position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.name


class PositionRequirement(db.Model):
    __tablename__ = "position_requirements"
    __table_args__ = (
        UniqueConstraint("position_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    level: Mapped[int]

    position: Mapped[Position] = relationship(back_populates="requirements")
    competency: Mapped[Competency] = relationship(lazy="joined")


class CompetencyAssessment(db.Model):
    """An ASN's current level in one competency: self-assessed, optionally confirmed by a supervisor/assessor."""

    __tablename__ = "competency_assessments"
    __table_args__ = (
        UniqueConstraint("user_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("confirmed_level IS NULL OR confirmed_level BETWEEN 1 AND 5", name="confirmed_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    level: Mapped[int]  # self-assessed
    evidence: Mapped[str] = mapped_column(Text, default="")
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_level: Mapped[int | None] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competency: Mapped[Competency] = relationship(lazy="joined")
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def current_level(self) -> int:
        return self.confirmed_level if self.confirmed_level is not None else self.level


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the supervisor
    APPROVED = "approved"
    RETURNED = "returned"  # the supervisor asked for changes


plan_competencies = Table(
    "development_plan_competencies",
    db.metadata,
    Column("plan_id", ForeignKey("development_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class DevelopmentPlan(db.Model):
    """Rencana pengembangan kompetensi: one per ASN and year."""

    __tablename__ = "development_plans"
    __table_args__ = (UniqueConstraint("user_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    year: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus), default=PlanStatus.DRAFT)
    note: Mapped[str] = mapped_column(Text, default="")  # the ASN's own note
    supervisor_note: Mapped[str] = mapped_column(String(1000), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    competencies: Mapped[list[Competency]] = relationship(secondary=plan_competencies, order_by=Competency.code)
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )


class PlanItem(db.Model):
    """A planned activity: a workshop from the catalogue, or free text with a development type."""

    __tablename__ = "development_plan_items"
    __table_args__ = (CheckConstraint("planned_jp >= 0", name="planned_jp_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    development_type_id: Mapped[int | None] = mapped_column(ForeignKey("development_types.id"))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id", ondelete="SET NULL"))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    planned_jp: Mapped[int] = mapped_column(default=0)
    planned_month: Mapped[int | None] = mapped_column()  # 1-12
    # The learning record that carried it out (done), once the ASN links it.
    record_id: Mapped[int | None] = mapped_column(ForeignKey("learning_records.id", ondelete="SET NULL"))

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")
    development_type: Mapped[DevelopmentType | None] = relationship()
    competency: Mapped[Competency | None] = relationship()
    record: Mapped[LearningRecord | None] = relationship()


class LearningReminder(db.Model):
    """That ``flask learning remind`` reminded a user for a period ("2026-Q4"): sent once."""

    __tablename__ = "learning_reminders"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    jp_at_reminder: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
