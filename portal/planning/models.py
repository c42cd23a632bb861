"""The annual competency development plan (rencana pengembangan kompetensi tahunan) of each OPD and of the city.

An OPD's plan holds its proposed items (:class:`PlanLine`); the city's plan (``unit_id`` None) holds the programs
BKPSDM consolidated from them (:class:`PlanProgram`, with a quota per OPD). Approval locks a plan; reopening it
starts a new version, and every step is kept in :class:`PlanVersion` (who, when, what, and a snapshot).
Workshops that carry out a program are linked in :class:`WorkshopPlanLink`, their invitations in
:class:`PlanInvitation`; the workshops feature knows nothing of these tables (see docs/planning.md).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.competencies.models import Competency, DevelopmentType
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.learning.models import Position
from portal.units.models import Unit
from portal.workshops.models import Workshop

CITY_SCOPE = "kota"


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class AnnualPlanStatus(enum.StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"  # an OPD's plan sent to BKPSDM: no longer editable by the OPD
    APPROVED = "approved"  # locked; a change reopens it as a new version


class ProviderKind(enum.StrEnum):
    BKPSDM = "bkpsdm"
    BPSDM = "bpsdm"  # the provincial BPSDM (Sumatera Barat)
    LAN = "lan"
    PARTNER = "mitra"  # a partner institution, named in provider_name
    ELEARNING = "e_learning"


class LineSource(enum.StrEnum):
    """Where an OPD's item came from (the suggestion it was accepted from), or typed by hand."""

    NEED = "kebutuhan"  # the OPD's ranked needs (needs surveys)
    GAP = "kesenjangan"  # its people's gaps against their job standards
    INDIVIDUAL = "rencana_individu"  # approved individual development plans
    MANUAL = "manual"


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"
    DECLINED = "declined"


