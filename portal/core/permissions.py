"""Roles and the one place that decides who may do what.

Services call :func:`require` (raises :class:`PermissionDenied`); views use :func:`role_required`
to refuse early. Templates use ``current_user.can(...)`` only to hide buttons, never as the check.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Protocol, cast

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import Mapped


class Role(enum.StrEnum):
    MEMBER = "member"
    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_UNITS = "manage_units"
    MANAGE_COMPETENCIES = "manage_competencies"
    VIEW_AUDIT_LOG = "view_audit_log"
    MODERATE = "moderate"
    ORGANIZE = "organize"
    MANAGE_CONTENT = "manage_content"  # import knowledge content, restore deleted articles, review settings
    MANAGE_FORUMS = "manage_forums"  # create and edit forum categories
    POST_ANNOUNCEMENTS = "post_announcements"  # write in read-only forum categories, read staff-only ones
    VERIFY_LEARNING = "verify_learning"  # BKPSDM: verify self-reported learning records, set JP rules and targets
    VIEW_ALL_LEARNING = "view_all_learning"  # BKPSDM: every ASN's ledger and profile, the city dashboard, exports
    MANAGE_POSITIONS = "manage_positions"  # jobs (jabatan), their competency standards, supervisors, unit heads
    PROPOSE_PLAN = "propose_plan"  # an OPD's organizer: its annual development plan (unit heads may too)
    APPROVE_PLAN = "approve_plan"  # BKPSDM: consolidate the OPDs' proposals into the city plan, approve, reopen


# Which roles hold each permission. Admin holds all.
GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.MANAGE_UNITS: frozenset({Role.ADMIN}),
    Permission.MANAGE_COMPETENCIES: frozenset({Role.ADMIN}),
    Permission.VIEW_AUDIT_LOG: frozenset({Role.ADMIN}),
    Permission.MODERATE: frozenset({Role.MODERATOR, Role.ADMIN}),
    Permission.ORGANIZE: frozenset({Role.ORGANIZER, Role.ADMIN}),
    Permission.MANAGE_CONTENT: frozenset({Role.ADMIN}),
    Permission.MANAGE_FORUMS: frozenset({Role.ADMIN}),
    Permission.POST_ANNOUNCEMENTS: frozenset({Role.ORGANIZER, Role.MODERATOR, Role.ADMIN}),
    Permission.VERIFY_LEARNING: frozenset({Role.ADMIN}),
    Permission.VIEW_ALL_LEARNING: frozenset({Role.ADMIN}),
    Permission.MANAGE_POSITIONS: frozenset({Role.ADMIN}),
    Permission.PROPOSE_PLAN: frozenset({Role.ORGANIZER, Role.ADMIN}),
    Permission.APPROVE_PLAN: frozenset({Role.ADMIN}),
}


class Actor(Protocol):
    """Who a service acts for or shows to: a signed-in user (``accounts.models.User`` satisfies it).

    Views pass ``current_user``; for pages open to visitors that may be Flask-Login's anonymous user, whose
    ``is_authenticated`` is False — a service reads ``id`` or ``role`` only after checking it.

    The columns are declared as the model maps them: pyright matches a protocol member against a model's declared
    ``Mapped[...]``, not the value it reads as (microsoft/pyright#11021); read through the protocol they are
    still ``int``, ``Role`` and ``int | None``.
    """

    id: Mapped[int]
    role: Mapped[Role]
    unit_id: Mapped[int | None]

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...


class PermissionDenied(Exception):
    """Raised by services when the acting user may not do something; rendered as 403."""


def has_permission(user: Actor | None, permission: Permission) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return Role(user.role) in GRANTS[permission]


def require(user: Actor | None, permission: Permission) -> None:
    if not has_permission(user, permission):
        raise PermissionDenied(permission.value)


def role_required(permission: Permission) -> Callable:
    """View decorator: anonymous users go to login, others without the permission get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from portal.extensions import login_manager

                return login_manager.unauthorized()
            if not has_permission(cast(Actor, current_user), permission):  # the proxy stands for the user
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
