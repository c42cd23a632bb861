"""My next sessions (with the check-in link while the window is open) and my waiting-list places."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.accounts.models import User
from portal.workshops import queries as workshops

SESSIONS_SHOWN = 3
WAITING_SHOWN = 5


@dataclass
class Agenda:
    sessions: list[workshops.NextSession] = field(default_factory=list)
    more_sessions: int = 0  # upcoming sessions beyond those shown
    waiting: list[workshops.WaitingPlace] = field(default_factory=list)

    @property
    def checkin_open(self) -> bool:
        return any(item.checkin_open for item in self.sessions)

    @property
    def empty(self) -> bool:
        return not self.sessions and not self.waiting


def agenda(user: User, now: datetime) -> Agenda:
    sessions, total = workshops.next_sessions(user.id, now, SESSIONS_SHOWN)
    return Agenda(sessions, max(0, total - len(sessions)), workshops.waiting_places(user.id, WAITING_SHOWN))
