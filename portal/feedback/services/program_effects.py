"""What a review decision changed: the run it applies to against the runs before it ("setelah perubahan:
L3 11 % → 48 %").

The decision's run is the one it names, else the program's first run starting after it was recorded. "Before" is
the latest run that started before the decision and has a figure for that level. A level of a run whose anonymous
forms have fewer than ``FEEDBACK_MIN_RESPONSES`` responses shows "belum cukup jawaban", never a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback.models import FeedbackForm, FormPurpose, ProgramReview, Response
from portal.feedback.services.common import FOLLOWUP_PURPOSES
from portal.feedback.services.program_review import ProgramSummary, RunSummary
from portal.feedback.services.results import min_group

LEVEL_PURPOSES: dict[str, tuple[FormPurpose, ...]] = {
    "L1": (FormPurpose.EVALUATION,),
    "L2": (FormPurpose.PRE_TEST, FormPurpose.POST_TEST),
    "L3": tuple(FOLLOWUP_PURPOSES),
}


def withheld_levels(workshop_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per workshop, the levels with an anonymous form still below the minimum number of responses."""
    ids = list(workshop_ids)
    if not ids:
        return {}
    counted = (
        select(FeedbackForm.workshop_id, FeedbackForm.purpose, func.count(Response.id))
        .outerjoin(Response, Response.form_id == FeedbackForm.id)
        .where(FeedbackForm.workshop_id.in_(ids), FeedbackForm.is_anonymous.is_(True))
        .where(FeedbackForm.is_template.is_(False))
        .group_by(FeedbackForm.id, FeedbackForm.workshop_id, FeedbackForm.purpose)
    )
    withheld: dict[int, set[str]] = defaultdict(set)
    for workshop_id, purpose, responses in db.session.execute(counted):
        if workshop_id is not None and responses < min_group():
            for level, purposes in LEVEL_PURPOSES.items():
                if FormPurpose(purpose) in purposes:
                    withheld[workshop_id].add(level)
    return withheld


def level_value(run: RunSummary, level: str) -> float | None:
    """L1 mean (1-5), L2 gain (points %), L3 share of follow-ups reporting change (%)."""
    if level == "L1":
        return run.l1_mean
    if level == "L2":
        return run.l2_gain
    return run.l3_change_share * 100 if run.l3_change_share is not None else None


@dataclass(frozen=True)
class Figure:
    run: RunSummary | None
    value: float | None
    withheld: bool  # "belum cukup jawaban"


@dataclass(frozen=True)
class LevelChange:
    level: str
    before: Figure
    after: Figure


@dataclass(frozen=True)
class DecisionEffect:
    review: ProgramReview
    next_run: RunSummary | None  # None: no run after the decision yet
    changes: list[LevelChange]


def _next_run(summary: ProgramSummary, review: ProgramReview) -> RunSummary | None:
    if review.next_workshop_id is not None:
        chosen = next((run for run in summary.runs if run.workshop.id == review.next_workshop_id), None)
        if chosen is not None:
            return chosen
    return next((run for run in summary.runs if run.workshop.starts_at > review.created_at), None)


def decision_effect(summary: ProgramSummary) -> DecisionEffect | None:
    """The latest decision and its run's L1/L2/L3 against the runs before it (None without a decision)."""
    review = summary.latest_review
    if review is None:
        return None
    after_run = _next_run(summary, review)
    before_runs = [run for run in summary.runs if run.workshop.starts_at <= review.created_at and run is not after_run]
    withheld = withheld_levels([run.workshop.id for run in summary.runs])
    changes = []
    for level in LEVEL_PURPOSES:
        before = next((run for run in reversed(before_runs) if level_value(run, level) is not None), None)
        if before is None:  # no figure before: say so when one is withheld
            before = next((run for run in reversed(before_runs) if level in withheld.get(run.workshop.id, ())), None)
        figures = []
        for run in (before, after_run):
            hidden = run is not None and level in withheld.get(run.workshop.id, ()) and level_value(run, level) is None
            figures.append(Figure(run, level_value(run, level) if run else None, hidden))
        changes.append(LevelChange(level, figures[0], figures[1]))
    return DecisionEffect(review, after_run, changes)
