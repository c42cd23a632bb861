"""Warnings when a sign-up would take a PPPK past the JP ceiling of their contract year (PP 49/2018 Pasal 40).

A warning, never a refusal: the person sees it on the sign-up, the organizer next to the registration. Workshops
asks through ``portal.core.signals.registration_warnings`` (it sits below learning) and
:func:`answer_registration_warnings` answers. What counts toward the ceiling is the person's verified JP in the
contract year that contains the workshop's last day (:func:`.targets.standings_on`), the JP of their other
workshops in that period they are signed up for and have not completed yet, and this workshop's JP (unless it is
completed, and so already verified).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.core.timezone import to_local
from portal.extensions import db
from portal.learning.models import TargetKind
from portal.learning.services.targets import Period, Standing, standings_on
from portal.workshops.models import Registration, Workshop
from portal.workshops.services.common import ACTIVE_STATUSES


@dataclass(frozen=True)
class CeilingWarning:
    standing: Standing  # verified JP in the period, against the ceiling
    planned: int  # JP of other workshops in the period the person is signed up for
    adding: int  # this workshop's JP (0 once completed: then it is in ``standing.jp``)

    @property
    def total(self) -> int:
        return self.standing.jp + self.planned + self.adding

    @property
    def ceiling(self) -> int:
        return self.standing.rule.jp

    @property
    def excess(self) -> int:
        return self.total - self.ceiling

    def message(self) -> str:
        return str(
            _l(
                "Perhatian: dengan pelatihan ini JP Anda pada periode %(period)s menjadi %(total)d JP, melebihi batas "
                "%(ceiling)d JP untuk PPPK (%(basis)s). Anda tetap dapat mendaftar; bicarakan dengan atasan Anda.",
                period=self.standing.period.label(),
                total=self.total,
                ceiling=self.ceiling,
                basis=self.standing.rule.basis,
            )
        )

    def note(self) -> str:
        """The organizer's short version, next to the registration."""
        return str(
            _l(
                "melebihi batas JP PPPK: %(total)d dari %(ceiling)d JP (%(period)s)",
                total=self.total,
                ceiling=self.ceiling,
                period=self.standing.period.label(),
            )
        )


def _planned(users: Sequence[User], workshop: Workshop, periods: dict[int, Period]) -> dict[int, int]:
    """user id -> JP of the other workshops they hold an active, not completed registration for, ending in their
    period. One query."""
    if not users:
        return {}
    stmt = (
        select(Registration.user_id, Workshop.ends_at, Workshop.jp)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(
            Registration.user_id.in_([user.id for user in users]),
            Registration.workshop_id != workshop.id,
            Registration.status.in_(ACTIVE_STATUSES),
            Registration.completed_at.is_(None),
        )
    )
    planned: dict[int, int] = defaultdict(int)
    for user_id, ends_at, jp in db.session.execute(stmt):
        if periods[user_id].contains(to_local(ends_at).date()):
            planned[user_id] += jp
    return planned


def ceiling_warnings(
    users: Sequence[User], workshop: Workshop, completed: frozenset[int] = frozenset()
) -> dict[int, CeilingWarning]:
    """user id -> warning, for those of ``users`` whose rule is a ceiling this workshop would pass (``completed``:
    user ids whose attendance of it is already credited). A fixed number of queries."""
    day = to_local(workshop.ends_at).date()
    standings = standings_on(list(users), day, TargetKind.CEILING)
    capped = [user for user in users if user.id in standings]
    planned = _planned(capped, workshop, {user_id: s.period for user_id, s in standings.items()})
    warnings = {}
    for user in capped:
        warning = CeilingWarning(
            standings[user.id], planned.get(user.id, 0), 0 if user.id in completed else workshop.jp
        )
        if warning.total > warning.ceiling:
            warnings[user.id] = warning
    return warnings


def answer_registration_warnings(
    workshop: Workshop, *, users: Sequence[User], completed: frozenset[int] = frozenset()
) -> dict[int, CeilingWarning] | None:
    """The receiver of ``registration_warnings``: the PPPK among ``users`` this workshop takes past their ceiling."""
    return ceiling_warnings(users, workshop, completed) or None
