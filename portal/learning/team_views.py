"""Tim saya (/tim): the people a supervisor or unit head oversees, this year's JP against target, plans to decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import request
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core.htmx import render
from portal.core.pagination import page_arg, paginate
from portal.learning import services as learning
from portal.learning.models import DevelopmentPlan
from portal.learning.services import oversight, plans
from portal.learning.views import bp

if TYPE_CHECKING:
    from portal.accounts.models import User

TEAM_PAGE_SIZE = 50
RELATIONS = ("", "bawahan", "unit")


@dataclass(frozen=True)
class TeamRow:
    person: User
    standing: learning.Standing  # this year's JP against the person's rule (a target, or a PPPK's ceiling)
    plan: DevelopmentPlan | None
    is_direct: bool

    @property
    def jp(self) -> int:
        return self.standing.jp

    @property
    def target(self) -> int:
        return self.standing.rule.jp

    @property
    def reached(self) -> bool:
        return self.standing.state == learning.State.REACHED

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.jp / self.target)) if self.target else 100


@bp.get("/tim")
@login_required
def team():
    year = learning.local_today().year
    query = request.args.get("q", "").strip()[:100]
    relation = request.args.get("hubungan", "")
    relation = relation if relation in RELATIONS else ""
    page = paginate(oversight.team_statement(current_user, query, relation), page_arg(), TEAM_PAGE_SIZE)
    people = list(page.items)
    plan_by_user = plans.plans_by_user([p.id for p in people], year)
    standings = learning.standings_in({p.id: (p, learning.period_for(p, year)) for p in people})
    rows = [
        TeamRow(
            person=person,
            standing=standings[person.id],
            plan=plan_by_user.get(person.id),
            is_direct=person.supervisor_id == current_user.id,
        )
        for person in people
    ]
    return render(
        "learning/team.html",
        partial="learning/_partials/team_table.html",
        page=page,
        rows=rows,
        year=year,
        query=query,
        relation=relation,
        headed_units=oversight.headed_units(current_user),
        oversees=oversight.oversees_anyone(current_user),
        awaiting=plans.awaiting(current_user),
        status_labels=plans.STATUS_LABELS,
    )
