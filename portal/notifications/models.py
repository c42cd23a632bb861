from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db


class EmailChoice(enum.StrEnum):
    """How a person wants one kind of notification by email (in the portal it always appears)."""

    IMMEDIATE = "immediate"  # one mail each, sent after the event's commit
    DIGEST = "digest"  # collected into the daily digest (``flask notifications digest``)
    OFF = "off"


OTHER_KINDS = "*"  # the preference row that covers every kind without a row (and a label) of its own


class Notification(db.Model):
    """One message for one user. The text is rendered when shown (from ``kind`` + ``params``), in the viewer's
    language, so it follows later translation fixes too.

    ``email_digest`` marks a notification the recipient wants in their daily digest; ``emailed_at`` is set once
    a digest carried it, so a second run the same day sends nothing again."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_email_digest_emailed_at", "email_digest", "emailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    url: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """A person's email choice for one kind (or ``OTHER_KINDS``); without a row the kind's default applies."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[EmailChoice] = mapped_column(
        Enum(EmailChoice, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
