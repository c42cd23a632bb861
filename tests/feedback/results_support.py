"""Rows the results, needs and program tests build on: workshops with completed participants, a standard
evaluation, needs surveys, competencies. Built straight from the models (like ``factories``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.competencies.models import Competency, CompetencyCategory
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FormAudience, FormPurpose, LikertScale, QuestionKind
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from tests.feedback.factories import Q, make_form

LIKERT, GRID = QuestionKind.LIKERT, QuestionKind.GRID
SINGLE, MULTIPLE, NUMBER = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.NUMBER
SHORT, LONG = QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT


def make_workshop(
    organizer,
    title: str = "Pelatihan Pelayanan Prima",
    starts_at: datetime | None = None,
    status: WorkshopStatus = WorkshopStatus.COMPLETED,
    trainer_names: str = "",
) -> Workshop:
    start = starts_at or utcnow() - timedelta(days=10)
    workshop = Workshop(
        title=title,
        capacity=40,
        organizer_id=organizer.id,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status=status,
        trainer_names=trainer_names,
    )
    db.session.add(workshop)
    db.session.commit()
    return workshop


def enrol(workshop: Workshop, user, completed: bool = True) -> Registration:
    registration = Registration(
        workshop_id=workshop.id,
        user_id=user.id,
        status=RegistrationStatus.CONFIRMED,
        completed_at=utcnow() if completed else None,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def evaluation(owner, workshop: Workshop | None = None, anonymous: bool = False, **columns):
    """0: Likert 'Penyelenggaraan'; 1: grid 'Materi' (Jelas, Bermanfaat); 2: single 'Sumber info' (Surat, Grup WA,
    Situs); 3: multiple 'Topik lanjutan' (Data, Layanan, Arsip); 4: number 'Jam belajar'; 5: long text 'Saran'."""
    return make_form(
        owner,
        [
            Q(LIKERT, "Penyelenggaraan"),
            Q(GRID, "Materi", options=["Jelas", "Bermanfaat"]),
            Q(SINGLE, "Sumber info", options=["Surat", "Grup WA", "Situs"]),
            Q(MULTIPLE, "Topik lanjutan", options=["Data", "Layanan", "Arsip"]),
            Q(NUMBER, "Jam belajar", columns={"required": False}),
            Q(LONG, "Saran", columns={"required": False}),
        ],
        workshop=workshop,
        anonymous=anonymous,
        **columns,
    )


def make_competency(code: str, name: str) -> Competency:
    competency = Competency(code=code, category=CompetencyCategory.TECHNICAL, name=name)
    db.session.add(competency)
    db.session.commit()
    return competency


def needs_survey(owner, competency_ids: list[int], choice_ids: list[int] | None = None, **columns):
    """0: grid 'Seberapa perlu' with one item per competency (NEED scale); 1 (when ``choice_ids``): multiple
    'Pilih yang paling perlu' with one option per competency."""
    questions = [
        Q(
            GRID,
            "Seberapa perlu pelatihan ini bagi Anda?",
            options=[f"Butir {i}" for i in range(len(competency_ids))],
            competencies=tuple(competency_ids),
            columns={"scale": LikertScale.NEED},
        )
    ]
    if choice_ids:
        questions.append(
            Q(
                MULTIPLE,
                "Pilih yang paling perlu",
                options=[f"Pilihan {i}" for i in range(len(choice_ids))],
                competencies=tuple(choice_ids),
                columns={"required": False},
            )
        )
    columns.setdefault("audience", FormAudience.ALL_ASN)
    columns.setdefault("title", "Survei Kebutuhan")
    return make_form(owner, questions, purpose=FormPurpose.NEEDS_SURVEY, **columns)
