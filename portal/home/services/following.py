"""New in the threads I follow (articles have no follow yet: nothing to show for them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.accounts.models import User
from portal.forums import queries as forums

SHOWN = 5


@dataclass
class Following:
    threads: list[forums.UnreadThread] = field(default_factory=list)
    total: int = 0

    @property
    def empty(self) -> bool:
        return not self.total


def following(user: User) -> Following:
    threads, total = forums.followed_unread(user, SHOWN)
    return Following(threads, total)
