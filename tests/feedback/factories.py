"""Feedback rows for tests, built straight from the models so answering and results can be tested on their own.

``make_form(owner, questions=[...])`` takes question specs: ``Q(kind, label, options=..., **columns)``;
``make_response(form, user, {question_index: value})`` stores a submitted response the way the answering
service stores one (Respondent row, anonymous forms without user_id) — values: a number (LIKERT/NUMBER), an
option index (SINGLE), a list of option indexes (MULTIPLE), ``{item index: number}`` (GRID), a str (texts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormAudience,
    FormPurpose,
    FormStatus,
    LikertScale,
    Question,
    QuestionKind,
    QuestionOption,
    Respondent,
    Response,
)


@dataclass
class Q:
    kind: QuestionKind
    label: str
    options: list[str] = field(default_factory=list)
    correct: tuple[int, ...] = ()  # indexes of correct options (L2 tests)
    competencies: tuple[int | None, ...] = ()  # competency id per option (needs surveys)
    columns: dict[str, Any] = field(default_factory=dict)  # other Question columns (required, scale, ...)


def make_form(
    owner: Any,
    questions: list[Q],
    *,
    title: str = "Evaluasi Pelatihan",
    purpose: FormPurpose = FormPurpose.EVALUATION,
    audience: FormAudience = FormAudience.WORKSHOP,
    status: FormStatus = FormStatus.OPEN,
    workshop: Any = None,
    anonymous: bool = False,
    **columns: Any,
) -> FeedbackForm:
    form = FeedbackForm(
        title=title,
        purpose=purpose,
        audience=audience,
        status=status,
        is_anonymous=anonymous,
        owner_id=owner.id,
        workshop_id=workshop.id if workshop is not None else None,
        published_at=utcnow() if status != FormStatus.DRAFT else None,
        **columns,
    )
    for position, spec in enumerate(questions):
        question = Question(kind=spec.kind, label=spec.label, position=position, **spec.columns)
        if spec.kind in (QuestionKind.LIKERT, QuestionKind.GRID) and question.scale is None:
            question.scale = LikertScale.QUALITY
        for index, label in enumerate(spec.options):
            competency_id = spec.competencies[index] if index < len(spec.competencies) else None
            question.options.append(
                QuestionOption(
                    label=label, position=index, is_correct=index in spec.correct, competency_id=competency_id
                )
            )
        form.questions.append(question)
    db.session.add(form)
    db.session.commit()
    return form


def _answers(question: Question, value: Any) -> list[Answer]:
    kind = question.kind
    if kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
        return [Answer(question_id=question.id, value_number=float(value))]
    if kind == QuestionKind.SINGLE:
        return [Answer(question_id=question.id, option_id=question.options[value].id)]
    if kind == QuestionKind.MULTIPLE:
        return [Answer(question_id=question.id, option_id=question.options[i].id) for i in value]
    if kind == QuestionKind.GRID:
        return [
            Answer(question_id=question.id, option_id=question.options[i].id, value_number=float(number))
            for i, number in value.items()
        ]
    return [Answer(question_id=question.id, value_text=str(value))]


def make_response(
    form: FeedbackForm,
    user: Any,
    values: dict[int, Any],
    *,
    submitted_at: datetime | None = None,
    unit_id: int | None = None,
    subject_user: Any = None,
    score: float | None = None,
    max_score: float | None = None,
) -> Response:
    """A submitted response; ``user`` may be None (public link). Anonymous forms store no user_id."""
    response = Response(
        form_id=form.id,
        user_id=None if form.is_anonymous or user is None else user.id,
        unit_id=unit_id if unit_id is not None else getattr(user, "unit_id", None),
        subject_user_id=subject_user.id if subject_user is not None else None,
        submitted_at=submitted_at or utcnow(),
        score=score,
        max_score=max_score,
    )
    for index, value in values.items():
        response.answers.extend(_answers(form.questions[index], value))
    db.session.add(response)
    if user is not None:
        db.session.add(
            Respondent(
                form_id=form.id,
                user_id=user.id,
                subject_user_id=subject_user.id if subject_user is not None else None,
            )
        )
    db.session.commit()
    return response
