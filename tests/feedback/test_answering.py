"""Answering rules: eligibility per audience and purpose, closed forms, validation of
every question kind, what is stored, scores, once-only, anonymity, drafts, the landing lists, the certificate hook."""

# ruff: noqa: F811 - pytest fixtures imported from answering_setup are parameters of the tests
from __future__ import annotations

from datetime import time, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import inspect, select

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback import services
from portal.feedback.models import (
    Answer,
    FollowUpRequest,
    FollowUpRole,
    FormAudience,
    FormPurpose,
    FormStatus,
    QuestionKind,
    Respondent,
    Response,
    ResponseDraft,
)
from portal.feedback.services import AlreadyAnswered, CannotAnswer, InvalidAnswers, answering, checking, pending
from portal.workshops import services as workshops
from tests.feedback.answering_setup import (  # noqa: F401 - fixtures
    EVERY_KIND,
    attend,
    catalogue,
    counts,
    development_types,
    evaluation,
    every_kind_answers,
    make_workshop,
    organizer,
    participant,
    past_workshop,
    session_times,
    survey,
)
from tests.feedback.factories import Q, make_form, make_response

NOTHING = {"responses": 0, "answers": 0, "respondents": 0, "drafts": 0}
ONE_LIKERT = [Q(QuestionKind.LIKERT, "Secara keseluruhan")]


def _reason(user, form, subject=None, now=None) -> str:
    eligibility = answering.can_answer(user, form, subject, now)
    assert not eligibility
    return str(eligibility.reason)


# ---------------------------------------------------------------- eligibility


@pytest.mark.parametrize("purpose", [FormPurpose.EVALUATION, FormPurpose.POST_TEST])
def test_evaluations_and_post_tests_are_for_participants_who_completed(
    purpose, make_user, organizer, past_workshop, participant
):
    form = make_form(organizer, ONE_LIKERT, purpose=purpose, workshop=past_workshop)
    assert answering.can_answer(participant, form)

    absent = make_user(name="Tidak Hadir")
    workshops.add_participant(organizer, past_workshop, absent.nip)  # confirmed, never attended
    stranger = make_user(name="Bukan Peserta")
    expected = "Formulir ini untuk peserta yang telah menyelesaikan pelatihan ini."
    assert _reason(absent, form) == expected
    assert _reason(stranger, form) == expected


def test_a_pre_test_is_for_confirmed_participants_until_the_workshop_starts(make_user, organizer, make_workshop):
    workshop = make_workshop(sessions=session_times(days_ahead=5, sessions=1))
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.PRE_TEST, workshop=workshop)
    member = make_user()
    assert _reason(member, form) == "Pre-test ini untuk peserta terkonfirmasi pelatihan ini."

    workshops.register(member, workshop.id)
    assert answering.can_answer(member, form)
    after_start = workshop.starts_at + timedelta(minutes=1)
    assert _reason(member, form, now=after_start) == "Pre-test ditutup saat pelatihan dimulai."


def test_a_participant_follow_up_needs_a_request_for_that_person(organizer, past_workshop, participant):
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.FOLLOWUP_PARTICIPANT, workshop=past_workshop)
    assert _reason(participant, form) == "Anda tidak diminta mengisi evaluasi pasca pelatihan ini."

    _request(form, participant, participant, FollowUpRole.PARTICIPANT)
    assert answering.can_answer(participant, form)


