"""My JP this year against my rule: a target (PNS, CPNS) or a ceiling (PPPK), and what waits for verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.accounts.models import User
from portal.learning import services as learning


@dataclass(frozen=True)
class Progress:
    standing: learning.Standing

    @property
    def percent(self) -> int:
        """How far along the bar is (0-100): towards the target, or how much of the ceiling is used."""
        rule_jp = self.standing.rule.jp
        return 100 if rule_jp <= 0 else min(100, round(self.standing.jp * 100 / rule_jp))

    @property
    def urgent(self) -> bool:
        return self.standing.below_target or self.standing.over_ceiling


def progress(user: User, now: datetime) -> Progress:
    today = learning.local_today(now)
    return Progress(learning.standing(user, today.year, today))
