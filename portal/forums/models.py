"""Forums: categories, threads, posts (with edit history), likes, subscriptions, read marks and reports.

Counters (a thread's replies and last post, a category's threads, posts and last activity) are stored and
recomputed by the services whenever a post or thread changes, so list pages never count rows.
Posts are numbered per thread from 1 (the opening post) and keep their number for good: hidden and
deleted posts stay in the sequence as placeholders, so page numbers and permalinks never shift.
"""

from __future__ import annotations

import enum
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units.models import Unit


class Visibility(enum.StrEnum):
    EVERYONE = "everyone"
    UNIT = "unit"  # members of one unit (and moderators)
    STAFF = "staff"  # organizers, moderators and admins


def _enum(enum_cls: type[enum.Enum]) -> Enum:
    return Enum(enum_cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class ForumCategory(db.Model):
    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.EVERYONE)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    is_read_only: Mapped[bool] = mapped_column(default=False)  # announcements: only staff start threads and reply
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()

    def __str__(self) -> str:
        return self.name


class ForumThread(db.Model):
    __tablename__ = "forum_threads"
    __table_args__ = (
        Index("ix_forum_threads_category_activity", "category_id", "is_pinned", "last_post_at", "id"),
        Index("ix_forum_threads_activity", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply_count: Mapped[int] = mapped_column(default=0)  # visible posts after the opening one
    last_number: Mapped[int] = mapped_column(default=0)  # the highest post number given out
    last_post_number: Mapped[int] = mapped_column(default=1)  # the latest visible post
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The opening post's state, copied here so lists filter threads without joining posts.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[ForumCategory] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id])

    @property
    def is_listed(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    def __str__(self) -> str:
        return self.title


class ForumPost(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (UniqueConstraint("thread_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    renderer_version: Mapped[int] = mapped_column(default=0)
    is_solution: Mapped[bool] = mapped_column(default=False)
    like_count: Mapped[int] = mapped_column(default=0)
    edit_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")

    thread: Mapped[ForumThread] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def body_markup(self) -> Markup:
        return Markup(self.body_html)  # noqa: S704 - stored output of render_markdown (sanitised)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None

    @property
    def is_opening(self) -> bool:
        return self.number == 1


class ForumPostRevision(db.Model):
    """The text a post had before an edit; moderators can read a post's edit history."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(200), default="")  # the thread title, for opening posts
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped[User | None] = relationship()


class ForumLike(db.Model):
    __tablename__ = "forum_likes"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThreadSubscription(db.Model):
    """A user follows a thread (``active``) or muted it (not ``active``: replying does not re-subscribe)."""

    __tablename__ = "forum_thread_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CategorySubscription(db.Model):
    """A user is told about every new thread in a category."""

    __tablename__ = "forum_category_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("forum_categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadMark(db.Model):
    """How far a user has read a thread: the highest post number they have seen."""

    __tablename__ = "forum_read_marks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True)
    last_read_number: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ForumReport(db.Model):
    """A member's report of a post; open until a moderator hides the post or dismisses the report."""

    __tablename__ = "forum_reports"
    __table_args__ = (Index("ix_forum_reports_open", "resolved_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(20), default="")  # "hidden" or "dismissed"

    post: Mapped[ForumPost] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