def test_a_supervisor_answers_about_each_participant_asked_of_them_once(
    make_user, organizer, past_workshop, participant
):
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.FOLLOWUP_SUPERVISOR, workshop=past_workshop)
    boss = make_user(name="Pak Kepala")
    colleague = make_user(name="Dedi Peserta")
    attend(organizer, past_workshop, colleague)
    _request(form, participant, boss, FollowUpRole.SUPERVISOR)
    _request(form, colleague, boss, FollowUpRole.SUPERVISOR)

    assert _reason(boss, form) == "Pilih pegawai yang Anda nilai dari halaman Evaluasi."
    assert _reason(participant, form, subject=participant) == "Anda tidak diminta mengisi evaluasi pasca pelatihan ini."
    assert answering.can_answer(boss, form, participant)

    answering.submit(boss, form, {f"q{form.questions[0].id}": "4"}, participant)
    answering.submit(boss, form, {f"q{form.questions[0].id}": "2"}, colleague)  # the second participant: allowed
    with pytest.raises(AlreadyAnswered):
        answering.submit(boss, form, {f"q{form.questions[0].id}": "5"}, participant)
    stored = db.session.execute(select(Response.subject_user_id, Response.user_id)).all()
    assert sorted(stored) == sorted([(participant.id, boss.id), (colleague.id, boss.id)])


def _request(form, participant, respondent, role):
    db.session.add(
        FollowUpRequest(
            form_id=form.id, participant_id=participant.id, respondent_id=respondent.id, role=role, due_at=utcnow()
        )
    )
    db.session.commit()


def test_all_asn_surveys_take_every_verified_active_account(make_user, survey):
    assert answering.can_answer(make_user(), survey)
    expected = "Masuk dengan akun ASN terverifikasi untuk mengisi formulir ini."
    assert _reason(make_user(is_verified=False), survey) == expected
    assert _reason(make_user(active=False), survey) == expected
    assert _reason(AnonymousUserMixin(), survey) == expected


def test_unit_surveys_take_only_their_units(make_user, make_unit, organizer, unit):
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.SURVEY, audience=FormAudience.UNITS)
    form.units.append(unit)
    db.session.commit()
    assert answering.can_answer(make_user(unit_id=unit.id), form)
    outsider = make_user(unit_id=make_unit("Dinas Pariwisata").id)
    assert _reason(outsider, form) == "Survei ini hanya untuk pegawai unit kerja tertentu."


def test_public_forms_are_answered_only_through_their_link(make_user, organizer):
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.SURVEY, audience=FormAudience.PUBLIC)
    assert _reason(make_user(), form) == "Survei ini diisi melalui tautan publiknya."
    with pytest.raises(CannotAnswer):
        answering.submit(make_user(), form, {f"q{form.questions[0].id}": "3"})


def test_closed_and_not_yet_open_forms_take_no_answers(make_user, survey):
    member = make_user()
    now = utcnow()
    closed = "Formulir ini sudah ditutup dan tidak menerima jawaban lagi."
    survey.closes_at = now + timedelta(hours=1)
    db.session.commit()
    assert answering.can_answer(member, survey, now=now)
    assert _reason(member, survey, now=now + timedelta(hours=1)) == closed

    survey.closes_at, survey.opens_at = None, now + timedelta(days=2)
    db.session.commit()
    assert _reason(member, survey, now=now).startswith("Formulir ini baru dibuka ")

    survey.opens_at, survey.status = None, FormStatus.CLOSED
    db.session.commit()
    assert _reason(member, survey) == closed
    with pytest.raises(CannotAnswer, match="sudah ditutup"):
        answering.submit(member, survey, every_kind_answers(survey))
    assert counts() == NOTHING


def test_drafts_and_templates_cannot_be_opened_for_answering(organizer):
    draft = make_form(organizer, ONE_LIKERT, status=FormStatus.DRAFT, audience=FormAudience.ALL_ASN)
    template = make_form(organizer, ONE_LIKERT, audience=FormAudience.ALL_ASN, is_template=True)
    assert answering.get_answerable(draft.id) is None
    assert answering.get_answerable(template.id) is None
    assert answering.get_answerable(999_999) is None


# ---------------------------------------------------------------- validation of every kind


def _questions(form):
    return dict(zip(("likert", "grid", "single", "multiple", "number", "short", "long"), form.questions, strict=True))


