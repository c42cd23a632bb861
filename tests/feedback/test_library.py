"""The built-in templates: what each one contains, and that each makes a form that can open."""

from __future__ import annotations

import pytest

from portal.competencies.services import get_by_code
from portal.core.permissions import PermissionDenied, Role
from portal.feedback import services
from portal.feedback.models import FormAudience, FormPurpose, FormStatus, LikertScale, QuestionKind
from portal.feedback.services import FeedbackError, library
from portal.feedback.services.library import TEMPLATES, TRAINER_ITEMS, create_from_template
from tests.feedback.builder_support import catalogue, make_workshop


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


def _outline(form):
    return [
        (block.section.title if block.section else "", [(q.kind, q.scale, q.label) for q in block.questions])
        for block in services.blocks(form)
    ]


def test_the_brief_asks_for_these_templates():
    assert set(TEMPLATES) == {
        "evaluation",
        "pretest",
        "posttest",
        "followup_participant",
        "followup_supervisor",
        "needs_survey",
    }


def test_standard_evaluation_has_one_grid_per_trainer(organizer):
    workshop = make_workshop(organizer, trainer_names="Dra. Sri Wahyuni, M.Si.; Budi Santoso")
    form = create_from_template(organizer, "evaluation", workshop)

    assert form.title == "Evaluasi Pelatihan: Pelatihan Pelayanan Prima"
    assert (form.purpose, form.audience, form.workshop_id) == (
        FormPurpose.EVALUATION,
        FormAudience.WORKSHOP,
        workshop.id,
    )
    assert form.is_anonymous
    assert form.template_key == "evaluation"
    assert [title for title, _questions in _outline(form)] == [
        "Penyelenggaraan",
        "Materi",
        "Pengajar/fasilitator",
        "Sarana",
        "Manfaat",
        "Saran",
    ]
    trainers = services.blocks(form)[2].questions
    assert [q.trainer_name for q in trainers] == ["Dra. Sri Wahyuni, M.Si.", "Budi Santoso"]  # titles keep their comma
    for question in trainers:
        assert (question.kind, question.scale) == (QuestionKind.GRID, LikertScale.QUALITY)
        assert tuple(o.label for o in question.options) == TRAINER_ITEMS
        assert question.label == f"Penilaian untuk {question.trainer_name}"
    benefit = services.blocks(form)[4].questions
    assert {(q.kind, q.scale) for q in benefit} == {(QuestionKind.LIKERT, LikertScale.AGREEMENT)}
    (suggestion,) = services.blocks(form)[5].questions
    assert (suggestion.kind, suggestion.required) == (QuestionKind.LONG_TEXT, False)
    assert services.publish_problems(form) == []


def test_evaluation_without_trainers_has_one_general_trainer_grid(organizer):
    form = create_from_template(organizer, "evaluation")
    (trainer_grid,) = services.blocks(form)[2].questions
    assert trainer_grid.trainer_name == ""
    assert form.workshop_id is None
    assert "Pasang formulir" in str(services.publish_problems(form)[0])


def test_needs_survey_grid_links_the_catalogue(organizer):
    catalogue()
    workshop = make_workshop(organizer)
    form = create_from_template(organizer, "needs_survey", workshop)  # not a workshop template: stays standalone
    assert (form.purpose, form.audience, form.workshop_id) == (FormPurpose.NEEDS_SURVEY, FormAudience.ALL_ASN, None)
    grid, technical, development = services.questions_in_order(form)
    assert (grid.kind, grid.scale) == (QuestionKind.GRID, LikertScale.NEED)
    codes = ["M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01"]
    assert [o.competency_id for o in grid.options] == [get_by_code(code).id for code in codes]
    assert [o.label.split()[0] for o in grid.options] == codes
    assert (technical.kind, technical.required) == (QuestionKind.TECHNICAL, False)
    assert development.kind == QuestionKind.SINGLE
    assert [o.label for o in development.options] == list(library.DEVELOPMENT_FORMS)
    assert services.publish_problems(form) == []


def test_needs_survey_without_a_catalogue_still_lists_the_competencies(organizer):
    form = create_from_template(organizer, "needs_survey")
    grid = services.questions_in_order(form)[0]
    assert [o.label for o in grid.options][:2] == ["M.01 Integritas", "M.02 Kerja Sama"]
    assert all(o.competency_id is None for o in grid.options)


@pytest.mark.parametrize(("key", "purpose"), [("pretest", FormPurpose.PRE_TEST), ("posttest", FormPurpose.POST_TEST)])
def test_tests_have_answer_keys_and_points(organizer, key, purpose):
    workshop = make_workshop(organizer)
    form = create_from_template(organizer, key, workshop)
    assert form.purpose == purpose
    assert not form.is_anonymous  # gain is computed per participant
    questions = services.questions_in_order(form)
    assert len(questions) == 4
    assert sum(q.points for q in questions) == 100
    for question in questions:
        assert question.kind in services.CHOICE_KINDS
        assert any(o.is_correct for o in question.options)
    assert [o.label for o in questions[2].options if o.is_correct] == ["20 JP"]
    assert services.publish_problems(form) == []


@pytest.mark.parametrize(
    ("key", "purpose"),
    [
        ("followup_participant", FormPurpose.FOLLOWUP_PARTICIPANT),
        ("followup_supervisor", FormPurpose.FOLLOWUP_SUPERVISOR),
    ],
)
def test_followups_ask_about_change_on_the_agreement_scale(organizer, key, purpose):
    workshop = make_workshop(organizer)
    form = create_from_template(organizer, key, workshop)
    assert (form.purpose, form.followup_days) == (purpose, 90)
    questions = services.questions_in_order(form)
    ratings = [q for q in questions if q.kind == QuestionKind.LIKERT]
    assert len(ratings) >= 3
    assert {q.scale for q in ratings} == {LikertScale.AGREEMENT}
    assert [q.kind for q in questions if q.kind != QuestionKind.LIKERT] == [QuestionKind.LONG_TEXT] * 2
    assert services.publish_problems(form) == []
    custom = create_from_template(organizer, key, workshop, followup_days=180, title="Tiga bulan kemudian")
    assert (custom.followup_days, custom.title) == (180, "Tiga bulan kemudian")


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_opens(organizer, key):
    catalogue()
    workshop = make_workshop(organizer)
    form = create_from_template(organizer, key, workshop)
    services.publish(organizer, form)
    assert form.status == FormStatus.OPEN


def test_unknown_template_and_members(organizer, make_user):
    with pytest.raises(FeedbackError):
        create_from_template(organizer, "kuis")
    with pytest.raises(PermissionDenied):
        create_from_template(make_user(Role.MEMBER), "evaluation")


def test_template_for_someone_elses_workshop_is_refused(organizer, make_user):
    workshop = make_workshop(make_user(Role.ORGANIZER))
    with pytest.raises(FeedbackError) as caught:
        create_from_template(organizer, "evaluation", workshop)
    assert caught.value.field == "workshop_id"
