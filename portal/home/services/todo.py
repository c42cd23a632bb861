"""What waits for me: evaluations, surveys and follow-ups to fill, my article drafts, plan items due, and the
development plans waiting for my approval."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.accounts.models import User
from portal.articles import queries as articles
from portal.feedback import queries as feedback
from portal.learning import services as learning
from portal.learning.services import plans

FORMS_SHOWN = 5
DRAFTS_SHOWN = 3


@dataclass
class Todo:
    forms: list[feedback.ToFill] = field(default_factory=list)
    form_count: int = 0
    drafts: list = field(default_factory=list)  # articles
    draft_count: int = 0
    plan_items_due: list = field(default_factory=list)  # PlanItem of this year's plan
    plan_approvals: int = 0

    @property
    def empty(self) -> bool:
        return not (self.form_count or self.draft_count or self.plan_items_due or self.plan_approvals)


def plan_items_due(user: User, now: datetime) -> list:
    """Items of this year's plan meant for this month or earlier that no learning record carries out yet."""
    today = learning.local_today(now)
    plan = plans.plan_for(user, today.year)
    if plan is None:
        return []
    return [
        item
        for item in plan.items
        if item.record_id is None and item.planned_month is not None and item.planned_month <= today.month
    ]


def todo(user: User, now: datetime) -> Todo:
    forms, form_count = feedback.to_fill(user, now, FORMS_SHOWN)
    drafts, draft_count = articles.drafts_of(user.id, DRAFTS_SHOWN)
    return Todo(
        forms=forms,
        form_count=form_count,
        drafts=drafts,
        draft_count=draft_count,
        plan_items_due=plan_items_due(user, now),
        plan_approvals=len(plans.awaiting(user)),
    )