def _invalid(form, user, **overrides) -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as raised:
        answering.submit(user, form, every_kind_answers(form, **overrides))
    names = {q.id: name for name, q in _questions(form).items()}
    return {names[question_id]: str(message) for question_id, message in raised.value.errors.items()}


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("likert", None, "Pertanyaan ini wajib dijawab."),
        ("likert", "6", "Pilih salah satu nilai 1 sampai 5."),
        ("likert", "0", "Pilih salah satu nilai 1 sampai 5."),
        ("likert", "baik", "Pilih salah satu nilai 1 sampai 5."),
        ("single", None, "Pertanyaan ini wajib dijawab."),
        ("single", "999999", "Pilihan itu tidak ada pada pertanyaan ini."),
        ("multiple", None, "Pilih paling sedikit satu jawaban."),
        ("number", None, "Pertanyaan ini wajib dijawab."),
        ("number", "tiga", "Isi dengan angka, misalnya 12 atau 3,5."),
        ("number", "1e3", "Isi dengan angka, misalnya 12 atau 3,5."),
        ("number", "41", "Isi angka antara 0 dan 40."),
        ("number", "-0,5", "Isi angka antara 0 dan 40."),
        ("number", "9" * 31, "Isi dengan angka, misalnya 12 atau 3,5."),
    ],
)
def test_each_kind_refuses_bad_answers_with_a_clear_message_and_stores_nothing(
    kind, value, message, participant, evaluation
):
    name = f"q{_questions(evaluation)[kind].id}"
    assert _invalid(evaluation, participant, **{name: value}) == {kind: message}
    assert counts() == NOTHING


def test_grid_items_are_each_rated_on_the_scale(participant, evaluation):
    grid = _questions(evaluation)["grid"]
    first, second = (f"q{grid.id}_{item.id}" for item in grid.options)
    assert _invalid(evaluation, participant, **{second: None}) == {
        "grid": "Beri nilai untuk setiap butir: 1 butir belum dinilai."
    }
    nothing = {first: None, second: None}
    assert _invalid(evaluation, participant, **nothing) == {"grid": "Beri nilai untuk setiap butir."}
    assert _invalid(evaluation, participant, **{first: "7"}) == {
        "grid": "Penguasaan materi: pilih salah satu nilai 1 sampai 5."
    }
    assert counts() == NOTHING


def test_choices_must_belong_to_their_question(participant, evaluation):
    questions = _questions(evaluation)
    single, multiple = questions["single"], questions["multiple"]
    foreign = str(multiple.options[0].id)  # an option of another question
    assert _invalid(evaluation, participant, **{f"q{single.id}": foreign}) == {
        "single": "Pilihan itu tidak ada pada pertanyaan ini."
    }
    two = [str(single.options[0].id), str(single.options[1].id)]
    assert _invalid(evaluation, participant, **{f"q{single.id}": two}) == {"single": "Pilih satu jawaban saja."}
    mixed = [str(multiple.options[0].id), str(single.options[0].id)]
    assert _invalid(evaluation, participant, **{f"q{multiple.id}": mixed}) == {
        "multiple": "Pilihan itu tidak ada pada pertanyaan ini."
    }
    assert counts() == NOTHING


def test_texts_have_length_limits(participant, evaluation):
    questions = _questions(evaluation)
    too_long = {
        f"q{questions['short'].id}": "a" * (services.SHORT_TEXT_MAX + 1),
        f"q{questions['long'].id}": "b" * (services.LONG_TEXT_MAX + 1),
    }
    assert _invalid(evaluation, participant, **too_long) == {
        "short": f"Jawaban maksimal {services.SHORT_TEXT_MAX} karakter (sekarang {services.SHORT_TEXT_MAX + 1}).",
        "long": f"Jawaban maksimal {services.LONG_TEXT_MAX} karakter (sekarang {services.LONG_TEXT_MAX + 1}).",
    }
    assert counts() == NOTHING


def test_a_required_text_of_only_spaces_is_missing(make_user, organizer):
    form = make_form(organizer, [Q(QuestionKind.SHORT_TEXT, "Nama layanan")], audience=FormAudience.ALL_ASN)
    with pytest.raises(InvalidAnswers) as raised:
        answering.submit(make_user(), form, {f"q{form.questions[0].id}": "   \t "})
    assert {str(m) for m in raised.value.errors.values()} == {"Pertanyaan ini wajib dijawab."}


