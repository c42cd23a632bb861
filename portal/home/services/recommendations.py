"""Recommended workshops: open ones that address a competency where my profile is below my job's standard
(saying which gap each closes), then ones on the competencies my unit's needs survey ranked highest. Workshops
I already signed up for are left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.accounts.models import User
from portal.core.types import utcnow
from portal.feedback import services as feedback
from portal.learning.services import profile
from portal.workshops import queries as workshops
from portal.workshops.models import Workshop

SHOWN = 4
NEEDS_CONSIDERED = 5


@dataclass(frozen=True)
class Recommendation:
    workshop: Workshop
    gaps: list[profile.Gap] = field(default_factory=list)  # the gaps it closes (empty: chosen for the unit's needs)
    needs: list[str] = field(default_factory=list)  # the unit's ranked needs it addresses (competency names)


def recommendations(user: User, now: datetime | None = None, limit: int = SHOWN) -> list[Recommendation]:
    now = now or utcnow()
    gaps = {gap.competency.id: gap for gap in profile.gaps_for(user) if gap.has_gap}
    chosen: list[Recommendation] = []
    for workshop in workshops.open_for_competencies(list(gaps), user.id, user.unit_id, now, limit):
        chosen.append(Recommendation(workshop, gaps=[gaps[c.id] for c in workshop.competencies if c.id in gaps]))
    if len(chosen) >= limit or not user.unit_id:
        return chosen
    needs = {row.competency.id: row.competency for row in feedback.top_needs(NEEDS_CONSIDERED, unit_id=user.unit_id)}
    taken = {item.workshop.id for item in chosen}
    for workshop in workshops.open_for_competencies(list(needs), user.id, user.unit_id, now, limit + len(taken)):
        if workshop.id not in taken and len(chosen) < limit:
            chosen.append(Recommendation(workshop, needs=[c.name for c in workshop.competencies if c.id in needs]))
    return chosen
