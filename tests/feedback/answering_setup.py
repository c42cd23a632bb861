"""Shared scenery for the answering tests: workshops with completed participants, a form with every question kind
and a valid set of answers to it. Test modules import the fixtures they use from here."""

# ruff: noqa: F811 - fixtures imported from the workshop tests are parameters of the fixtures here
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback.models import (
    Answer,
    FeedbackForm,
    FormAudience,
    FormPurpose,
    QuestionKind,
    Respondent,
    Response,
    ResponseDraft,
)
from portal.workshops import services as workshops
from portal.workshops.models import Registration
from tests.feedback.factories import Q, make_form
from tests.workshops.conftest import (  # noqa: F401 - fixtures
    catalogue,
    development_types,
    make_workshop,
    organizer,
    session_times,
)

EVERY_KIND = [
    Q(QuestionKind.LIKERT, "Penyelenggaraan pelatihan secara keseluruhan"),
    Q(QuestionKind.GRID, "Fasilitator", options=["Penguasaan materi", "Ketepatan waktu"]),
    Q(QuestionKind.SINGLE, "Metode yang paling membantu", options=["Ceramah", "Praktik langsung"]),
    Q(QuestionKind.MULTIPLE, "Sarana yang memadai", options=["Ruang kelas", "Modul", "Proyektor"]),
    Q(QuestionKind.NUMBER, "Berapa jam praktik yang Anda perlukan?", columns={"min_value": 0, "max_value": 40}),
    Q(QuestionKind.SHORT_TEXT, "Satu kata untuk pelatihan ini", columns={"required": False}),
    Q(QuestionKind.LONG_TEXT, "Saran", columns={"required": False, "help_text": "Tulis saran Anda."}),
]


def every_kind_answers(form: FeedbackForm, **overrides: Any) -> dict[str, Any]:
    """Valid answers to an EVERY_KIND form as a browser posts them; ``overrides`` replaces fields (None: drop)."""
    likert, grid, single, multiple, number, short, long = form.questions
    data: dict[str, Any] = {
        f"q{likert.id}": "4",
        f"q{grid.id}_{grid.options[0].id}": "5",
        f"q{grid.id}_{grid.options[1].id}": "3",
        f"q{single.id}": str(single.options[1].id),
        f"q{multiple.id}": [str(multiple.options[0].id), str(multiple.options[2].id)],
        f"q{number.id}": "3,5",
        f"q{short.id}": "  Bermanfaat  ",
        f"q{long.id}": "Tambah waktu praktik.\r\nModul dibagikan lebih awal.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts() -> dict[str, int]:
    """Rows of every table an answer may write to."""
    db.session.commit()  # end the read snapshot: other threads and apps wrote meanwhile
    tables = {"responses": Response, "answers": Answer, "respondents": Respondent, "drafts": ResponseDraft}
    return {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}


def attend(owner: Any, workshop: Any, user: Any) -> Registration:
    """Sign ``user`` up through the organizer and tick every session: a completed registration."""
    workshops.add_participant(owner, workshop, user.nip)
    registration = workshops.registration_of(user, workshop.id)
    for session in workshop.sessions:
        workshops.set_attendance(owner, workshop, registration.id, session.id, True)
    return workshops.registration_of(user, workshop.id)


@pytest.fixture
def past_workshop(make_workshop):
    """A published workshop whose one session was three days ago."""
    return make_workshop(sessions=session_times(days_ahead=-3, sessions=1))


@pytest.fixture
def participant(make_user, past_workshop, organizer):
    """A member who completed ``past_workshop``."""
    user = make_user(Role.MEMBER, name="Rina Peserta")
    attend(organizer, past_workshop, user)
    return user


@pytest.fixture
def evaluation(organizer, past_workshop):
    """The open, named evaluation of ``past_workshop`` with every question kind."""
    return make_form(organizer, EVERY_KIND, workshop=past_workshop)


@pytest.fixture
def survey(organizer):
    """An open survey for every ASN with every question kind."""
    return make_form(
        organizer, EVERY_KIND, title="Survei Kebutuhan", purpose=FormPurpose.NEEDS_SURVEY, audience=FormAudience.ALL_ASN
    )