def test_every_problem_is_reported_at_once(participant, evaluation):
    questions = _questions(evaluation)
    errors = _invalid(
        evaluation, participant, **{f"q{questions['likert'].id}": None, f"q{questions['number'].id}": "100"}
    )
    assert errors == {"likert": "Pertanyaan ini wajib dijawab.", "number": "Isi angka antara 0 dan 40."}


def test_one_sided_number_ranges_say_which_side(make_user, organizer):
    form = make_form(
        organizer,
        [
            Q(QuestionKind.NUMBER, "Usia", columns={"min_value": 18}),
            Q(QuestionKind.NUMBER, "Jam", columns={"max_value": 7.5}),
        ],
        audience=FormAudience.ALL_ASN,
    )
    age, hours = form.questions
    with pytest.raises(InvalidAnswers) as raised:
        answering.submit(make_user(), form, {f"q{age.id}": "17", f"q{hours.id}": "8"})
    assert {k: str(v) for k, v in raised.value.errors.items()} == {
        age.id: "Isi angka paling kecil 18.",
        hours.id: "Isi angka paling besar 7,5.",
    }


# ---------------------------------------------------------------- what is stored


def test_a_valid_answer_is_stored_once_with_the_unit_and_the_person(participant, evaluation):
    submitted = answering.submit(participant, evaluation, every_kind_answers(evaluation))

    q = _questions(evaluation)
    response = db.session.get(Response, submitted.response.id)
    assert (response.user_id, response.unit_id, response.subject_user_id) == (participant.id, participant.unit_id, None)
    assert (response.score, response.max_score) == (None, None)
    rows = {(a.question_id, a.option_id, a.value_number, a.value_text) for a in response.answers}
    assert rows == {
        (q["likert"].id, None, 4.0, None),
        (q["grid"].id, q["grid"].options[0].id, 5.0, None),
        (q["grid"].id, q["grid"].options[1].id, 3.0, None),
        (q["single"].id, q["single"].options[1].id, None, None),
        (q["multiple"].id, q["multiple"].options[0].id, None, None),
        (q["multiple"].id, q["multiple"].options[2].id, None, None),
        (q["number"].id, None, 3.5, None),
        (q["short"].id, None, None, "Bermanfaat"),
        (q["long"].id, None, None, "Tambah waktu praktik.\nModul dibagikan lebih awal."),
    }
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}


def test_unanswered_optional_questions_store_no_rows(participant, evaluation):
    q = _questions(evaluation)
    skipped = {f"q{q['short'].id}": "", f"q{q['long'].id}": None}
    answering.submit(participant, evaluation, every_kind_answers(evaluation, **skipped))
    assert counts()["answers"] == 7


def test_a_second_submission_is_refused_and_changes_nothing(participant, evaluation):
    answering.submit(participant, evaluation, every_kind_answers(evaluation))
    with pytest.raises(AlreadyAnswered, match="Anda sudah mengisi formulir ini."):
        answering.submit(participant, evaluation, every_kind_answers(evaluation))
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}
    assert answering.can_answer(participant, evaluation).answered


def test_the_unique_key_stops_a_submission_whose_check_raced(monkeypatch, participant, evaluation):
    """The check can miss a concurrent submission (PostgreSQL, read committed); the Respondent key cannot."""
    answering.submit(participant, evaluation, every_kind_answers(evaluation))
    monkeypatch.setattr(answering, "has_answered", lambda *args, **kwargs: False)
    with pytest.raises(AlreadyAnswered):
        answering.submit(participant, evaluation, every_kind_answers(evaluation))
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}


def _user_columns(model):
    return [c.name for c in model.__table__.columns if any(fk.column.table.name == "users" for fk in c.foreign_keys)]


