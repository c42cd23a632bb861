"""For people who look after others: a supervisor's team below target, a unit head's unit figure, and for staff
roles the work waiting for them (review queue, open reports, pending registrations, claims, flagged programs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.accounts.models import User
from portal.articles import queries as articles
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, has_permission
from portal.extensions import db
from portal.feedback.services import program_review
from portal.forums import services as forums
from portal.learning import services as learning
from portal.learning.services import oversight as learning_oversight
from portal.workshops import queries as workshops


@dataclass(frozen=True)
class Figure:
    below: int  # people below their target
    people: int  # people counted


@dataclass(frozen=True)
class Oversight:
    team: Figure | None = None  # direct subordinates (a supervisor)
    unit: Figure | None = None  # the units the person heads

    @property
    def empty(self) -> bool:
        return self.team is None and self.unit is None


def _figure(viewer: User, relation: str, now: datetime) -> Figure | None:
    people = list(db.session.scalars(learning_oversight.team_statement(viewer, relation=relation)))
    if not people:
        return None
    standings = learning.standings_on(people, learning.local_today(now))
    return Figure(sum(1 for standing in standings.values() if standing.below_target), len(people))


def oversight(user: User, now: datetime) -> Oversight:
    """Direct subordinates and the headed units' people below their JP target this year (WIB)."""
    unit = _figure(user, "unit", now) if learning_oversight.headed_unit_ids(user) else None
    return Oversight(team=_figure(user, "bawahan", now), unit=unit)


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    endpoint: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def url_values(self) -> dict[str, str]:
        return dict(self.values)


def work_waiting(user: User) -> list[WorkItem]:
    """Staff queues the person may work on, each with its count (only those the role grants; the largest first)."""
    items: list[WorkItem] = []
    if has_permission(user, Permission.MODERATE):
        items.append(
            WorkItem(str(_l("Artikel menunggu tinjauan")), articles.review_queue_count(user), "articles.review_queue")
        )
        items.append(WorkItem(str(_l("Laporan forum terbuka")), forums.count_open_reports(user), "forums.moderation"))
    if has_permission(user, Permission.ORGANIZE):
        items.append(
            WorkItem(
                str(_l("Pendaftaran menunggu persetujuan")),
                workshops.pending_registration_count(user),
                "workshops.manage",
            )
        )
        flagged = sum(s.needs_review for s in program_review.list_programs(user, flagged_only=True))
        items.append(WorkItem(str(_l("Program perlu ditinjau")), flagged, "feedback.programs", (("tinjau", "1"),)))
    if learning.can_verify(user):
        items.append(WorkItem(str(_l("Klaim JP menunggu verifikasi")), learning.waiting_count(), "learning.queue"))
    return sorted(items, key=lambda item: -item.count)
