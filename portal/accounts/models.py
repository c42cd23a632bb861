from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.permissions import Permission, Role, has_permission
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units.models import Unit


class EmploymentStatus(enum.StrEnum):
    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"
    PPPK_PART_TIME = "PPPK_PW"

    @property
    def is_pppk(self) -> bool:
        return self in (EmploymentStatus.PPPK, EmploymentStatus.PPPK_PART_TIME)


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    # How colleagues @mention the user: lowercase [a-z0-9._]{3,30}, generated from the name when the account is
    # created (portal.accounts.services.assign_handles) and editable on the profile page.
    handle: Mapped[str | None] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")  # the job title as the user writes it
    # The job in the catalogue (portal.learning.models.Position), which sets the required competency levels.
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"), index=True)
    # The direct supervisor (atasan langsung): approves the development plan, sees the ledger, answers L3.
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    employment_status: Mapped[EmploymentStatus] = mapped_column(_enum(EmploymentStatus), default=EmploymentStatus.PNS)
    # PPPK only: the employment contract (perjanjian kerja). Its start date begins the contract years over which
    # the PPPK JP ceiling is counted (PP 49/2018 Pasal 40); the end is open when unknown.
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.MEMBER, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    bio: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str | None] = mapped_column(String(5))

    is_verified: Mapped[bool] = mapped_column(default=False, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changes whenever the password changes: signs sessions/remember cookies so old ones stop working.
    session_token: Mapped[str] = mapped_column(String(64))

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive or unverified users cannot log in
        return self.active and self.is_verified

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def can(self, permission: Permission | str) -> bool:
        return has_permission(self, Permission(permission))

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return self.name


class PasswordResetToken(db.Model):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