class AnnualPlan(db.Model):
    """One plan per year and scope: an OPD (``scope`` = its unit id) or the city (``scope`` = "kota")."""

    __tablename__ = "planning_plans"
    __table_args__ = (UniqueConstraint("year", "scope"), CheckConstraint("version >= 1", name="version_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    scope: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    status: Mapped[AnnualPlanStatus] = mapped_column(_enum(AnnualPlanStatus), default=AnnualPlanStatus.DRAFT)
    version: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(String(2000), default="")  # BKPSDM's note when it returns a proposal
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    approved_by: Mapped[User | None] = relationship()
    lines: Mapped[list[PlanLine]] = relationship(
        back_populates="plan", order_by="PlanLine.id", cascade="all, delete-orphan"
    )
    programs: Mapped[list[PlanProgram]] = relationship(
        back_populates="plan", order_by="PlanProgram.id", cascade="all, delete-orphan"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.id.desc()", cascade="all, delete-orphan"
    )

    @property
    def is_city(self) -> bool:
        return self.unit_id is None

    @property
    def locked(self) -> bool:
        return self.status == AnnualPlanStatus.APPROVED


planning_line_positions = Table(
    "planning_line_positions",
    db.metadata,
    Column("line_id", ForeignKey("planning_lines.id", ondelete="CASCADE"), primary_key=True),
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class _Activity:
    """The columns an OPD's item and a city program share."""

    title: Mapped[str] = mapped_column(String(200))
    quarter: Mapped[int]
    jp: Mapped[int] = mapped_column(default=0)  # JP per participant (from the type's JP rule, or the curriculum)
    provider_kind: Mapped[ProviderKind] = mapped_column(_enum(ProviderKind), default=ProviderKind.BKPSDM)
    provider_name: Mapped[str] = mapped_column(String(200), default="")
    cost_per_participant: Mapped[int] = mapped_column(default=0)  # whole rupiah


class PlanLine(_Activity, db.Model):
    """An item an OPD proposes: a competency for a target group, participants, quarter, method, provider, cost."""

    __tablename__ = "planning_lines"
    __table_args__ = (
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        CheckConstraint("participants >= 1", name="participants_positive"),
        CheckConstraint("cost_per_participant >= 0", name="cost_not_negative"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plans.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)
    development_type_id: Mapped[int] = mapped_column(ForeignKey("development_types.id"))
    participants: Mapped[int]
    target_note: Mapped[str] = mapped_column(String(300), default="")  # the target group in words (a section...)
    source: Mapped[LineSource] = mapped_column(_enum(LineSource), default=LineSource.MANUAL)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("planning_programs.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[AnnualPlan] = relationship(back_populates="lines")
    competency: Mapped[Competency] = relationship(lazy="joined")
    development_type: Mapped[DevelopmentType] = relationship(lazy="joined")
    target_positions: Mapped[list[Position]] = relationship(secondary=planning_line_positions, order_by=Position.name)
    program: Mapped[PlanProgram | None] = relationship(back_populates="lines")

    @property
    def cost(self) -> int:
        return self.participants * self.cost_per_participant

    @property
    def total_jp(self) -> int:
        return self.participants * self.jp


class PlanProgram(_Activity, db.Model):
    """A program of the city's plan: OPD items merged into one activity, with a quota of participants per OPD."""

    __tablename__ = "planning_programs"
    __table_args__ = (
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        CheckConstraint("cost_per_participant >= 0", name="cost_not_negative"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plans.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)
    development_type_id: Mapped[int] = mapped_column(ForeignKey("development_types.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[AnnualPlan] = relationship(back_populates="programs")
    competency: Mapped[Competency] = relationship(lazy="joined")
    development_type: Mapped[DevelopmentType] = relationship(lazy="joined")
    lines: Mapped[list[PlanLine]] = relationship(back_populates="program", order_by="PlanLine.id")
    quotas: Mapped[list[ProgramQuota]] = relationship(
        back_populates="program", order_by="ProgramQuota.unit_id", cascade="all, delete-orphan"
    )

    @property
    def participants(self) -> int:
        return sum(quota.quota for quota in self.quotas)

    @property
    def cost(self) -> int:
        return self.participants * self.cost_per_participant

    @property
    def total_jp(self) -> int:
        return self.participants * self.jp

    def quota_of(self, unit_id: int | None) -> int:
        return next((q.quota for q in self.quotas if q.unit_id == unit_id), 0)


class ProgramQuota(db.Model):
    __tablename__ = "planning_quotas"
    __table_args__ = (CheckConstraint("quota >= 0", name="quota_not_negative"),)

    program_id: Mapped[int] = mapped_column(ForeignKey("planning_programs.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True)
    quota: Mapped[int] = mapped_column(default=0)

    program: Mapped[PlanProgram] = relationship(back_populates="quotas")
    unit: Mapped[Unit] = relationship(lazy="joined")


class PlanVersion(db.Model):
    """One step in a plan's history: submitted, returned, approved, reopened (with the reason) — who and when, and
    the plan's items as they stood (JSON), so an approved version can be read after it was changed."""

    __tablename__ = "planning_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plans.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(2000), default="")
    snapshot: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[AnnualPlan] = relationship(back_populates="versions")
    actor: Mapped[User | None] = relationship()


class WorkshopPlanLink(db.Model):
    """A workshop that carries out a program of the city's plan (one program per workshop), and what it cost."""

    __tablename__ = "planning_workshop_links"
    __table_args__ = (CheckConstraint("realised_cost IS NULL OR realised_cost >= 0", name="cost_not_negative"),)

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("planning_programs.id", ondelete="CASCADE"), index=True)
    realised_cost: Mapped[int | None] = mapped_column()  # whole rupiah, once known
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship(lazy="joined")
    program: Mapped[PlanProgram] = relationship()


class PlanInvitation(db.Model):
    """An ASN invited to a workshop from its invite list. Whether they signed up is the workshop's registration."""

    __tablename__ = "planning_invitations"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))  # counted in its quota
    status: Mapped[InvitationStatus] = mapped_column(_enum(InvitationStatus), default=InvitationStatus.INVITED)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    unit: Mapped[Unit | None] = relationship()