def test_an_anonymous_answer_leads_to_nobody(make_user, organizer, past_workshop, participant):
    form = make_form(organizer, EVERY_KIND, workshop=past_workshop, anonymous=True)
    answering.save_draft(participant, form, {f"q{form.questions[0].id}": "2"})
    answering.submit(participant, form, every_kind_answers(form))

    response = db.session.scalar(select(Response))
    assert response.unit_id == participant.unit_id  # the unit snapshot is kept for unit breakdowns
    for column in _user_columns(Response):
        assert getattr(response, column) is None, column
    for answer in response.answers:
        assert all(getattr(answer, column) is None for column in _user_columns(Answer))
    # The person is remembered only in Respondent, which has no way to the response.
    respondent = db.session.scalar(select(Respondent))
    assert respondent.user_id == participant.id
    assert workshops.to_local(respondent.answered_at).time() == time()  # only the day: no match on the time
    assert respondent.answered_at != response.submitted_at
    assert {fk.column.table.name for fk in Respondent.__table__.foreign_keys} == {"feedback_forms", "users"}
    assert not inspect(Respondent).relationships
    assert counts()["drafts"] == 0


def test_an_anonymous_supervisor_answer_does_not_name_the_participant(make_user, organizer, past_workshop, participant):
    form = make_form(
        organizer, ONE_LIKERT, purpose=FormPurpose.FOLLOWUP_SUPERVISOR, workshop=past_workshop, anonymous=True
    )
    boss = make_user(name="Bu Kepala")
    _request(form, participant, boss, FollowUpRole.SUPERVISOR)
    answering.submit(boss, form, {f"q{form.questions[0].id}": "4"}, participant)
    response = db.session.scalar(select(Response))
    assert (response.user_id, response.subject_user_id) == (None, None)
    with pytest.raises(AlreadyAnswered):
        answering.submit(boss, form, {f"q{form.questions[0].id}": "4"}, participant)


def test_tests_are_scored_from_correct_options_and_points(make_user, organizer, make_workshop):
    workshop = make_workshop(sessions=session_times(days_ahead=5, sessions=1))
    form = make_form(
        organizer,
        [
            Q(QuestionKind.SINGLE, "Asas pelayanan", options=["Cepat", "Lambat"], correct=(0,), columns={"points": 2}),
            Q(QuestionKind.MULTIPLE, "Standar", options=["A", "B", "C"], correct=(0, 2), columns={"points": 3}),
            Q(QuestionKind.SINGLE, "Tanpa poin", options=["X", "Y"], correct=(1,)),  # 0 points: not scored
            Q(QuestionKind.LIKERT, "Keyakinan Anda"),
        ],
        purpose=FormPurpose.PRE_TEST,
        workshop=workshop,
    )
    single, multiple, unscored, likert = form.questions
    member = make_user()
    workshops.register(member, workshop.id)
    data = {
        f"q{single.id}": str(single.options[0].id),  # right: 2
        f"q{multiple.id}": [str(multiple.options[0].id)],  # one of two: no partial credit
        f"q{unscored.id}": str(unscored.options[1].id),
        f"q{likert.id}": "3",
    }
    submitted = answering.submit(member, form, data)
    assert (submitted.score, submitted.max_score) == (2.0, 5.0)
    assert answering.own_score(member, form) == (2.0, 5.0)


def test_scores_count_a_multiple_choice_only_when_exactly_right(organizer):
    form = make_form(
        organizer,
        [Q(QuestionKind.MULTIPLE, "Standar", options=["A", "B", "C"], correct=(0, 2), columns={"points": 3})],
    )
    question = form.questions[0]
    a, b, c = (o.id for o in question.options)

    def chose(*ids):
        return checking.score(form, [Answer(question_id=question.id, option_id=i) for i in ids])

    assert chose(a, c) == (3.0, 3.0)
    assert chose(a, b, c) == (0.0, 3.0)
    assert chose() == (0.0, 3.0)
    assert checking.score(make_form(organizer, ONE_LIKERT), []) is None


# ---------------------------------------------------------------- drafts


