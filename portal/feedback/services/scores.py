"""The per-workshop Kirkpatrick numbers (L1 mean, L2 test gain, L3 change share; definitions in
:mod:`portal.feedback.services.results`), per-trainer scores, a workshop's evaluation at a glance, and the
learning dashboard's monthly L1 trend."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, func, select

from portal.core.permissions import Actor, PermissionDenied
from portal.core.timezone import to_local
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormPurpose,
    Question,
    Response,
)
from portal.feedback.services.common import FOLLOWUP_PURPOSES, SCALE_KINDS
from portal.feedback.services.lookups import forms_of_workshop
from portal.feedback.services.results import HIGH_SCORE, min_group, responses_needed, visible_forms, year_bounds
from portal.workshops import services as workshops
from portal.workshops.models import Workshop

# ---------------------------------------------------------------- mean of scale values per response


def _scale_values(*conditions: Any) -> Select[*tuple[Any, ...]]:
    """(response id, sum, count) of the Likert and grid values of the responses matching ``conditions``."""
    return (
        select(Response.id, func.sum(Answer.value_number), func.count(Answer.value_number))
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(Question.kind.in_(SCALE_KINDS), Answer.value_number.is_not(None), *conditions)
        .group_by(Response.id)
    )


def _workshop_forms(workshop_ids: Iterable[int], purposes: Iterable[FormPurpose]) -> list[Any]:
    """The workshops' forms of these purposes whose results may show (an anonymous form below the threshold
    counts nowhere: see :func:`~portal.feedback.services.results.visible_forms`)."""
    return [
        FeedbackForm.workshop_id.in_(list(workshop_ids)),
        FeedbackForm.purpose.in_(list(purposes)),
        FeedbackForm.is_template.is_(False),
        visible_forms(),
    ]


@dataclass(frozen=True)
class Mean:
    value: float | None
    responses: int


def l1_by_workshop(workshop_ids: Iterable[int]) -> dict[int, Mean]:
    """L1 per workshop: the mean of every Likert/grid value of its evaluation responses, and how many responses."""
    stmt = (
        select(
            FeedbackForm.workshop_id,
            func.sum(Answer.value_number),
            func.count(Answer.value_number),
            func.count(func.distinct(Response.id)),
        )
        .join(Response, Response.form_id == FeedbackForm.id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.EVALUATION]),
            Question.kind.in_(SCALE_KINDS),
            Answer.value_number.is_not(None),
        )
        .group_by(FeedbackForm.workshop_id)
    )
    # The workshop ids are those asked for, and each group sums at least one value: none of them is None.
    rows = cast(Iterable[tuple[int, float, int, int]], db.session.execute(stmt))
    return {wid: Mean(total / count if count else None, n) for wid, total, count, n in rows}


@dataclass(frozen=True)
class ChangeShare:
    share: float | None  # of follow-up responses whose mean agreement is >= HIGH_SCORE
    responses: int


def l3_by_workshop(workshop_ids: Iterable[int]) -> dict[int, ChangeShare]:
    """L3 per workshop from its follow-up forms (participants and supervisors together)."""
    stmt = _scale_values(*_workshop_forms(workshop_ids, FOLLOWUP_PURPOSES)).add_columns(FeedbackForm.workshop_id)
    stmt = stmt.group_by(FeedbackForm.workshop_id)
    changed: dict[int, list[bool]] = defaultdict(list)
    for _rid, total, count, workshop_id in db.session.execute(stmt):
        changed[workshop_id].append(total / count >= HIGH_SCORE)
    return {wid: ChangeShare(sum(flags) / len(flags), len(flags)) for wid, flags in changed.items()}


@dataclass(frozen=True)
class TestGain:
    pre_mean: float | None  # mean score %, 0..100
    pre_n: int
    post_mean: float | None
    post_n: int
    paired_n: int = 0
    paired_gain: float | None = None  # mean of (post - pre) over participants with both

    @property
    def gain(self) -> float | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean


def l2_by_workshop(workshop_ids: Iterable[int]) -> dict[int, TestGain]:
    """Pre/post-test score % per workshop; scores of responses without a positive maximum are left out."""
    stmt = (
        select(FeedbackForm.workshop_id, FeedbackForm.purpose, Response.user_id, Response.score, Response.max_score)
        .join(Response, Response.form_id == FeedbackForm.id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.PRE_TEST, FormPurpose.POST_TEST]),
            Response.score.is_not(None),
            Response.max_score > 0,
        )
    )
    scores: dict[int, dict[FormPurpose, list[tuple[int | None, float]]]] = defaultdict(lambda: defaultdict(list))
    # The workshop ids are those asked for, and the query selects scored responses: only user_id may be None.
    rows = cast(Iterable[tuple[int, FormPurpose, int | None, float, float]], db.session.execute(stmt))
    for workshop_id, purpose, user_id, score, max_score in rows:
        scores[workshop_id][FormPurpose(purpose)].append((user_id, 100 * score / max_score))
    return {workshop_id: _gain(by_purpose) for workshop_id, by_purpose in scores.items()}


def _gain(by_purpose: Mapping[FormPurpose, list[tuple[int | None, float]]]) -> TestGain:
    pre, post = by_purpose.get(FormPurpose.PRE_TEST, []), by_purpose.get(FormPurpose.POST_TEST, [])
    pre_by_user = {user_id: value for user_id, value in pre if user_id is not None}
    pairs = [value - pre_by_user[user_id] for user_id, value in post if user_id in pre_by_user]
    return TestGain(
        pre_mean=statistics.fmean(v for _u, v in pre) if pre else None,
        pre_n=len(pre),
        post_mean=statistics.fmean(v for _u, v in post) if post else None,
        post_n=len(post),
        paired_n=len(pairs),
        paired_gain=statistics.fmean(pairs) if pairs else None,
    )


def test_gain(workshop_id: int) -> TestGain:
    return l2_by_workshop([workshop_id]).get(workshop_id, TestGain(None, 0, None, 0))


# ---------------------------------------------------------------- per-trainer scores


@dataclass
class TrainerRow:
    name: str
    per_workshop: dict[int, float] = field(default_factory=dict)  # workshop id -> mean
    total: float = 0.0
    count: int = 0  # values behind the overall mean

    @property
    def overall(self) -> float | None:
        return self.total / self.count if self.count else None


def trainer_scores(workshop_ids: Iterable[int]) -> list[TrainerRow]:
    """Mean of the evaluation's Likert/grid values about each trainer (questions with ``trainer_name``), per
    workshop and overall (all values pooled); names match without regard to case and spacing."""
    stmt = (
        select(
            FeedbackForm.workshop_id,
            Question.trainer_name,
            func.sum(Answer.value_number),
            func.count(Answer.value_number),
        )
        .join(Question, Question.form_id == FeedbackForm.id)
        .join(Answer, Answer.question_id == Question.id)
        .where(
            *_workshop_forms(workshop_ids, [FormPurpose.EVALUATION]),
            Question.kind.in_(SCALE_KINDS),
            Question.trainer_name != "",
            Answer.value_number.is_not(None),
        )
        .group_by(FeedbackForm.workshop_id, Question.trainer_name)
    )
    rows: dict[str, TrainerRow] = {}
    sums: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    # The workshop ids are those asked for, and each group sums at least one value: none of them is None.
    sums_found = cast(Iterable[tuple[int, str, float, int]], db.session.execute(stmt))
    for workshop_id, name, total, count in sums_found:
        key = " ".join(name.split()).casefold()
        row = rows.setdefault(key, TrainerRow(" ".join(name.split())))
        row.total += total
        row.count += count
        sums[(key, workshop_id)][0] += total
        sums[(key, workshop_id)][1] += count
    for (key, workshop_id), (total, count) in sums.items():
        rows[key].per_workshop[workshop_id] = total / count
    return sorted(rows.values(), key=lambda row: row.name.casefold())


# ---------------------------------------------------------------- a workshop's evaluation at a glance


@dataclass
class WorkshopEvaluation:
    workshop: Workshop
    forms: list[FeedbackForm]
    l1: Mean
    l2: TestGain
    l3: ChangeShare
    trainers: list[TrainerRow]
    needed: dict[int, int] = field(default_factory=dict)  # anonymous forms below the threshold: responses needed


def workshop_evaluation(viewer: Actor, workshop: Workshop) -> WorkshopEvaluation:
    if not workshops.can_manage(viewer, workshop):
        raise PermissionDenied("feedback.results")
    ids = [workshop.id]
    forms = forms_of_workshop(workshop.id)
    return WorkshopEvaluation(
        workshop,
        forms,
        l1_by_workshop(ids).get(workshop.id, Mean(None, 0)),
        test_gain(workshop.id),
        l3_by_workshop(ids).get(workshop.id, ChangeShare(None, 0)),
        trainer_scores(ids),
        {form.id: needed for form in forms if (needed := responses_needed(form))},
    )


# ---------------------------------------------------------------- the learning dashboard's trend


@dataclass(frozen=True)
class TrendPoint:
    month: int  # 1..12
    l1_mean: float | None  # None: no evaluations, or (with a unit) fewer than min_group() that month
    responses: int


def evaluation_trend(year: int, unit_id: int | None = None) -> list[TrendPoint]:
    """Contract for the learning dashboard: training evaluations (L1) submitted in ``year`` (WIB), per month.

    Always twelve points. ``l1_mean`` pools every Likert/grid value of the month's evaluation responses (the L1
    definition above). With ``unit_id`` only that unit's responses count, and a month with fewer than
    :func:`~portal.feedback.services.results.min_group` responses has ``l1_mean`` None (a small breakdown of
    possibly anonymous answers). An anonymous form below the threshold counts in no month.
    """
    start, end = year_bounds(year)
    conditions = [
        FeedbackForm.purpose == FormPurpose.EVALUATION,
        FeedbackForm.is_template.is_(False),
        visible_forms(),
        Response.submitted_at >= start,
        Response.submitted_at < end,
    ]
    if unit_id is not None:
        conditions.append(Response.unit_id == unit_id)
    stmt = _scale_values(*conditions).add_columns(Response.submitted_at).group_by(Response.submitted_at)
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0, 0])
    for _rid, total, count, submitted_at in db.session.execute(stmt):
        bucket = sums[to_local(submitted_at).month]
        bucket[0] += total
        bucket[1] += count
        bucket[2] += 1
    points, least = [], min_group()
    for month in range(1, 13):
        total, count, responses = sums.get(month, (0.0, 0, 0))
        small = unit_id is not None and responses < least
        points.append(TrendPoint(month, None if small or not count else total / count, int(responses)))
    return points
