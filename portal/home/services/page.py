"""A signed-in person's home: every section, built in a fixed number of statements whatever the data size."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.accounts.models import User
from portal.core.types import utcnow
from portal.home.services.agenda import Agenda, agenda
from portal.home.services.following import Following, following
from portal.home.services.progress import Progress, progress
from portal.home.services.recommendations import Recommendation, recommendations
from portal.home.services.todo import Todo, todo
from portal.home.services.work import Oversight, WorkItem, oversight, work_waiting


@dataclass
class Home:
    now: datetime
    agenda: Agenda
    progress: Progress
    todo: Todo
    recommendations: list[Recommendation]
    following: Following
    oversight: Oversight
    work: list[WorkItem] = field(default_factory=list)

    @property
    def work_count(self) -> int:
        return sum(item.count for item in self.work)

    @property
    def sections(self) -> list[str]:
        """The cards in the order shown (see :func:`in_order`)."""
        return in_order({name: rank(name, getattr(self, name)) for name in SECTIONS})


# Every section of the page, in the order they are listed within the same urgency, with what builds it.
SECTIONS: dict[str, Callable[[User, datetime], Any]] = {
    "agenda": agenda,
    "todo": todo,
    "work": lambda user, _now: work_waiting(user),
    "progress": progress,
    "oversight": oversight,
    "recommendations": recommendations,
    "following": lambda user, _now: following(user),
}
URGENT, CALM, EMPTY = "urgent", "calm", "empty"


def rank(name: str, value: Any) -> str | None:
    """How a section's content ranks it: URGENT, CALM, EMPTY (shown last, saying so) or None (not shown).

    A check-in open now is urgent; so is what waits to be filled in, staff work waiting, a JP target not reached
    (or a ceiling passed). Sections with nothing to show are left out, except the agenda, the to-do list and
    (when the role has queues) the work list, which say they are empty.
    """
    if name == "agenda":
        return URGENT if value.checkin_open else EMPTY if value.empty else CALM
    if name == "todo":
        return EMPTY if value.empty else URGENT
    if name == "work":
        return None if not value else URGENT if sum(item.count for item in value) else EMPTY
    if name == "progress":
        return URGENT if value.urgent else CALM
    if name == "oversight":
        return None if value.empty else CALM
    if name in ("recommendations", "following"):
        return CALM if value and not getattr(value, "empty", False) else None
    raise KeyError(name)


def in_order(ranks: dict[str, str | None]) -> list[str]:
    """The cards in the order shown (stacked on a phone): what needs doing now first, the rest after, empty last;
    within each, the order of :data:`SECTIONS`."""
    return [name for wanted in (URGENT, CALM, EMPTY) for name in SECTIONS if ranks.get(name) == wanted]


def build(user: User, now: datetime | None = None) -> Home:
    now = now or utcnow()
    return Home(
        now=now,
        agenda=agenda(user, now),
        progress=progress(user, now),
        todo=todo(user, now),
        recommendations=recommendations(user, now),
        following=following(user),
        oversight=oversight(user, now),
        work=work_waiting(user),
    )
