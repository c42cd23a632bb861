"""Development types (forms of competency development) and the learning records that count JP."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.competencies.models import Competency
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class DevelopmentCategory(enum.StrEnum):
    CLASSROOM = "klasikal"
    NON_CLASSROOM = "non_klasikal"


class DevelopmentType(db.Model):
    """A form of competency development (BKN SE 3/2022 codes KL01-KL12, NKL01-NKL13); rows, not constants."""

    __tablename__ = "development_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    category: Mapped[DevelopmentCategory] = mapped_column(_enum(DevelopmentCategory))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self) -> str:
        return self.name


class LearningSource(enum.StrEnum):
    ATTENDANCE = "attendance"  # credited automatically from recorded attendance
    SELF_REPORTED = "self_reported"  # submitted by the ASN, verified by BKPSDM


class LearningStatus(enum.StrEnum):
    """The verification states SIASN's "riwayat diklat" knows."""

    SUBMITTED = "diajukan"
    NEEDS_REVISION = "perlu_revisi"
    VERIFIED = "terverifikasi"
    REJECTED = "ditolak"


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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    development_type_id: Mapped[int | None] = mapped_column(ForeignKey("development_types.id"), index=True)
    provider: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    jp: Mapped[int] = mapped_column(default=0)
    source: Mapped[LearningSource] = mapped_column(_enum(LearningSource))
    status: Mapped[LearningStatus] = mapped_column(_enum(LearningStatus), default=LearningStatus.SUBMITTED)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    certificate_number: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    development_type: Mapped[DevelopmentType | None] = relationship(lazy="joined")
    competencies: Mapped[list[Competency]] = relationship(
        secondary=learning_record_competencies, order_by=Competency.code
    )

    @property
    def year(self) -> int:
        return self.end_date.year