def test_a_draft_keeps_this_forms_fields_as_typed_and_is_deleted_on_submit(participant, evaluation):
    q = _questions(evaluation)
    typed = {f"q{q['number'].id}": "seratus", f"q{q['multiple'].id}": [str(q["multiple"].options[1].id)], "other": "x"}
    answering.save_draft(participant, evaluation, typed)
    answering.save_draft(participant, evaluation, {**typed, f"q{q['likert'].id}": "5"})  # saved again: one draft

    draft = answering.draft_of(participant, evaluation)
    assert draft.data == {
        f"q{q['number'].id}": ["seratus"],  # not checked yet: submitting will say what is wrong
        f"q{q['multiple'].id}": [str(q["multiple"].options[1].id)],
        f"q{q['likert'].id}": ["5"],
    }
    assert counts() == {"responses": 0, "answers": 0, "respondents": 0, "drafts": 1}

    with pytest.raises(InvalidAnswers):
        answering.submit(participant, evaluation, draft.data)
    assert counts()["drafts"] == 1  # a refused submission keeps the draft
    answering.submit(participant, evaluation, every_kind_answers(evaluation))
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}


def test_drafts_are_per_person_and_can_be_discarded(make_user, participant, evaluation):
    answering.save_draft(participant, evaluation, {f"q{evaluation.questions[0].id}": "3"})
    assert answering.draft_of(make_user(), evaluation) is None
    assert answering.discard_draft(participant, evaluation) is True
    assert answering.draft_of(participant, evaluation) is None
    assert answering.discard_draft(participant, evaluation) is False


def test_only_someone_who_may_answer_can_keep_a_draft(make_user, evaluation):
    with pytest.raises(CannotAnswer):
        answering.save_draft(make_user(), evaluation, {f"q{evaluation.questions[0].id}": "3"})
    assert counts() == NOTHING


# ---------------------------------------------------------------- the landing lists


def test_the_overview_lists_what_is_asked_of_the_person(make_user, make_unit, organizer, unit, participant, evaluation):
    everyone = make_form(organizer, ONE_LIKERT, title="Survei Semua ASN", audience=FormAudience.ALL_ASN)
    mine = make_form(organizer, ONE_LIKERT, title="Survei Unit Saya", audience=FormAudience.UNITS)
    mine.units.append(unit)
    other_unit = make_unit("Dinas Sosial")
    theirs = make_form(organizer, ONE_LIKERT, title="Survei Unit Lain", audience=FormAudience.UNITS)
    theirs.units.append(other_unit)
    make_form(organizer, ONE_LIKERT, title="Survei Warga", audience=FormAudience.PUBLIC)
    make_form(organizer, ONE_LIKERT, title="Draf", audience=FormAudience.ALL_ASN, status=FormStatus.DRAFT)
    make_form(organizer, ONE_LIKERT, title="Tutup", audience=FormAudience.ALL_ASN, status=FormStatus.CLOSED)
    followup = make_form(
        organizer,
        ONE_LIKERT,
        title="Pasca Atasan",
        purpose=FormPurpose.FOLLOWUP_SUPERVISOR,
        workshop=evaluation.workshop,
    )
    db.session.commit()
    boss = make_user(name="Pak Kepala")
    participant.supervisor_id = boss.id
    _request(followup, participant, boss, FollowUpRole.SUPERVISOR)
    answering.save_draft(participant, everyone, {f"q{everyone.questions[0].id}": "4"})

    overview = pending.overview(participant)
    assert sorted(item.form.title for item in overview.pending) == [
        "Evaluasi Pelatihan",
        "Survei Semua ASN",
        "Survei Unit Saya",
    ]
    assert [item.form.title for item in overview.pending if item.draft_saved_at] == ["Survei Semua ASN"]
    assert overview.answered == []

    answering.submit(participant, evaluation, every_kind_answers(evaluation))
    overview = pending.overview(participant)
    assert "Evaluasi Pelatihan" not in [item.form.title for item in overview.pending]
    assert [item.form.title for item in overview.answered] == ["Evaluasi Pelatihan"]

    boss_view = pending.overview(boss)
    supervisor_items = [(i.form.title, i.subject.name) for i in boss_view.pending if i.subject]
    assert supervisor_items == [("Pasca Atasan", participant.name)]


