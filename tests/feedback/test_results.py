"""Results services: aggregates against hand-computed numbers, response rates, filters, small-group suppression,
text answers and their moderation, exports (and their anonymity)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.core.exports import csv_bytes
from portal.core.permissions import PermissionDenied, Role
from portal.core.timezone import to_local
from portal.extensions import db
from portal.feedback.models import Answer, FollowUpRequest, FollowUpRole, FormAudience, FormPurpose
from portal.feedback.services import (
    ResultError,
    ResultFilters,
    exports,
    moderation,
    program_review,
    results,
    scores,
)
from portal.feedback.services import comparison as comparisons
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import GRID, LIKERT, SHORT, enrol, evaluation, make_workshop


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


@pytest.fixture
def other_unit(make_unit):
    return make_unit("Dinas Pendidikan", short_name="Disdik")


@pytest.fixture
def filled(organizer, make_user, unit, other_unit):
    """A completed workshop: 5 completed participants (+1 who did not complete); 4 evaluations, 3 from ``unit``."""
    workshop = make_workshop(organizer)
    people = [make_user(unit_id=unit.id) for _ in range(3)] + [make_user(unit_id=other_unit.id) for _ in range(2)]
    for person in people:
        enrol(workshop, person)
    enrol(workshop, make_user(), completed=False)
    form = evaluation(organizer, workshop)
    values = [
        {0: 5, 1: {0: 5, 1: 4}, 2: 0, 3: [0, 1], 4: 2, 5: "Materi bagus"},
        {0: 4, 1: {0: 4, 1: 4}, 2: 1, 3: [1], 4: 4, 5: "Perlu lebih banyak praktik"},
        {0: 4, 1: {0: 3, 1: 5}, 2: 1, 3: [1, 2], 4: 10, 5: "Asik"},
        {0: 2, 1: {0: 2, 1: 3}, 2: 2, 3: [2], 4: 6},
    ]
    people_in_order = [people[0], people[1], people[2], people[3]]
    for person, answer in zip(people_in_order, values, strict=True):
        make_response(form, person, answer)
    return form, workshop, people


def _by_label(res, label):
    return next(q for q in res.questions if q.question.label == label)


# ---------------------------------------------------------------- statistics


def test_stats_of_counts_median_of_even_and_odd_samples():
    even = results.stats_of({1.0: 1, 4.0: 2, 5.0: 1})  # 1 4 4 5
    assert (even.n, even.mean, even.median, even.minimum, even.maximum) == (4, 3.5, 4.0, 1.0, 5.0)
    odd = results.stats_of({2.0: 1, 3.0: 1, 10.0: 1})
    assert (odd.mean, odd.median) == (5.0, 3.0)
    assert results.stats_of({}).mean is None


# ---------------------------------------------------------------- aggregates


def test_likert_mean_median_distribution_and_high_share(filled):
    form, _workshop, _people = filled
    res = results.form_results(form)
    likert = _by_label(res, "Penyelenggaraan")
    # 5, 4, 4, 2 -> mean 15/4, median (4+4)/2; 4-5 answered by 3 of 4
    assert likert.n == 4
    assert likert.scale.stats.mean == pytest.approx(3.75)
    assert likert.scale.stats.median == 4.0
    assert [(r.value, r.count) for r in likert.scale.rows] == [(1, 0), (2, 1), (3, 0), (4, 2), (5, 1)]
    assert [r.label for r in likert.scale.rows] == ["Sangat Tidak Baik", "Tidak Baik", "Cukup", "Baik", "Sangat Baik"]
    assert likert.scale.rows[3].share == pytest.approx(0.5)
    assert likert.scale.high_share == pytest.approx(0.75)


def test_grid_means_per_item(filled):
    form, _workshop, _people = filled
    grid = _by_label(results.form_results(form), "Materi")
    jelas, bermanfaat = grid.items
    assert jelas.option.label == "Jelas"
    assert (jelas.scale.stats.mean, jelas.scale.stats.median) == (3.5, 3.5)  # 5 4 3 2
    assert (bermanfaat.scale.stats.mean, bermanfaat.scale.stats.median) == (4.0, 4.0)  # 4 4 5 3
    assert grid.n == 4


def test_choice_counts_and_shares(filled):
    form, _workshop, _people = filled
    res = results.form_results(form)
    single = _by_label(res, "Sumber info")
    assert [(c.option.label, c.count, c.share) for c in single.choices] == [
        ("Surat", 1, 0.25),
        ("Grup WA", 2, 0.5),
        ("Situs", 1, 0.25),
    ]
    multiple = _by_label(res, "Topik lanjutan")
    assert multiple.n == 4
    assert [(c.count, c.share) for c in multiple.choices] == [(1, 0.25), (3, 0.75), (2, 0.5)]


def test_number_statistics(filled):
    form, _workshop, _people = filled
    number = _by_label(results.form_results(form), "Jam belajar").number
    assert (number.n, number.mean, number.median, number.minimum, number.maximum) == (4, 5.5, 5.0, 2.0, 10.0)


def test_text_answers_counted_and_listed_newest_first(filled):
    form, _workshop, _people = filled
    text = _by_label(results.form_results(form), "Saran")
    assert text.n == 3
    assert [a.value_text for a in text.texts.items] == ["Asik", "Perlu lebih banyak praktik", "Materi bagus"]


def test_anonymous_text_answers_are_in_alphabetical_order(organizer, make_user):
    form = make_form(organizer, [Q(SHORT, "Saran")], anonymous=True, audience=FormAudience.ALL_ASN)
    for text in ["Zaman", "Bagus", "Mantap", "Kurang", "Cukup"]:
        make_response(form, make_user(), {0: text})
    page = results.text_answers(form, form.questions[0])
    assert [a.value_text for a in page.items] == ["Bagus", "Cukup", "Kurang", "Mantap", "Zaman"]
    assert all(a.response.user_id is None for a in page.items)


def test_text_answers_are_paginated(organizer, make_user):
    form = make_form(organizer, [Q(SHORT, "Saran")], audience=FormAudience.ALL_ASN)
    for n in range(results.TEXT_PAGE_SIZE + 3):
        make_response(form, make_user(), {0: f"Saran {n}"})
    second = results.text_answers(form, form.questions[0], page=2)
    assert (second.total, second.pages, len(second.items)) == (13, 2, 3)


# ---------------------------------------------------------------- response rates


def test_response_rate_of_a_workshop_form_uses_completed_participants(filled):
    form, _workshop, _people = filled
    res = results.form_results(form)
    assert (res.responses, res.eligible, res.response_rate) == (4, 5, 0.8)


def test_response_rate_with_a_unit_filter_counts_that_units_participants(filled, unit):
    form, _workshop, _people = filled
    res = results.form_results(form, ResultFilters(unit_id=unit.id))
    assert (res.responses, res.eligible) == (3, 3)
    assert res.response_rate == 1.0


def test_pre_test_asks_every_confirmed_participant(filled, organizer):
    _form, workshop, _people = filled
    pre = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.PRE_TEST, workshop=workshop)
    assert results.eligible_count(pre) == 6


def test_followup_asks_the_people_sent_a_request(filled, organizer, make_user):
    _form, workshop, people = filled
    followup = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.FOLLOWUP_PARTICIPANT, workshop=workshop)
    for person in people[:2]:
        db.session.add(
            FollowUpRequest(
                form_id=followup.id,
                participant_id=person.id,
                respondent_id=person.id,
                role=FollowUpRole.PARTICIPANT,
                due_at=datetime.now(UTC),
            )
        )
    db.session.commit()
    assert results.eligible_count(followup) == 2


def test_response_rate_of_surveys_counts_active_verified_users(organizer, make_user, unit, other_unit):
    make_user(unit_id=unit.id)
    make_user(unit_id=other_unit.id)
    make_user(unit_id=other_unit.id, is_verified=False)
    make_user(unit_id=other_unit.id, active=False)
    everyone = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.SURVEY, audience=FormAudience.ALL_ASN)
    assert results.eligible_count(everyone) == 3  # the organizer is an ASN too
    some = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.SURVEY, audience=FormAudience.UNITS)
    some.units.append(other_unit)
    db.session.commit()
    assert results.eligible_count(some) == 1
    assert results.eligible_count(some, unit_id=unit.id) == 0
    public = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.SURVEY, audience=FormAudience.PUBLIC)
    assert results.eligible_count(public) is None


# ---------------------------------------------------------------- filters


def test_parse_filters_rejects_bad_input(unit):
    assert results.parse_filters(str(unit.id), "2026-03-01", "2026-03-31") == ResultFilters(
        unit.id, date(2026, 3, 1), date(2026, 3, 31)
    )
    with pytest.raises(ResultError) as reversed_range:
        results.parse_filters("", "2026-03-31", "2026-03-01")
    assert reversed_range.value.field == "sampai"
    with pytest.raises(ResultError):
        results.parse_filters("", "32-03-2026", "")
    with pytest.raises(ResultError):
        results.parse_filters("999999", "", "")
    assert not results.parse_filters("", "", "").active


def test_unit_filter_aggregates_only_that_unit(filled, other_unit):
    form, _workshop, _people = filled
    likert = _by_label(results.form_results(form, ResultFilters(unit_id=other_unit.id)), "Penyelenggaraan")
    assert (likert.n, likert.scale.stats.mean) == (1, 2.0)


def test_date_filter_uses_wib_days(organizer, make_user):
    form = make_form(organizer, [Q(LIKERT, "Penyelenggaraan")], audience=FormAudience.ALL_ASN)
    # 16.30 UTC is 23.30 WIB on 1 March; 17.30 UTC is 00.30 WIB on 2 March
    make_response(form, make_user(), {0: 2}, submitted_at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    make_response(form, make_user(), {0: 5}, submitted_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    march_2 = results.form_results(form, ResultFilters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)))
    assert march_2.responses == 1
    assert march_2.questions[0].scale.stats.mean == 5.0
    assert march_2.eligible is None  # a rate over a date range means nothing
    march_1 = results.form_results(form, ResultFilters(date_to=date(2026, 3, 1)))
    assert march_1.questions[0].scale.stats.mean == 2.0


# ---------------------------------------------------------------- small-group suppression


def _anonymous_split(organizer, make_user, unit, other_unit, in_unit, in_other):
    form = make_form(organizer, [Q(LIKERT, "Penyelenggaraan"), Q(SHORT, "Saran")], anonymous=True)
    for index in range(in_unit + in_other):
        person = make_user(unit_id=unit.id if index < in_unit else other_unit.id)
        make_response(form, person, {0: 4, 1: f"Saran {index}"})
    return form


def test_a_breakdown_of_four_is_suppressed_and_of_five_is_shown(organizer, make_user, unit, other_unit):
    four = _anonymous_split(organizer, make_user, unit, other_unit, 4, 6)
    res = results.form_results(four, ResultFilters(unit_id=unit.id))
    assert res.suppressed and res.questions == []
    assert results.text_answers(four, four.questions[1], ResultFilters(unit_id=unit.id)).items == []
    # the other unit has 6, but the form minus it would show the 4: suppressed too
    assert results.form_results(four, ResultFilters(unit_id=other_unit.id)).suppressed

    five = _anonymous_split(organizer, make_user, unit, other_unit, 5, 5)
    shown = results.form_results(five, ResultFilters(unit_id=unit.id))
    assert not shown.suppressed
    assert shown.questions[0].scale.stats.n == 5


def test_date_breakdowns_of_anonymous_forms_are_suppressed_too(organizer, make_user):
    form = make_form(organizer, [Q(LIKERT, "Penyelenggaraan")], anonymous=True)
    for day in range(1, 10):
        make_response(form, make_user(), {0: 3}, submitted_at=datetime(2026, 3, day, 3, tzinfo=UTC))
    assert results.form_results(form, ResultFilters(date_from=date(2026, 3, 6))).suppressed  # 4 responses
    assert not results.form_results(form).suppressed  # no breakdown: the whole form is shown


def test_named_forms_show_small_breakdowns(filled, other_unit):
    form, _workshop, _people = filled
    assert not results.form_results(form, ResultFilters(unit_id=other_unit.id)).suppressed


# ---------------------------------------------------------------- moderation


def test_moderator_hides_and_shows_a_text_answer_audited(filled, make_user):
    form, _workshop, _people = filled
    moderator = make_user(Role.MODERATOR)
    answer = db.session.scalar(select(Answer).where(Answer.value_text == "Asik"))
    moderation.set_hidden(moderator, answer, True)
    assert answer.hidden_at is not None and answer.hidden_by_id == moderator.id
    moderation.set_hidden(moderator, answer, False)
    assert answer.hidden_at is None and answer.hidden_by_id is None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["feedback.answer_hide", "feedback.answer_unhide"]


def test_organizers_cannot_hide_answers(filled, organizer):
    answer = db.session.scalar(select(Answer).where(Answer.value_text == "Asik"))
    with pytest.raises(PermissionDenied):
        moderation.set_hidden(organizer, answer, True)
    db.session.refresh(answer)
    assert answer.hidden_at is None


def test_only_text_answers_of_the_form_can_be_moderated(filled, organizer):
    form, _workshop, _people = filled
    number = db.session.scalar(select(Answer).where(Answer.value_number == 10))
    assert moderation.get_text_answer(form, number.id) is None
    text = db.session.scalar(select(Answer).where(Answer.value_text == "Asik"))
    other = make_form(organizer, [Q(SHORT, "x")])
    assert moderation.get_text_answer(other, text.id) is None
    assert moderation.get_text_answer(form, text.id) == text


# ---------------------------------------------------------------- exports


def test_aggregate_table_holds_the_numbers(filled):
    form, _workshop, _people = filled
    table = exports.aggregate_table(results.form_results(form))
    assert table[0][:4] == ["Pertanyaan", "Butir / jawaban", "n", "Rata-rata"]
    assert ["Penyelenggaraan", "Semua jawaban", 4, 3.75, 4.0, 2.0, 5.0, None, None] in table
    assert ["Penyelenggaraan", "4 Baik", None, None, None, None, None, 2, 50.0] in table
    assert ["Topik lanjutan", "Layanan", 4, None, None, None, None, 3, 75.0] in table
    assert ["Jam belajar", "", 4, 5.5, 5.0, 2.0, 10.0, None, None] in table


def test_raw_table_of_a_named_form_has_date_and_unit_but_never_names(filled, unit):
    form, _workshop, people = filled
    hidden = db.session.scalar(select(Answer).where(Answer.value_text == "Asik"))
    hidden.hidden_at = datetime.now(UTC)
    db.session.commit()
    table = exports.raw_table(form)
    assert table[0] == [
        "No.",
        "Dikirim (WIB)",
        "Unit",
        "Penyelenggaraan",
        "Materi: Jelas",
        "Materi: Bermanfaat",
        "Sumber info",
        "Topik lanjutan",
        "Jam belajar",
        "Saran",
    ]
    assert table[1][0] == 1 and table[1][2] == unit.label
    assert table[1][3:] == [5.0, 5.0, 4.0, "Surat", "Data; Layanan", 2.0, "Materi bagus"]
    assert table[3][-1] == "[disembunyikan]"
    cells = {str(cell) for row in table for cell in row}
    assert not any(person.name in cells or person.nip in cells for person in people)


def test_raw_table_of_an_anonymous_form_has_no_date_and_unit_only_for_large_groups(
    organizer, make_user, unit, other_unit
):
    small = _anonymous_split(organizer, make_user, unit, other_unit, 4, 1)
    table = exports.raw_table(small)
    assert table[0] == ["Penyelenggaraan", "Saran"]  # Bappeda has only 4, Disdik 1
    assert len(table) == 6
    mixed = _anonymous_split(organizer, make_user, unit, other_unit, 5, 4)
    assert exports.raw_table(mixed)[0] == ["Penyelenggaraan", "Saran"]  # Disdik has only 4
    large = _anonymous_split(organizer, make_user, unit, other_unit, 5, 5)
    table = exports.raw_table(large)
    assert table[0] == ["Unit", "Penyelenggaraan", "Saran"]
    assert sorted(row[0] for row in table[1:]) == sorted([unit.label] * 5 + [other_unit.label] * 5)


def test_raw_table_of_a_suppressed_breakdown_holds_only_the_notice(organizer, make_user, unit, other_unit):
    form = _anonymous_split(organizer, make_user, unit, other_unit, 4, 6)
    table = exports.raw_table(form, ResultFilters(unit_id=unit.id))
    assert table == [["Catatan"], ["terlalu sedikit tanggapan untuk ditampilkan (min. 5)"]]


def test_exports_guard_against_formula_injection(organizer, make_user):
    form = make_form(organizer, [Q(SHORT, "Saran")], audience=FormAudience.ALL_ASN)
    make_response(form, make_user(), {0: '=HYPERLINK("http://x")'})
    body = csv_bytes(exports.raw_table(form)).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


# ---------------------------------------------------------------- workshop levels


def test_l1_pools_every_scale_value_of_the_evaluation(filled):
    _form, workshop, _people = filled
    l1 = scores.l1_by_workshop([workshop.id])[workshop.id]
    # 5 5 4 | 4 4 4 | 4 3 5 | 2 2 3 -> 45 / 12
    assert (l1.value, l1.responses) == (pytest.approx(3.75), 4)


def test_pre_post_gain_with_pairs(organizer, make_user):
    workshop = make_workshop(organizer)
    a, b, c, d = (make_user() for _ in range(4))
    pre = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.PRE_TEST, workshop=workshop)
    post = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.POST_TEST, workshop=workshop)
    for person, score in ((a, 4), (b, 6), (c, 5)):
        make_response(pre, person, {}, score=score, max_score=10)
    for person, score in ((a, 8), (b, 9), (d, 7)):
        make_response(post, person, {}, score=score, max_score=10)
    make_response(post, make_user(), {}, score=None, max_score=None)  # not scored: left out
    gain = scores.test_gain(workshop.id)
    assert (gain.pre_mean, gain.pre_n, gain.post_mean, gain.post_n) == (50.0, 3, 80.0, 3)
    assert gain.gain == pytest.approx(30.0)
    assert (gain.paired_n, gain.paired_gain) == (2, pytest.approx(35.0))  # a: +40, b: +30


def test_anonymous_tests_have_no_pairs(organizer, make_user):
    workshop = make_workshop(organizer)
    pre = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.PRE_TEST, workshop=workshop, anonymous=True)
    post = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.POST_TEST, workshop=workshop, anonymous=True)
    for person in [make_user() for _ in range(5)]:  # five each: anonymous results show
        make_response(pre, person, {}, score=1, max_score=4)
        make_response(post, person, {}, score=3, max_score=4)
    gain = scores.test_gain(workshop.id)
    assert (gain.gain, gain.paired_n, gain.paired_gain) == (50.0, 0, None)


def test_l3_share_of_followups_reporting_change(organizer, make_user):
    workshop = make_workshop(organizer)
    agreement = {"scale": "agreement"}
    questions = [Q(LIKERT, "Saya menerapkan", columns=agreement), Q(LIKERT, "Kerja lebih baik", columns=agreement)]
    mine = make_form(organizer, questions, purpose=FormPurpose.FOLLOWUP_PARTICIPANT, workshop=workshop)
    boss = make_form(organizer, questions, purpose=FormPurpose.FOLLOWUP_SUPERVISOR, workshop=workshop)
    for pair in ((5, 4), (4, 4), (3, 4), (2, 3), (4, 5)):  # means 4.5 4 3.5 2.5 4.5: three of five >= 4
        make_response(mine, make_user(), {0: pair[0], 1: pair[1]})
    assert scores.l3_by_workshop([workshop.id])[workshop.id] == scores.ChangeShare(0.6, 5)
    make_response(boss, make_user(), {0: 3, 1: 3})
    assert scores.l3_by_workshop([workshop.id])[workshop.id] == scores.ChangeShare(0.5, 6)


def test_trainer_scores_per_workshop_and_overall(organizer, make_user):
    first, second = make_workshop(organizer, "Run 1"), make_workshop(organizer, "Run 2")
    one = make_form(
        organizer, [Q(LIKERT, "Penguasaan materi", columns={"trainer_name": "Budi Santoso"})], workshop=first
    )
    two = make_form(organizer, [Q(LIKERT, "Penguasaan", columns={"trainer_name": "budi  santoso"})], workshop=second)
    make_response(one, make_user(), {0: 5})
    make_response(one, make_user(), {0: 4})
    make_response(two, make_user(), {0: 3})
    (row,) = scores.trainer_scores([first.id, second.id])
    assert row.name == "Budi Santoso"
    assert row.per_workshop == {first.id: 4.5, second.id: 3.0}
    assert row.overall == pytest.approx(4.0)  # (5 + 4 + 3) / 3, not the mean of the means


# ---------------------------------------------------------------- comparing runs


def _run_pair(organizer, make_user, **b_columns):
    first, second = make_workshop(organizer, "Run 1"), make_workshop(organizer, "Run 2")
    program = program_review.create_program(organizer, program_review.ProgramInput("Pelayanan Prima"))
    program_review.assign_workshop(organizer, program, first.id)
    program_review.assign_workshop(organizer, program, second.id)
    a = make_form(organizer, [Q(LIKERT, "Penyelenggaraan"), Q(GRID, "Materi", options=["Jelas"])], workshop=first)
    b = make_form(
        organizer,
        [Q(LIKERT, "Penyelenggaraan"), Q(GRID, "Materi", options=["Jelas"]), Q(LIKERT, "Sarana")],
        workshop=second,
        **b_columns,
    )
    for likert, item in ((4, 3), (2, 3)):
        make_response(a, make_user(), {0: likert, 1: {0: item}})
    make_response(b, make_user(), {0: 5, 1: {0: 4}, 2: 2})
    make_response(b, make_user(), {0: 4, 1: {0: 5}, 2: 4})
    return a, b


def test_compare_two_runs_of_a_program(organizer, make_user):
    a, b = _run_pair(organizer, make_user)
    comparison = comparisons.compare(organizer, a, b)
    rows = {row.label: row for row in comparison.rows}
    assert (rows["Penyelenggaraan"].mean_a, rows["Penyelenggaraan"].mean_b) == (3.0, 4.5)
    assert rows["Penyelenggaraan"].difference == pytest.approx(1.5)
    assert rows["Materi: Jelas"].difference == pytest.approx(1.5)  # 3 -> 4.5
    assert (rows["Sarana"].mean_a, rows["Sarana"].mean_b, rows["Sarana"].difference) == (None, 3.0, None)
    assert comparison.overall_a == pytest.approx(3.0)  # 4 3 2 3
    assert comparison.overall_b == pytest.approx(4.0)  # 5 4 2 4 5 4
    assert (comparison.responses_a, comparison.responses_b) == (2, 2)
    assert comparisons.comparable_forms(organizer, a) == [b]


def test_forms_of_unrelated_trainings_cannot_be_compared(organizer, make_user):
    a = make_form(organizer, [Q(LIKERT, "x")], workshop=make_workshop(organizer))
    b = make_form(organizer, [Q(LIKERT, "x")], workshop=make_workshop(organizer))
    with pytest.raises(ResultError):
        comparisons.compare(organizer, a, b)
    assert comparisons.comparable_forms(organizer, a) == []


def test_forms_from_one_template_or_copies_are_comparable(organizer):
    a = make_form(organizer, [Q(LIKERT, "x")], template_key="training_evaluation")
    b = make_form(organizer, [Q(LIKERT, "x")], template_key="training_evaluation")
    copy = make_form(organizer, [Q(LIKERT, "x")], copied_from_id=a.id)
    copy_of_copy = make_form(organizer, [Q(LIKERT, "x")], copied_from_id=copy.id)
    other_purpose = make_form(organizer, [Q(LIKERT, "x")], copied_from_id=a.id, purpose=FormPurpose.SURVEY)
    assert comparisons.comparable(a, b)
    assert comparisons.comparable(copy, copy_of_copy)
    assert not comparisons.comparable(a, other_purpose)
    assert not comparisons.comparable(a, a)
    assert {f.id for f in comparisons.comparable_forms(organizer, copy)} == {a.id, copy_of_copy.id}
    assert {f.id for f in comparisons.comparable_forms(organizer, a)} == {b.id, copy.id, copy_of_copy.id}


def test_only_forms_the_viewer_manages_can_be_compared(organizer, make_user):
    a, b = _run_pair(organizer, make_user)
    stranger = make_user(Role.ORGANIZER)
    with pytest.raises(ResultError):
        comparisons.compare(stranger, a, b)


# ---------------------------------------------------------------- the dashboard's trend


def test_evaluation_trend_by_wib_month(organizer, make_user, unit, other_unit):
    form = make_form(organizer, [Q(LIKERT, "Penyelenggaraan")], workshop=make_workshop(organizer))
    # 31 Jan 17.30 UTC is 1 Feb 00.30 WIB
    make_response(form, make_user(unit_id=unit.id), {0: 2}, submitted_at=datetime(2025, 1, 31, 17, 30, tzinfo=UTC))
    make_response(form, make_user(unit_id=unit.id), {0: 4}, submitted_at=datetime(2025, 1, 10, tzinfo=UTC))
    for value in (5, 4, 3, 4, 4):
        make_response(form, make_user(unit_id=other_unit.id), {0: value}, submitted_at=datetime(2025, 3, 5, tzinfo=UTC))
    make_response(form, make_user(), {0: 1}, submitted_at=datetime(2024, 12, 31, 12, tzinfo=UTC))  # 2024 WIB
    trend = scores.evaluation_trend(2025)
    assert [p.month for p in trend] == list(range(1, 13))
    assert (trend[0].l1_mean, trend[0].responses) == (4.0, 1)
    assert (trend[1].l1_mean, trend[1].responses) == (2.0, 1)
    assert (trend[2].l1_mean, trend[2].responses) == (4.0, 5)
    assert (trend[3].l1_mean, trend[3].responses) == (None, 0)
    by_unit = scores.evaluation_trend(2025, unit_id=other_unit.id)
    assert by_unit[2].l1_mean == 4.0
    assert scores.evaluation_trend(2025, unit_id=unit.id)[0] == scores.TrendPoint(1, None, 1)  # under 5


def test_trend_ignores_other_purposes(organizer, make_user):
    survey = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.SURVEY, audience=FormAudience.ALL_ASN)
    make_response(survey, make_user(), {0: 5}, submitted_at=datetime(2025, 5, 5, tzinfo=UTC))
    assert all(point.responses == 0 for point in scores.evaluation_trend(2025))


def test_moderation_queue_needs_a_moderator(filled, organizer, make_user):
    with pytest.raises(PermissionDenied):
        moderation.recent_text_answers(organizer)
    page = moderation.recent_text_answers(make_user(Role.MODERATOR))
    assert page.total == 3


def test_a_response_today_counts_in_this_years_trend(organizer, make_user):
    form = make_form(organizer, [Q(LIKERT, "x")], workshop=make_workshop(organizer))
    make_response(form, make_user(), {0: 3}, submitted_at=datetime.now(UTC) - timedelta(minutes=1))
    year = to_local(datetime.now(UTC)).year
    assert sum(point.responses for point in scores.evaluation_trend(year)) == 1
