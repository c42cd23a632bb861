from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db


class UnitKind(enum.StrEnum):
    SECRETARIAT = "sekretariat"
    INSPECTORATE = "inspektorat"
    AGENCY = "badan"
    OFFICE = "dinas"
    HOSPITAL = "rsud"
    SERVICE = "layanan"
    DISTRICT = "kecamatan"
    OTHER = "lainnya"


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[UnitKind] = mapped_column(
        Enum(UnitKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=UnitKind.OTHER,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def __str__(self) -> str:
        return self.name


class UnitHead(db.Model):
    """The head of a unit (kepala OPD): sees the unit's learning records and dashboard."""

    __tablename__ = "unit_heads"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