def test_the_overview_leaves_out_pre_tests_of_started_workshops(make_user, organizer, past_workshop, participant):
    make_form(organizer, ONE_LIKERT, title="Pre-test", purpose=FormPurpose.PRE_TEST, workshop=past_workshop)
    assert pending.overview(participant).pending == []


# ---------------------------------------------------------------- the certificate hook


def test_the_certificate_waits_for_the_open_evaluation(organizer, past_workshop, participant):
    registration = workshops.registration_of(participant, past_workshop.id)
    assert pending.evaluation_done(registration)  # no evaluation form: completion is enough
    assert workshops.certificate_unlocked(registration)

    form = make_form(organizer, ONE_LIKERT, workshop=past_workshop)
    assert not pending.evaluation_done(registration)
    assert not workshops.certificate_unlocked(registration)
    with pytest.raises(workshops.WorkshopError, match="Sertifikat terbuka setelah Anda mengisi evaluasi pelatihan."):
        workshops.certificate_for(participant, past_workshop)

    answering.submit(participant, form, {f"q{form.questions[0].id}": "5"})
    assert pending.evaluation_done(registration)
    assert workshops.certificate_for(participant, past_workshop).number == registration.certificate_number


def test_a_closed_evaluation_no_longer_holds_the_certificate(organizer, past_workshop, participant):
    registration = workshops.registration_of(participant, past_workshop.id)
    form = make_form(organizer, ONE_LIKERT, workshop=past_workshop, closes_at=utcnow() + timedelta(hours=1))
    assert not pending.evaluation_done(registration)
    form.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert pending.evaluation_done(registration)
    form.closes_at, form.status = None, FormStatus.CLOSED
    db.session.commit()
    assert pending.evaluation_done(registration)


def test_a_draft_evaluation_does_not_hold_the_certificate(organizer, past_workshop, participant):
    make_form(organizer, ONE_LIKERT, workshop=past_workshop, status=FormStatus.DRAFT)
    assert pending.evaluation_done(workshops.registration_of(participant, past_workshop.id))


def test_someone_elses_answer_does_not_unlock_my_certificate(make_user, organizer, past_workshop, participant):
    form = make_form(organizer, ONE_LIKERT, workshop=past_workshop)
    other = make_user(name="Peserta Lain")
    attend(organizer, past_workshop, other)
    make_response(form, other, {0: 4})
    assert not pending.evaluation_done(workshops.registration_of(participant, past_workshop.id))
    assert pending.evaluation_done(workshops.registration_of(other, past_workshop.id))


def test_drafts_are_stored_per_supervised_participant(make_user, organizer, past_workshop, participant):
    form = make_form(organizer, ONE_LIKERT, purpose=FormPurpose.FOLLOWUP_SUPERVISOR, workshop=past_workshop)
    boss = make_user(name="Pak Kepala")
    colleague = make_user(name="Dedi")
    attend(organizer, past_workshop, colleague)
    _request(form, participant, boss, FollowUpRole.SUPERVISOR)
    _request(form, colleague, boss, FollowUpRole.SUPERVISOR)
    name = f"q{form.questions[0].id}"
    answering.save_draft(boss, form, {name: "2"}, participant)
    answering.save_draft(boss, form, {name: "5"}, colleague)
    assert answering.draft_of(boss, form, participant).data == {name: ["2"]}
    assert answering.draft_of(boss, form, colleague).data == {name: ["5"]}
    answering.submit(boss, form, {name: "2"}, participant)
    assert db.session.scalars(select(ResponseDraft.subject_user_id)).all() == [colleague.id]


def test_members_role_does_not_matter_for_answering(make_user, survey):
    for role in Role:
        assert answering.can_answer(make_user(role), survey)
