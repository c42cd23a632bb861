"""The builder's rules: settings, questions of every kind, order, sections, attaching, publishing, copying,
and the lock that keeps answers meaningful once a form has responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.competencies.services import get_by_code
from portal.core.permissions import PermissionDenied, Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback import services
from portal.feedback.models import (
    FeedbackForm,
    FormAudience,
    FormPurpose,
    FormStatus,
    LikertScale,
    Question,
    QuestionKind,
    QuestionOption,
)
from portal.feedback.services import FeedbackError, FormFilters, FormInput, OptionInput, QuestionInput
from tests.feedback.builder_support import catalogue, choice, grid, likert, make_workshop
from tests.feedback.factories import make_response


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, name="Yulia Penyelenggara")


@pytest.fixture
def other_organizer(make_user):
    return make_user(Role.ORGANIZER, name="Rudi Penyelenggara")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def survey(actor, **fields):
    values = {"title": "Survei Layanan Kepegawaian", "purpose": "survey", "audience": "all_asn"}
    values.update(fields)
    return services.create_form(actor, FormInput(**values))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def labels(form) -> list[str]:
    return [q.label for q in services.questions_in_order(form)]


# ---------------------------------------------------------------- scales


def test_scale_labels_are_the_five_points_of_each_scale():
    assert services.scale_labels(LikertScale.QUALITY) == [
        "Sangat Tidak Baik",
        "Tidak Baik",
        "Cukup",
        "Baik",
        "Sangat Baik",
    ]
    assert services.scale_labels("agreement") == [
        "Sangat Tidak Setuju",
        "Tidak Setuju",
        "Ragu-ragu",
        "Setuju",
        "Sangat Setuju",
    ]
    assert services.scale_labels(LikertScale.NEED) == [
        "Sangat Tidak Perlu",
        "Tidak Perlu",
        "Cukup Perlu",
        "Perlu",
        "Sangat Perlu",
    ]


# ---------------------------------------------------------------- who may build and manage


def test_members_cannot_build(make_user):
    member = make_user(Role.MEMBER)
    with pytest.raises(PermissionDenied):
        survey(member)
    assert count(FeedbackForm) == 0


def test_manage_rights_owner_workshop_organizer_and_admin(organizer, other_organizer, admin, make_user):
    form = survey(organizer)
    assert services.can_manage(organizer, form)
    assert services.can_manage(admin, form)
    assert not services.can_manage(other_organizer, form)
    assert not services.can_manage(make_user(Role.MODERATOR), form)
    # A form an admin attached to an organizer's workshop is that organizer's to manage too.
    workshop = make_workshop(other_organizer)
    attached = services.create_form(admin, FormInput(title="Evaluasi", purpose="evaluation", workshop_id=workshop.id))
    assert services.can_manage(other_organizer, attached)
    assert not services.can_manage(organizer, attached)


def test_demoted_owner_loses_management(organizer):
    form = survey(organizer)
    organizer.role = Role.MEMBER
    db.session.commit()
    assert not services.can_manage(organizer, form)


def test_managed_forms_lists_own_and_own_workshops_admins_all(organizer, other_organizer, admin, make_user):
    own = survey(organizer, title="Survei milik saya")
    survey(other_organizer, title="Survei orang lain")
    workshop = make_workshop(organizer)
    by_admin = services.create_form(
        admin, FormInput(title="Evaluasi dari admin", purpose="evaluation", workshop_id=workshop.id)
    )
    services.add_question(organizer, own, likert())
    services.publish(organizer, own)

    mine = services.managed_forms(organizer, FormFilters(), 1)
    assert {f.title for f in mine.items} == {"Survei milik saya", "Evaluasi dari admin"}
    assert services.managed_forms(admin, FormFilters(), 1).total == 3
    open_only = services.managed_forms(organizer, FormFilters(status=FormStatus.OPEN), 1)
    assert [f.id for f in open_only.items] == [own.id]
    evaluations = services.managed_forms(organizer, FormFilters(purpose=FormPurpose.EVALUATION), 1)
    assert [f.id for f in evaluations.items] == [by_admin.id]
    with pytest.raises(PermissionDenied):
        services.managed_forms(make_user(Role.MEMBER), FormFilters(), 1)


# ---------------------------------------------------------------- settings


def test_create_form_is_a_draft_of_the_actor_and_audited(organizer):
    form = survey(organizer, description="  Isi dalam 3 menit.\r\n ", is_anonymous=True)
    assert form.status == FormStatus.DRAFT
    assert form.owner_id == organizer.id
    assert form.description == "Isi dalam 3 menit."
    assert form.is_anonymous
    assert audit_actions() == ["feedback.form_created"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"purpose": "quiz"}, "purpose"),
        ({"audience": "workshop"}, "audience"),
        ({"audience": "everyone"}, "audience"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(organizer, fields, field):
    with pytest.raises(FeedbackError) as caught:
        survey(organizer, **fields)
    assert caught.value.field == field
    assert count(FeedbackForm) == 0


def test_closing_date_must_follow_opening_date(organizer):
    now = utcnow()
    with pytest.raises(FeedbackError) as caught:
        survey(organizer, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=1))
    assert caught.value.field == "closes_at"


def test_workshop_purposes_are_answered_by_participants_and_public_surveys_are_anonymous(organizer):
    workshop = make_workshop(organizer)
    evaluation = services.create_form(
        organizer, FormInput(title="Evaluasi", purpose="evaluation", audience="public", workshop_id=workshop.id)
    )
    assert evaluation.audience == FormAudience.WORKSHOP
    assert evaluation.workshop_id == workshop.id
    public = survey(organizer, audience="public", is_anonymous=False)
    assert public.is_anonymous
    assert public.public_token is None  # made when it opens


def test_units_audience_keeps_the_chosen_units_only(organizer, unit, make_unit):
    other = make_unit("Dinas Pendidikan")
    form = survey(organizer, audience="units", unit_ids=[unit.id, other.id, unit.id])
    assert sorted(u.id for u in form.units) == sorted([unit.id, other.id])
    everyone = survey(organizer, audience="all_asn", unit_ids=[unit.id])
    assert everyone.units == []
    with pytest.raises(FeedbackError) as caught:
        survey(organizer, audience="units", unit_ids=[999999])
    assert caught.value.field == "units"


def test_attaching_needs_a_managed_workshop_that_is_not_cancelled(organizer, other_organizer):
    theirs = make_workshop(other_organizer)
    with pytest.raises(FeedbackError) as caught:
        services.create_form(organizer, FormInput(title="Evaluasi", purpose="evaluation", workshop_id=theirs.id))
    assert caught.value.field == "workshop_id"
    cancelled = make_workshop(organizer, status="cancelled")
    with pytest.raises(FeedbackError):
        services.create_form(organizer, FormInput(title="Evaluasi", purpose="evaluation", workshop_id=cancelled.id))
    assert count(FeedbackForm) == 0


@pytest.mark.parametrize("days", [None, 0, 731])
def test_attached_followups_need_days_after_completion(organizer, days):
    workshop = make_workshop(organizer)
    data = FormInput(title="Pasca", purpose="followup_participant", workshop_id=workshop.id, followup_days=days)
    with pytest.raises(FeedbackError) as caught:
        services.create_form(organizer, data)
    assert caught.value.field == "followup_days"


def test_followup_days_only_for_followups(organizer):
    workshop = make_workshop(organizer)
    form = services.create_form(
        organizer, FormInput(title="Pre-test", purpose="pre_test", workshop_id=workshop.id, followup_days=30)
    )
    assert form.followup_days is None
    standalone = survey(organizer, purpose="needs_survey", workshop_id=workshop.id)
    assert standalone.workshop_id is None


def test_update_settings_and_public_link_goes_when_audience_changes(organizer):
    form = survey(organizer, audience="public")
    services.add_question(organizer, form, likert())
    services.publish(organizer, form)
    assert form.public_token
    data = services.settings_input(form)
    data.title, data.audience = "Survei Kepuasan Layanan", "all_asn"
    services.update_settings(organizer, form, data)
    assert form.title == "Survei Kepuasan Layanan"
    assert form.public_token is None
    assert audit_actions()[-1] == "feedback.form_updated"


def test_open_form_keeps_its_publish_rules_when_settings_change(organizer):
    form = survey(organizer)
    services.add_question(organizer, form, likert())
    services.publish(organizer, form)
    data = services.settings_input(form)
    data.audience = "units"
    with pytest.raises(FeedbackError):
        services.update_settings(organizer, form, data)
    db.session.refresh(form)
    assert form.audience == FormAudience.ALL_ASN


# ---------------------------------------------------------------- questions


EVERY_KIND = [
    likert(),
    grid(),
    choice(),
    choice("Sarana yang memadai", kind="multiple", options=[OptionInput("Ruang"), OptionInput("Modul")]),
    QuestionInput(kind="number", label="Berapa jam praktik?", min_value=0, max_value=40),
    QuestionInput(kind="short_text", label="Satu kata untuk pelatihan ini", required=False),
    QuestionInput(kind="long_text", label="Saran", help_text="  Tulis   saran Anda. "),
]


@pytest.mark.parametrize("data", EVERY_KIND, ids=lambda d: str(d.kind))
def test_every_kind_of_question_can_be_added(organizer, data):
    form = survey(organizer)
    question = services.add_question(organizer, form, data)
    assert question.kind == QuestionKind(data.kind)
    assert question.position == 0
    assert question.label == data.label
    assert question.help_text == " ".join(data.help_text.split())
    if question.kind in services.SCALE_KINDS:
        assert question.scale == LikertScale(data.scale)
    else:
        assert question.scale is None
    assert [o.label for o in question.options] == [o.label for o in data.options]
    if question.kind == QuestionKind.NUMBER:
        assert (question.min_value, question.max_value) == (0.0, 40.0)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (likert(label="   "), "label"),
        (likert(label="x" * 501), "label"),
        (likert(scale=None), "scale"),
        (likert(scale="stars"), "scale"),
        (QuestionInput(kind="essay", label="Apa?"), "kind"),
        (choice(options=[OptionInput("Ya")]), "options"),
        (choice(options=[OptionInput("Ya"), OptionInput("  ya ")]), "options"),
        (choice(options=[OptionInput("A", is_correct=True), OptionInput("B", is_correct=True)]), "options"),
        (choice(options=[OptionInput("A"), OptionInput("B")], points=5), "points"),
        (choice(points=101), "points"),
        (choice(options=[OptionInput(str(n)) for n in range(31)]), "options"),
        (grid(items=()), "options"),
        (grid(items=("", "  ")), "options"),
        (QuestionInput(kind="number", label="Umur", min_value=10, max_value=5), "max_value"),
        (QuestionInput(kind="number", label="Umur", min_value=float("nan")), "min_value"),
        (QuestionInput(kind="number", label="Umur", max_value=1e12), "max_value"),
        (likert(trainer_name="x" * 161), "trainer_name"),
        (
            QuestionInput(
                kind="grid",
                label="Kompetensi",
                scale="need",
                options=[OptionInput("Integritas", competency_code="M.99")],
            ),
            "options",
        ),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(organizer, data, field):
    form = survey(organizer)
    with pytest.raises(FeedbackError) as caught:
        services.add_question(organizer, form, data)
    assert caught.value.field == field
    assert count(Question) == 0
    assert count(QuestionOption) == 0


def test_fields_that_do_not_fit_the_kind_are_dropped(organizer):
    form = survey(organizer)
    text = services.add_question(
        organizer,
        form,
        QuestionInput(
            kind="long_text", label="Saran", scale="quality", min_value=1, points=3, options=[OptionInput("A")]
        ),
    )
    assert (text.scale, text.min_value, text.points, text.options) == (None, None, 0, [])
    items = services.add_question(
        organizer,
        form,
        QuestionInput(
            kind="grid", label="Sarana", scale="quality", options=[OptionInput("Ruangan", is_correct=True)], points=2
        ),
    )
    assert items.points == 0
    assert not items.options[0].is_correct


def test_choice_points_default_to_one_with_a_correct_answer(organizer):
    form = survey(organizer)
    scored = services.add_question(organizer, form, choice())
    unscored = services.add_question(organizer, form, choice(options=[OptionInput("A"), OptionInput("B")]))
    explicit = services.add_question(organizer, form, choice(points=25))
    assert (scored.points, unscored.points, explicit.points) == (1, 0, 25)
    assert [o.is_correct for o in scored.options] == [True, False]


def test_options_carry_their_competency(organizer):
    catalogue()
    form = survey(organizer, purpose="needs_survey")
    question = services.add_question(
        organizer,
        form,
        QuestionInput(
            kind="grid",
            label="Kebutuhan kompetensi",
            scale="need",
            options=[OptionInput("Integritas", competency_code="m.01 "), OptionInput("Lainnya")],
        ),
    )
    assert question.options[0].competency_id == get_by_code("M.01").id
    assert question.options[1].competency_id is None


def test_update_question_keeps_option_ids(organizer):
    form = survey(organizer)
    question = services.add_question(organizer, form, choice())
    ids = [o.id for o in question.options]
    data = choice(
        "Nilai dasar ASN saat ini disebut …",
        options=[OptionInput("BerAKHLAK", is_correct=True), OptionInput("SIGAP"), OptionInput("TERTIB")],
    )
    services.update_question(organizer, question, data)
    assert [o.id for o in question.options][:2] == ids
    assert [o.label for o in question.options] == ["BerAKHLAK", "SIGAP", "TERTIB"]
    assert question.label == "Nilai dasar ASN saat ini disebut …"


def test_other_organizers_cannot_touch_the_questions(organizer, other_organizer):
    form = survey(organizer)
    question = services.add_question(organizer, form, likert())
    for attempt in (
        lambda: services.add_question(other_organizer, form, likert()),
        lambda: services.update_question(other_organizer, question, likert("Diubah")),
        lambda: services.delete_question(other_organizer, question),
        lambda: services.move_question(other_organizer, question, "down"),
        lambda: services.add_section(other_organizer, form, "Materi"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert labels(form) == ["Materi bermanfaat untuk pekerjaan saya."]


# ---------------------------------------------------------------- the lock once answers exist


@pytest.fixture
def answered(organizer, make_user):
    form = survey(organizer)
    rating = services.add_question(organizer, form, likert())
    options = services.add_question(organizer, form, choice())
    services.publish(organizer, form)
    make_response(form, make_user(Role.MEMBER), {0: 4, 1: 0})
    return form, rating, options


def test_answered_form_allows_wording_fixes(organizer, answered):
    form, rating, options = answered
    services.update_question(organizer, rating, likert("Materi berguna untuk pekerjaan saya.", required=False))
    services.update_question(
        organizer,
        options,
        choice(options=[OptionInput("BerAKHLAK (Berorientasi Pelayanan, …)", is_correct=True), OptionInput("SIGAP")]),
    )
    assert rating.label == "Materi berguna untuk pekerjaan saya."
    assert not rating.required
    assert options.options[0].label.startswith("BerAKHLAK (")


@pytest.mark.parametrize(
    "change",
    [
        lambda: QuestionInput(kind="short_text", label="Materi bermanfaat untuk pekerjaan saya."),
        lambda: likert(scale="quality"),
    ],
)
def test_answered_form_refuses_changes_to_what_answers_mean(organizer, answered, change):
    form, rating, _options = answered
    with pytest.raises(FeedbackError) as caught:
        services.update_question(organizer, rating, change())
    assert "sudah dijawab" in str(caught.value.message)
    db.session.refresh(rating)
    assert (rating.kind, rating.scale) == (QuestionKind.LIKERT, LikertScale.AGREEMENT)


@pytest.mark.parametrize(
    "options",
    [
        [OptionInput("BerAKHLAK", is_correct=True), OptionInput("SIGAP"), OptionInput("TERTIB")],  # one added
        [OptionInput("BerAKHLAK"), OptionInput("SIGAP", is_correct=True)],  # key changed
    ],
)
def test_answered_form_keeps_options_and_correct_answers(organizer, answered, options):
    _form, _rating, question = answered
    with pytest.raises(FeedbackError):
        services.update_question(organizer, question, choice(options=options))
    db.session.refresh(question)
    assert [(o.label, o.is_correct) for o in question.options] == [("BerAKHLAK", True), ("SIGAP", False)]


def test_answered_form_keeps_its_questions_but_takes_new_ones(organizer, answered):
    form, rating, _options = answered
    with pytest.raises(FeedbackError):
        services.delete_question(organizer, rating)
    services.add_question(organizer, form, QuestionInput(kind="long_text", label="Saran", required=False))
    assert len(labels(form)) == 3
    with pytest.raises(FeedbackError):
        services.delete_form(organizer, form)
    assert services.get_form(form.id) is not None


def test_answered_form_keeps_purpose_workshop_and_anonymity(organizer, answered):
    form, _rating, _options = answered
    for field, value in (("is_anonymous", True), ("purpose", "needs_survey")):
        data = services.settings_input(form)
        setattr(data, field, value)
        with pytest.raises(FeedbackError):
            services.update_settings(organizer, form, data)
    workshop = make_workshop(organizer)
    with pytest.raises(FeedbackError):
        services.attach_form(organizer, form, workshop, "evaluation")
    data = services.settings_input(form)
    data.title = "Survei Layanan Kepegawaian 2026"
    services.update_settings(organizer, form, data)
    assert (form.title, form.purpose, form.is_anonymous) == (
        "Survei Layanan Kepegawaian 2026",
        FormPurpose.SURVEY,
        False,
    )


# ---------------------------------------------------------------- order and sections


def _form_with_sections(organizer):
    form = survey(organizer)
    first = services.add_section(organizer, form, "Penyelenggaraan")
    second = services.add_section(organizer, form, "Materi")
    for label in ("A1", "A2"):
        services.add_question(organizer, form, likert(label, section_id=first.id))
    services.add_question(organizer, form, likert("B1", section_id=second.id))
    services.add_question(organizer, form, likert("Pembuka"))  # unsectioned: always at the top
    return form, first, second


def _layout(form):
    return [
        (b.section.title if b.section else None, [q.label for q in b.questions]) for b in services.blocks(form, True)
    ]


def _question(form, label):
    return next(q for q in services.questions_in_order(form) if q.label == label)


def test_questions_keep_the_section_order_and_contiguous_positions(organizer):
    form, _first, _second = _form_with_sections(organizer)
    assert _layout(form) == [(None, ["Pembuka"]), ("Penyelenggaraan", ["A1", "A2"]), ("Materi", ["B1"])]
    assert [q.position for q in services.questions_in_order(form)] == [0, 1, 2, 3]


def test_move_swaps_within_a_section(organizer):
    form, _first, _second = _form_with_sections(organizer)
    services.move_question(organizer, _question(form, "A2"), "up")
    assert _layout(form)[1] == ("Penyelenggaraan", ["A2", "A1"])
    services.move_question(organizer, _question(form, "A2"), "down")
    assert _layout(form)[1] == ("Penyelenggaraan", ["A1", "A2"])


def test_move_past_a_section_edge_joins_the_neighbour(organizer):
    form, _first, second = _form_with_sections(organizer)
    services.move_question(organizer, _question(form, "A2"), "down")  # first of "Materi"
    assert _layout(form) == [(None, ["Pembuka"]), ("Penyelenggaraan", ["A1"]), ("Materi", ["A2", "B1"])]
    services.move_question(organizer, _question(form, "A2"), "up")  # last of "Penyelenggaraan" again
    assert _layout(form) == [(None, ["Pembuka"]), ("Penyelenggaraan", ["A1", "A2"]), ("Materi", ["B1"])]
    services.move_question(organizer, _question(form, "Pembuka"), "down")  # the top empties: no block for it
    assert _layout(form)[0] == ("Penyelenggaraan", ["Pembuka", "A1", "A2"])
    assert _question(form, "B1").section_id == second.id


def test_move_at_the_very_ends_changes_nothing(organizer):
    form, _first, _second = _form_with_sections(organizer)
    before = _layout(form)
    services.move_question(organizer, _question(form, "Pembuka"), "up")
    services.move_question(organizer, _question(form, "B1"), "down")
    assert _layout(form) == before
    with pytest.raises(FeedbackError):
        services.move_question(organizer, _question(form, "B1"), "sideways")


def test_moving_into_an_empty_section(organizer):
    form, _first, _second = _form_with_sections(organizer)
    services.add_section(organizer, form, "Sarana")
    services.move_question(organizer, _question(form, "B1"), "down")
    assert _layout(form)[2:] == [("Materi", []), ("Sarana", ["B1"])]


def test_new_question_goes_to_the_end_of_its_section(organizer):
    form, first, _second = _form_with_sections(organizer)
    services.add_question(organizer, form, likert("A3", section_id=first.id))
    assert _layout(form)[1] == ("Penyelenggaraan", ["A1", "A2", "A3"])
    with pytest.raises(FeedbackError) as caught:
        services.add_question(organizer, form, likert("X", section_id=999999))
    assert caught.value.field == "section_id"


def test_editing_a_question_can_move_it_to_another_section(organizer):
    form, _first, second = _form_with_sections(organizer)
    services.update_question(organizer, _question(form, "A1"), likert("A1", section_id=second.id))
    assert _layout(form)[1:] == [("Penyelenggaraan", ["A2"]), ("Materi", ["B1", "A1"])]


def test_deleting_a_section_keeps_its_questions_in_place(organizer):
    form, first, second = _form_with_sections(organizer)
    services.delete_section(organizer, second)
    assert _layout(form) == [(None, ["Pembuka"]), ("Penyelenggaraan", ["A1", "A2", "B1"])]
    services.delete_section(organizer, first)
    assert _layout(form) == [(None, ["Pembuka", "A1", "A2", "B1"])]


def test_section_rename_and_validation(organizer):
    form, first, _second = _form_with_sections(organizer)
    services.update_section(organizer, first, "  Penyelenggaraan   pelatihan ", "Panitia dan jadwal.")
    assert (first.title, first.description) == ("Penyelenggaraan pelatihan", "Panitia dan jadwal.")
    with pytest.raises(FeedbackError) as caught:
        services.add_section(organizer, form, "   ")
    assert caught.value.field == "title"
    assert len(services.sections_in_order(form)) == 2


def test_delete_question_renumbers(organizer):
    form, _first, _second = _form_with_sections(organizer)
    services.delete_question(organizer, _question(form, "A1"))
    assert [q.position for q in services.questions_in_order(form)] == [0, 1, 2]
    assert labels(form) == ["Pembuka", "A2", "B1"]


# ---------------------------------------------------------------- attaching to a workshop


def test_attach_form_makes_it_the_workshops(organizer):
    workshop = make_workshop(organizer)
    form = survey(organizer, audience="public")
    services.attach_form(organizer, form, workshop, "followup_supervisor")
    assert (form.workshop_id, form.purpose, form.audience) == (
        workshop.id,
        FormPurpose.FOLLOWUP_SUPERVISOR,
        FormAudience.WORKSHOP,
    )
    assert form.followup_days == services.DEFAULT_FOLLOWUP_DAYS
    assert audit_actions()[-1] == "feedback.form_attached"
    with pytest.raises(FeedbackError) as caught:
        services.attach_form(organizer, form, workshop, "needs_survey")
    assert caught.value.field == "purpose"


def test_only_the_workshops_organizer_or_an_admin_attaches(organizer, other_organizer, admin):
    workshop = make_workshop(organizer)
    theirs = survey(other_organizer)
    with pytest.raises(FeedbackError) as caught:
        services.attach_form(other_organizer, theirs, workshop, "evaluation")
    assert caught.value.field == "workshop_id"
    assert theirs.workshop_id is None
    with pytest.raises(PermissionDenied):
        services.attach_form(organizer, theirs, workshop, "evaluation")
    services.attach_form(admin, theirs, workshop, "evaluation")
    assert theirs.workshop_id == workshop.id


def test_forms_of_workshop_and_its_evaluation(organizer):
    workshop = make_workshop(organizer)
    followup = services.create_form(
        organizer, FormInput(title="Pasca", purpose="followup_participant", workshop_id=workshop.id, followup_days=90)
    )
    draft = services.create_form(
        organizer, FormInput(title="Evaluasi 1", purpose="evaluation", workshop_id=workshop.id)
    )
    pre = services.create_form(organizer, FormInput(title="Pre", purpose="pre_test", workshop_id=workshop.id))
    assert [f.id for f in services.forms_of_workshop(workshop.id)] == [draft.id, pre.id, followup.id]
    assert services.evaluation_of(workshop.id) is None  # a draft is nobody's evaluation yet

    services.add_question(organizer, draft, likert())
    services.publish(organizer, draft)
    assert services.evaluation_of(workshop.id).id == draft.id
    services.close(organizer, draft)
    assert services.evaluation_of(workshop.id).id == draft.id
    second = services.duplicate_form(organizer, draft)
    services.attach_form(organizer, second, workshop, "evaluation")
    services.publish(organizer, second)
    assert services.evaluation_of(workshop.id).id == second.id  # the open one wins over the closed one


# ---------------------------------------------------------------- publishing


def test_publish_needs_questions_and_stays_a_draft_otherwise(organizer):
    form = survey(organizer)
    assert [str(p) for p in services.publish_problems(form)] == ["Tambahkan paling sedikit satu pertanyaan."]
    with pytest.raises(FeedbackError):
        services.publish(organizer, form)
    db.session.refresh(form)
    assert form.status == FormStatus.DRAFT
    assert form.published_at is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"audience": "units"}, ["unit kerja"]),
        ({"purpose": "evaluation"}, ["Pasang formulir"]),
        ({"purpose": "followup_participant"}, ["Pasang formulir", "berapa hari"]),
    ],
)
def test_publish_problems(organizer, fields, expected):
    form = survey(organizer, **fields)
    services.add_question(organizer, form, likert())
    problems = [str(p) for p in services.publish_problems(form)]
    assert len(problems) == len(expected)
    assert all(fragment in problem for fragment, problem in zip(expected, problems, strict=True))


def test_tests_need_a_scored_question(organizer):
    workshop = make_workshop(organizer)
    form = services.create_form(organizer, FormInput(title="Pre-test", purpose="pre_test", workshop_id=workshop.id))
    services.add_question(organizer, form, choice(options=[OptionInput("A"), OptionInput("B")]))
    assert "poin" in str(services.publish_problems(form)[0])
    services.add_question(organizer, form, choice())
    assert services.publish_problems(form) == []


def test_publish_cancelled_workshop_and_past_closing_date(organizer):
    workshop = make_workshop(organizer)
    form = services.create_form(
        organizer,
        FormInput(
            title="Evaluasi", purpose="evaluation", workshop_id=workshop.id, closes_at=utcnow() - timedelta(hours=1)
        ),
    )
    services.add_question(organizer, form, likert())
    from portal.workshops import services as workshops

    workshops.cancel_workshop(organizer, workshop, "Narasumber berhalangan hadir.")
    problems = " ".join(str(p) for p in services.publish_problems(form))
    assert "dibatalkan" in problems and "tutupnya sudah lewat" in problems


def test_publish_public_survey_makes_a_link_and_is_audited(organizer):
    form = survey(organizer, audience="public")
    services.add_question(organizer, form, likert())
    services.publish(organizer, form)
    assert form.status == FormStatus.OPEN
    assert form.published_at is not None
    assert len(form.public_token) == 43
    assert audit_actions()[-1] == "feedback.form_published"
    old = form.public_token
    assert services.renew_public_token(organizer, form) != old
    assert audit_actions()[-1] == "feedback.public_link_renewed"
    with pytest.raises(FeedbackError):
        services.renew_public_token(organizer, survey(organizer))


def test_one_open_evaluation_per_workshop(organizer):
    workshop = make_workshop(organizer)
    first, second = (
        services.create_form(organizer, FormInput(title=title, purpose="evaluation", workshop_id=workshop.id))
        for title in ("Evaluasi A", "Evaluasi B")
    )
    for form in (first, second):
        services.add_question(organizer, form, likert())
    services.publish(organizer, first)
    with pytest.raises(FeedbackError) as caught:
        services.publish(organizer, second)
    assert "Evaluasi A" in str(caught.value.message)
    services.close(organizer, first)
    services.publish(organizer, second)
    with pytest.raises(FeedbackError):
        services.reopen(organizer, first)
    assert (first.status, second.status) == (FormStatus.CLOSED, FormStatus.OPEN)


def test_close_and_reopen(organizer):
    form = survey(organizer)
    services.add_question(organizer, form, likert())
    with pytest.raises(FeedbackError):
        services.close(organizer, form)
    services.publish(organizer, form)
    published_at = form.published_at
    with pytest.raises(FeedbackError):
        services.publish(organizer, form)
    services.close(organizer, form)
    assert form.status == FormStatus.CLOSED
    services.reopen(organizer, form)
    assert form.status == FormStatus.OPEN
    assert form.published_at == published_at
    assert audit_actions() == [
        "feedback.form_created",
        "feedback.form_published",
        "feedback.form_closed",
        "feedback.form_reopened",
    ]


def test_is_open_follows_status_and_dates(organizer):
    now = utcnow()
    form = survey(organizer, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=3))
    services.add_question(organizer, form, likert())
    assert not services.is_open(form, now + timedelta(days=2))  # a draft
    services.publish(organizer, form)
    assert not services.is_open(form, now)
    assert services.is_open(form, now + timedelta(days=2))
    assert not services.is_open(form, now + timedelta(days=3))
    services.close(organizer, form)
    assert not services.is_open(form, now + timedelta(days=2))


# ---------------------------------------------------------------- copying and deleting


def test_duplicate_copies_the_content_not_the_run(organizer, other_organizer, admin):
    catalogue()
    workshop = make_workshop(organizer)
    form = services.create_form(
        organizer,
        FormInput(title="Pre-test Pelayanan Prima", purpose="pre_test", workshop_id=workshop.id, is_anonymous=False),
    )
    section = services.add_section(organizer, form, "Soal", "Pilih satu jawaban.")
    services.add_question(organizer, form, choice(points=25, section_id=section.id))
    services.add_question(
        organizer,
        form,
        QuestionInput(
            kind="grid", label="Kebutuhan", scale="need", options=[OptionInput("Integritas", competency_code="M.01")]
        ),
    )
    services.publish(organizer, form)

    copy = services.duplicate_form(admin, form)
    assert copy.id != form.id
    assert (copy.status, copy.workshop_id, copy.public_token, copy.published_at) == (FormStatus.DRAFT, None, None, None)
    assert (copy.owner_id, copy.copied_from_id, copy.purpose) == (admin.id, form.id, FormPurpose.PRE_TEST)
    assert copy.title == "Salinan Pre-test Pelayanan Prima"
    assert _layout(copy) == _layout(form)
    original, copied = services.questions_in_order(form), services.questions_in_order(copy)
    assert [(q.kind, q.points, q.scale) for q in copied] == [(q.kind, q.points, q.scale) for q in original]
    assert [(o.label, o.is_correct, o.competency_id) for q in copied for o in q.options] == [
        (o.label, o.is_correct, o.competency_id) for q in original for o in q.options
    ]
    assert {o.id for q in copied for o in q.options}.isdisjoint({o.id for q in original for o in q.options})
    sectioned = [(q.section_id, c.section_id) for q, c in zip(original, copied, strict=True) if q.section_id]
    assert len(sectioned) == 1 and sectioned[0][0] != sectioned[0][1]
    assert audit_actions()[-1] == "feedback.form_duplicated"
    with pytest.raises(PermissionDenied):
        services.duplicate_form(other_organizer, form)


def test_delete_unanswered_form(organizer, other_organizer):
    form, _first, _second = _form_with_sections(organizer)
    with pytest.raises(PermissionDenied):
        services.delete_form(other_organizer, form)
    services.delete_form(organizer, form)
    assert count(FeedbackForm) == 0
    assert count(Question) == 0
    assert audit_actions()[-1] == "feedback.form_deleted"


def test_attachable_forms_are_own_unattached_unanswered(organizer, other_organizer, answered):
    free = survey(organizer, title="Survei bebas")
    survey(other_organizer)
    workshop = make_workshop(organizer)
    services.attach_form(organizer, survey(organizer, title="Terpasang"), workshop, "evaluation")
    assert [f.id for f in services.attachable_forms(organizer)] == [free.id]
