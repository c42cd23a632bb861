from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db

LEVELS = (1, 2, 3, 4, 5)


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class CompetencyCategory(enum.StrEnum):
    TECHNICAL = "teknis"
    MANAGERIAL = "manajerial"
    SOCIO_CULTURAL = "sosial_kultural"


class Competency(db.Model):
    __tablename__ = "competencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[CompetencyCategory] = mapped_column(
        Enum(CompetencyCategory, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        index=True,
    )
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    levels: Mapped[list[CompetencyLevel]] = relationship(
        back_populates="competency", order_by="CompetencyLevel.level", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(db.Model):
    __tablename__ = "competency_levels"
    __table_args__ = (
        UniqueConstraint("competency_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"))
    level: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")

    competency: Mapped[Competency] = relationship(back_populates="levels")


class DevelopmentCategory(enum.StrEnum):
    CLASSROOM = "klasikal"
    NON_CLASSROOM = "non_klasikal"


class DevelopmentType(db.Model):
    """A form of competency development (BKN SE 3/2022 codes KL01-KL12, NKL01-NKL13); rows, not constants."""

    __tablename__ = "development_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    category: Mapped[DevelopmentCategory] = mapped_column(
        Enum(DevelopmentCategory, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SIASN's numeric ``jenisDiklatId`` (its own reference list, see docs/siasn-export.md); None: not mapped yet.
    siasn_id: Mapped[int | None]

    def __str__(self) -> str:
        return self.name


class LeadershipLevel(db.Model):
    """A level of structural (leadership) training, KL01: PKN I, PKN II, PKA, PKP. An editable row, because SIASN
    wants its own ``latihanStrukturalId`` for the level and BKPSDM enters that number from SIASN's reference list."""

    __tablename__ = "leadership_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)
    siasn_id: Mapped[int | None]

    def __str__(self) -> str:
        return self.name


class JpUnit(enum.StrEnum):
    """What a JP rule counts."""

    DAY = "day"
    SESSION = "session"
    ACTIVITY = "activity"  # one e-learning course, one benchmarking visit, one internship...
    CURRICULUM = "curriculum"  # the training's own curriculum JP (no conversion)


class LimitPeriod(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class JpRule(db.Model):
    """How many JP a development type earns (Peraturan LAN 10/2018 conventions), as an editable row.

    It describes the development type, so it lives with it (the table keeps its learning name); the conversion
    is :mod:`portal.competencies.conversion`, BKPSDM edits the rows in learning's settings.

    The claim form suggests ``jp_per_unit * quantity`` (``jp_international`` for international events) and warns
    when a claim exceeds it or when ``max_units`` per ``limit_period`` is passed.
    """

    __tablename__ = "learning_jp_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    development_type_id: Mapped[int] = mapped_column(
        ForeignKey("development_types.id", ondelete="CASCADE"), unique=True
    )
    unit: Mapped[JpUnit] = mapped_column(_enum(JpUnit))
    jp_per_unit: Mapped[int] = mapped_column(default=0)
    jp_international: Mapped[int | None] = mapped_column()
    max_units: Mapped[int | None] = mapped_column()
    limit_period: Mapped[LimitPeriod | None] = mapped_column(_enum(LimitPeriod))
    note: Mapped[str] = mapped_column(String(300), default="")
    # Where the conversion comes from (a regulation, LAN's guideline, or the portal's own default), shown with it.
    source: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    development_type: Mapped[DevelopmentType] = relationship(lazy="joined")
