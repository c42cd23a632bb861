"""Technical needs in needs surveys: the catalogue picker, how picked and coded needs score, and BKPSDM's coding of
written needs.

A question of kind TECHNICAL is answered with a technical competency of the catalogue (``Answer.competency_id``)
or with "lainnya" and the need written out (``Answer.value_text``). Written needs — those "lainnya" texts and the
answers to text questions of needs surveys (the older surveys asked for technical needs in free text) — are listed
on the needs page for BKPSDM to code: giving a written answer a catalogue competency (audited) makes it count in
the ranking exactly like a picked one.

**Scoring** (the rule of choice questions in :mod:`~portal.feedback.services.needs_analysis`): per question, the
competencies picked or coded in the analysed responses are its options; a response that answered the question
scores 5 for the competency it picked (or was coded as) and 1 for each of the others, so a need many people name
ranks above one few name, on the same 1-5 scale as the managerial and socio-cultural grid items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, has_permission, require
from portal.extensions import db
from portal.feedback.models import Answer, FeedbackForm, FormPurpose, Question, QuestionKind, Response
from portal.feedback.services.checking import technical_competency
from portal.feedback.services.common import AnalysisError

CHOSEN, NOT_CHOSEN = 5.0, 1.0
WRITTEN_KINDS = (QuestionKind.TECHNICAL, QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
CODING_PAGE_SIZE = 25
SEARCH_MAX = 100


# ---------------------------------------------------------------- the picker


def technical_choices(query: str = "") -> list[Competency]:
    """Active technical competencies of the catalogue (matching ``query`` in code or name), by code."""
    groups = competencies.catalogue(CompetencyCategory.TECHNICAL, (query or "").strip()[:SEARCH_MAX])
    return groups.get(CompetencyCategory.TECHNICAL, [])


# ---------------------------------------------------------------- scoring (used by the needs analysis)


def technical_scores(conditions: Iterable[Any]) -> list[tuple[int, int | None, int, float]]:
    """(response id, unit id, competency id, score) of the picked and coded technical needs of the responses in
    ``conditions`` (the needs analysis's scope over Response, Answer, Question and FeedbackForm)."""
    stmt = (
        select(Response.id, Response.unit_id, Answer.question_id, Answer.competency_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(
            *conditions,
            Question.kind.in_(WRITTEN_KINDS),
            or_(Answer.competency_id.is_not(None), Answer.value_text != ""),
        )
    )
    options: dict[int, set[int]] = defaultdict(set)  # question -> competencies picked or coded
    answered: dict[tuple[int, int | None, int], set[int]] = defaultdict(set)  # (response, unit, question) -> picked
    for response_id, unit_id, question_id, competency_id in db.session.execute(stmt):
        picked = answered[(response_id, unit_id, question_id)]
        if competency_id is not None:
            options[question_id].add(competency_id)
            picked.add(competency_id)
    scores = []
    for (response_id, unit_id, question_id), picked in answered.items():
        for competency_id in sorted(options.get(question_id, ())):
            scores.append((response_id, unit_id, competency_id, CHOSEN if competency_id in picked else NOT_CHOSEN))
    return scores


def competency_counts(response_ids: Any) -> dict[int, list[tuple[Competency, int]]]:
    """question id -> (competency, answers) of the TECHNICAL questions among ``response_ids`` (a select of
    response ids): the competencies picked or coded, most first."""
    stmt = (
        select(Answer.question_id, Answer.competency_id, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.response_id.in_(response_ids),
            Question.kind == QuestionKind.TECHNICAL,
            Answer.competency_id.is_not(None),
        )
        .group_by(Answer.question_id, Answer.competency_id)
    )
    found = db.session.execute(stmt).all()
    known = competencies.by_ids(competency_id for _q, competency_id, _n in found if competency_id is not None)
    rows: dict[int, list[tuple[Competency, int]]] = defaultdict(list)
    for question_id, competency_id, count in found:
        if competency_id in known:
            rows[question_id].append((known[competency_id], count))
    return {question_id: sorted(items, key=lambda i: (-i[1], i[0].code)) for question_id, items in rows.items()}


# ---------------------------------------------------------------- coding written needs


def can_code(user: Actor) -> bool:
    """BKPSDM reads the written needs and codes them (they change the city's ranking)."""
    return has_permission(user, Permission.VIEW_ALL_LEARNING)


def _written(conditions: Iterable[Any]) -> Any:
    return (
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .join(FeedbackForm, FeedbackForm.id == Response.form_id)
        .where(
            *conditions,
            Question.kind.in_(WRITTEN_KINDS),
            Answer.value_text.is_not(None),
            Answer.value_text != "",
            Answer.hidden_at.is_(None),
        )
    )


def written_needs(viewer: Actor, conditions: Iterable[Any], page: int = 1) -> Page[Answer]:
    """The written needs in the scope, those still to code first, then alphabetically (never in the order they
    came in, nor with a unit or date: the texts of anonymous surveys must not point to anyone)."""
    require(viewer, Permission.VIEW_ALL_LEARNING)
    stmt = (
        _written(conditions)
        .order_by(Answer.competency_id.is_not(None), Answer.value_text, Answer.id)
        .options(joinedload(Answer.question), joinedload(Answer.competency))
    )
    return paginate(stmt, page, CODING_PAGE_SIZE)


def uncoded_count(conditions: Iterable[Any]) -> int:
    stmt = _written(conditions).where(Answer.competency_id.is_(None)).with_only_columns(func.count(Answer.id))
    return db.session.scalar(stmt) or 0


def code_written_need(actor: Actor, answer_id: int | None, competency_id: str | int | None) -> Answer:
    """Give a written need of a needs survey a technical competency of the catalogue (empty: take the coding
    back). Only answers the needs page lists can be coded (not hidden; an anonymous survey's only once its results
    show). Audited."""
    from portal.feedback.services.results import visible_forms  # results imports this module

    require(actor, Permission.VIEW_ALL_LEARNING)
    answer = None
    if answer_id is not None:
        stmt = _written([FeedbackForm.purpose == FormPurpose.NEEDS_SURVEY, FeedbackForm.is_template.is_(False)])
        answer = db.session.scalar(stmt.where(Answer.id == answer_id, visible_forms()))
    if answer is None:
        raise AnalysisError(_l("Jawaban tertulis tidak ditemukan."), "answer_id")
    new_id = None
    if str(competency_id or "").strip():
        new_id = technical_competency(competency_id)
        if new_id is None:
            raise AnalysisError(_l("Pilih kompetensi teknis yang ada dalam katalog."), "competency_id")
    if new_id == answer.competency_id:
        return answer
    before = answer.competency.code if answer.competency else None
    answer.competency_id = new_id
    after = competencies.by_ids([new_id])[new_id].code if new_id else None
    form = answer.response.form
    audit.record(
        actor, "feedback.need_code", answer, label=form.title, form_id=form.id, before=before, competency=after
    )
    db.session.commit()
    return answer
