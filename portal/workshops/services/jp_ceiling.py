"""Warnings at sign-up: whether a workshop takes a person past a limit of theirs (a PPPK's JP ceiling of the
contract year, PP 49/2018 Pasal 40). A warning, never a refusal: the person sees it on the sign-up, the organizer
next to the registration.

The limits are learning's, which sits above workshops: these functions ask through
``portal.core.signals.registration_warnings`` and learning answers (:mod:`portal.learning.services.jp_ceiling`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from portal.accounts.models import User
from portal.core import signals
from portal.workshops.models import Registration, Workshop
from portal.workshops.services.common import ACTIVE_STATUSES


def _warnings(
    users: Iterable[User], workshop: Workshop, completed: frozenset[int] = frozenset()
) -> dict[int, signals.Notice]:
    """user id -> the first warning answered for them."""
    found: dict[int, signals.Notice] = {}
    for answer in signals.answers(signals.registration_warnings, workshop, users=list(users), completed=completed):
        for user_id, notice in answer.items():
            found.setdefault(user_id, notice)
    return found


def ceiling_warning(user: User, workshop: Workshop) -> signals.Notice | None:
    """The warning for one person signing up (None: no ceiling, or within it)."""
    if not getattr(user, "is_authenticated", True) or not workshop.jp:
        return None
    return _warnings([user], workshop).get(user.id)


def registration_warnings(registrations: Sequence[Registration], workshop: Workshop) -> dict[int, signals.Notice]:
    """registration id -> warning for the organizer's list (active registrations only)."""
    active = [r for r in registrations if r.status in ACTIVE_STATUSES]
    if not active or not workshop.jp:
        return {}
    completed = frozenset(r.user_id for r in active if r.is_completed)
    by_user = _warnings([r.user for r in active], workshop, completed)
    return {r.id: by_user[r.user_id] for r in active if r.user_id in by_user}
