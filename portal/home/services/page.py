"""A signed-in person's home: every section, built in a fixed number of statements whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
        """The cards in the order shown (stacked on a phone): what needs doing now first, the rest after.

        A check-in open now leads; then what waits to be filled in, staff work waiting, a JP target not reached
        (or a ceiling passed); then the other sections with something to show; empty ones (which say so) last.
        """
        urgent, calm, empty = [], [], []
        (urgent if self.agenda.checkin_open else empty if self.agenda.empty else calm).append("agenda")
        (empty if self.todo.empty else urgent).append("todo")
        if self.work:
            (urgent if self.work_count else empty).append("work")
        (urgent if self.progress.urgent else calm).append("progress")
        if not self.oversight.empty:
            calm.append("oversight")
        if self.recommendations:
            calm.append("recommendations")
        if not self.following.empty:
            calm.append("following")
        return urgent + calm + empty


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
