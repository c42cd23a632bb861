"""Needs analysis and program review: hand-computed needs, per-unit suppression, need links, programs, flags,
review history, and the contract the learning dashboard calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FormPurpose, NeedLink, Program, ProgramReview, ReviewDecision
from portal.feedback.services import AnalysisError, ProgramInput, needs_analysis, program_review
from portal.workshops.models import WorkshopStatus
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import LIKERT, make_competency, make_workshop, needs_survey

IN_2025 = datetime(2025, 6, 10, 3, tzinfo=UTC)


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


@pytest.fixture
def other_unit(make_unit):
    return make_unit("Dinas Pendidikan", short_name="Disdik")


@pytest.fixture
def catalogue():
    return (
        make_competency("T.01", "Analisis Data"),
        make_competency("T.02", "Pelayanan Publik"),
        make_competency("T.03", "Kearsipan"),
    )


@pytest.fixture
def survey(organizer, make_user, unit, other_unit, catalogue):
    """Grid items for T.01 and T.02, a multiple choice of T.02 and T.03; five answers from ``unit``, two from
    ``other_unit`` (see the hand computation in the tests)."""
    c1, c2, c3 = catalogue
    form = needs_survey(organizer, [c1.id, c2.id], [c2.id, c3.id])
    rows = [  # (unit, T.01, T.02, chosen options)
        (unit, 5, 3, [1]),
        (unit, 4, 4, [0, 1]),
        (unit, 5, 2, None),  # did not answer the choice question
        (unit, 3, 5, [0]),
        (unit, 4, 3, [1]),
        (other_unit, 2, 5, [0]),
        (other_unit, 1, 4, [0, 1]),
    ]
    for place, first, second, chosen in rows:
        values = {0: {0: first, 1: second}}
        if chosen is not None:
            values[1] = chosen
        make_response(form, make_user(unit_id=place.id), values, submitted_at=IN_2025)
    return form


def _rows(rows):
    return [(r.competency.code, round(r.mean_need, 4), round(r.high_share, 4), r.respondents) for r in rows]


# ---------------------------------------------------------------- needs


def test_needs_per_competency_ranked(survey, organizer):
    needs = needs_analysis.analyse_needs(organizer, survey_id=survey.id)
    # T.02: grid 3 4 2 5 3 5 4 (26) + chosen 5 5 5 5, unchosen 1 1 (22) -> 48/13, 8 of 13 high
    # T.03: choice only, 5 5 1 5 1 5 -> 22/6, 4 of 6 high; T.01: 5 4 5 3 4 2 1 -> 24/7, 4 of 7 high
    assert _rows(needs.rows) == [
        ("T.02", round(48 / 13, 4), round(8 / 13, 4), 7),
        ("T.03", round(22 / 6, 4), round(4 / 6, 4), 6),
        ("T.01", round(24 / 7, 4), round(4 / 7, 4), 7),
    ]
    assert needs.respondents == 7
    assert not needs.suppressed


def test_a_unit_too_small_alone_is_pooled_with_the_smallest_group_that_hides_nobody(
    survey, organizer, unit, other_unit
):
    needs = needs_analysis.analyse_needs(organizer, survey_id=survey.id)
    assert [c.code for c in needs.matrix_competencies] == ["T.02", "T.03", "T.01"]
    # Disdik (2) cannot stand alone; Bappeda (5) alone would show the city minus Bappeda = Disdik's two answers,
    # so the two form one pool "OPD lain" that names both, and both units' needs show.
    [row] = needs.matrix
    assert row.pool.pooled and row.unit is None and str(row.pool.label) == "OPD lain (gabungan)"
    assert {u.id for u in row.pool.members} == {unit.id, other_unit.id}
    assert row.respondents == 7 and not row.suppressed
    assert row.cells == [pytest.approx(48 / 13), pytest.approx(22 / 6), pytest.approx(24 / 7)]
    assert [r.competency.code for r in row.top] == ["T.02", "T.03", "T.01"]


def test_needs_of_one_unit_are_those_of_its_pool(survey, organizer, unit, other_unit):
    city = needs_analysis.analyse_needs(organizer, survey_id=survey.id)
    for member in (unit, other_unit):
        mine = needs_analysis.analyse_needs(organizer, survey_id=survey.id, unit_id=member.id)
        assert not mine.suppressed and mine.respondents == 7
        assert _rows(mine.rows) == _rows(city.rows)
        assert mine.pool is not None and {u.id for u in mine.pool.members} == {unit.id, other_unit.id}
        assert mine.matrix == []
        table = needs_analysis.needs_table(mine)
        assert any("Gabungan:" in str(cell) and other_unit.name in str(cell) for row in table for cell in row)


def test_top_needs_contract(survey, organizer, unit, other_unit, catalogue, make_user):
    top = needs_analysis.top_needs(limit=2)
    assert [r.competency.code for r in top] == ["T.02", "T.03"]
    assert isinstance(top[0].mean_need, float) and isinstance(top[0].respondents, int)
    # both units are in one pool of seven: each one's needs are the pool's
    assert [r.competency.code for r in needs_analysis.top_needs(unit_id=unit.id)] == ["T.02", "T.03", "T.01"]
    assert [r.competency.code for r in needs_analysis.top_needs(unit_id=other_unit.id)] == ["T.02", "T.03", "T.01"]
    assert needs_analysis.top_needs(year=2024) == []
    older = needs_survey(organizer, [catalogue[2].id])
    make_response(older, make_user(), {0: {0: 5}}, submitted_at=datetime(2024, 5, 1, tzinfo=UTC))
    assert _rows(needs_analysis.top_needs(year=2024)) == [("T.03", 5.0, 1.0, 1)]
    assert needs_analysis.needs_years() == [2025, 2024]
    assert [r.competency.code for r in needs_analysis.top_needs()] == ["T.02", "T.03", "T.01"]  # the latest year


def test_needs_of_a_year_pool_its_surveys_and_skip_other_purposes(survey, organizer, make_user, catalogue):
    second = needs_survey(organizer, [catalogue[0].id])
    make_response(second, make_user(), {0: {0: 5}}, submitted_at=IN_2025)
    other = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.SURVEY)
    make_response(other, make_user(), {0: 1}, submitted_at=IN_2025)
    needs = needs_analysis.analyse_needs(organizer, year=2025)
    assert needs.respondents == 8
    t01 = next(r for r in needs.rows if r.competency.code == "T.01")
    assert (t01.mean_need, t01.respondents) == (pytest.approx(29 / 8), 8)


def test_needs_page_input_is_checked(survey, organizer, make_user):
    with pytest.raises(AnalysisError):
        needs_analysis.analyse_needs(organizer, survey_id=999999)
    evaluation = make_form(organizer, [Q(LIKERT, "x")])
    with pytest.raises(AnalysisError):
        needs_analysis.analyse_needs(organizer, survey_id=evaluation.id)
    with pytest.raises(AnalysisError):
        needs_analysis.analyse_needs(organizer, survey_id=survey.id, unit_id=999999)
    with pytest.raises(PermissionDenied):
        needs_analysis.analyse_needs(make_user(Role.MEMBER))


def test_needs_table_for_export(survey, organizer):
    table = needs_analysis.needs_table(needs_analysis.analyse_needs(organizer, survey_id=survey.id))
    assert table[0][0] == "Peringkat"
    assert table[1] == [1, "T.02", "Pelayanan Publik", 3.69, 61.5, 7]


# ---------------------------------------------------------------- need links


def test_link_a_planned_workshop_to_a_need(survey, organizer, catalogue):
    planned = make_workshop(organizer, "Pelatihan Arsip", starts_at=utcnow() + timedelta(days=20), status="published")
    link = needs_analysis.link_need(organizer, catalogue[2].id, planned.id, survey.id)
    assert (link.workshop_id, link.competency_id, link.survey_id, link.created_by_id) == (
        planned.id,
        catalogue[2].id,
        survey.id,
        organizer.id,
    )
    needs = needs_analysis.analyse_needs(organizer, survey_id=survey.id)
    assert [link.workshop.title for link in needs.links[catalogue[2].id]] == ["Pelatihan Arsip"]
    assert db.session.scalar(select(AuditEntry.action)) == "feedback.need_link"
    with pytest.raises(AnalysisError):
        needs_analysis.link_need(organizer, catalogue[2].id, planned.id)  # twice


def test_only_own_workshops_that_have_not_started_can_be_linked(organizer, catalogue, make_user):
    started = make_workshop(organizer, starts_at=utcnow() - timedelta(hours=1), status="published")
    someone_elses = make_workshop(make_user(Role.ORGANIZER), starts_at=utcnow() + timedelta(days=5), status="published")
    cancelled = make_workshop(organizer, starts_at=utcnow() + timedelta(days=5), status="cancelled")
    for workshop in (started, someone_elses, cancelled):
        with pytest.raises(AnalysisError) as error:
            needs_analysis.link_need(organizer, catalogue[0].id, workshop.id)
        assert error.value.field == "workshop_id"
    future = make_workshop(organizer, starts_at=utcnow() + timedelta(days=5), status="draft")
    with pytest.raises(AnalysisError):
        needs_analysis.link_need(organizer, 999999, future.id)
    assert db.session.scalar(select(func.count()).select_from(NeedLink)) == 0


def test_unlinking_is_for_the_workshops_managers(organizer, catalogue, make_user):
    planned = make_workshop(organizer, starts_at=utcnow() + timedelta(days=5), status="published")
    link = needs_analysis.link_need(organizer, catalogue[0].id, planned.id)
    with pytest.raises(PermissionDenied):
        needs_analysis.unlink_need(make_user(Role.ORGANIZER), link)
    needs_analysis.unlink_need(make_user(Role.ADMIN), link)
    assert db.session.scalar(select(func.count()).select_from(NeedLink)) == 0


# ---------------------------------------------------------------- programs


def test_program_input_is_validated_and_nothing_saved(organizer):
    program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    bad = [
        (ProgramInput("ab"), "name"),
        (ProgramInput("  pelayanan   PRIMA "), "name"),  # the same name
        (ProgramInput("Literasi Digital", l1_threshold=5.5), "l1_threshold"),
        (ProgramInput("Literasi Digital", l1_threshold=None), "l1_threshold"),
        (ProgramInput("Literasi Digital", description="x" * 5001), "description"),
    ]
    for data, field_name in bad:
        with pytest.raises(AnalysisError) as error:
            program_review.create_program(organizer, data)
        assert error.value.field == field_name
    assert db.session.scalar(select(func.count()).select_from(Program)) == 1


def test_only_owner_or_admin_edits_a_program(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima", l1_threshold=3.25))
    with pytest.raises(PermissionDenied):
        program_review.update_program(make_user(Role.ORGANIZER), program, ProgramInput("Lain"))
    program_review.update_program(make_user(Role.ADMIN), program, ProgramInput("Pelayanan Prima 2", "Baru", 4))
    assert (program.name, program.description, program.l1_threshold) == ("Pelayanan Prima 2", "Baru", 4.0)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["feedback.program_create", "feedback.program_update"]


def test_assigning_runs(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    other = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    mine = make_workshop(organizer)
    program_review.assign_workshop(organizer, program, mine.id)
    with pytest.raises(AnalysisError):
        program_review.assign_workshop(organizer, other, mine.id)  # one program per workshop
    with pytest.raises(AnalysisError):
        program_review.assign_workshop(organizer, program, make_workshop(make_user(Role.ORGANIZER)).id)
    assert program_review.assignable_workshops(organizer) == []
    program_review.unassign_workshop(organizer, program, mine.id)
    assert program.workshops == [] and program_review.assignable_workshops(organizer) == [mine]
    with pytest.raises(AnalysisError):
        program_review.unassign_workshop(organizer, program, mine.id)


def _run(organizer, make_user, program, title, days_ago, evaluations, followups=()):
    workshop = make_workshop(organizer, title, starts_at=utcnow() - timedelta(days=days_ago))
    program_review.assign_workshop(organizer, program, workshop.id)
    if evaluations:
        form = make_form(organizer, [Q(LIKERT, "Penyelenggaraan")], workshop=workshop)
        for value in evaluations:
            make_response(form, make_user(), {0: value})
    if followups:
        form = make_form(organizer, [Q(LIKERT, "Berubah")], purpose=FormPurpose.FOLLOWUP_PARTICIPANT, workshop=workshop)
        for value in followups:
            make_response(form, make_user(), {0: value})
    return workshop


def test_program_flagged_when_latest_l1_is_below_threshold(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima", l1_threshold=3.5))
    _run(organizer, make_user, program, "Angkatan 1", 100, [5, 4])
    _run(organizer, make_user, program, "Angkatan 2", 10, [3, 3, 4, 2])  # 3.0
    _run(organizer, make_user, program, "Angkatan 3", -10, [])  # upcoming: no evaluation yet
    summary = program_review.program_summary(organizer, program)
    assert [run.workshop.title for run in summary.runs] == ["Angkatan 1", "Angkatan 2", "Angkatan 3"]
    assert [run.l1_mean for run in summary.runs] == [4.5, 3.0, None]
    assert summary.l1_mean == 3.0 and summary.flagged
    assert summary.reasons == ["Rata-rata L1 pelaksanaan terakhir (Angkatan 2) 3,00, di bawah ambang 3,50."]


def test_program_flagged_when_l3_shows_no_change(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital", l1_threshold=3.5))
    _run(organizer, make_user, program, "Angkatan 1", 200, [4], followups=[5, 4, 3, 2, 2])  # 2 of 5 changed
    _run(organizer, make_user, program, "Angkatan 2", 20, [4, 5])  # follow-ups not due yet
    summary = program_review.program_summary(organizer, program)
    assert summary.l1_mean == 4.5
    assert summary.l3_change_share == pytest.approx(0.4)
    assert summary.flagged
    assert summary.reasons == [
        "L3 tidak menunjukkan perubahan: hanya 40% dari 5 tanggapan tindak lanjut (Angkatan 1) melaporkan "
        "perubahan; ambangnya 50%."
    ]


def test_four_followups_are_not_enough_to_flag(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    _run(organizer, make_user, program, "Angkatan 1", 200, [4], followups=[1, 1, 1, 1])
    summary = program_review.program_summary(organizer, program)
    assert summary.l3_change_share == 0.0 and not summary.flagged


def test_half_reporting_change_is_not_flagged(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    _run(organizer, make_user, program, "Angkatan 1", 200, [4], followups=[5, 4, 4, 2, 2, 1])
    assert not program_review.program_summary(organizer, program).flagged


def test_cancelled_workshops_are_not_runs(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    _run(organizer, make_user, program, "Angkatan 1", 30, [4])
    cancelled = _run(organizer, make_user, program, "Batal", 5, [1])
    cancelled.status = WorkshopStatus.CANCELLED
    db.session.commit()
    summary = program_review.program_summary(organizer, program)
    assert [run.workshop.title for run in summary.runs] == ["Angkatan 1"]
    assert not summary.flagged


def test_l2_gain_of_the_latest_run_with_tests(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    workshop = _run(organizer, make_user, program, "Angkatan 1", 30, [4])
    pre = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.PRE_TEST, workshop=workshop)
    post = make_form(organizer, [Q(LIKERT, "x")], purpose=FormPurpose.POST_TEST, workshop=workshop)
    make_response(pre, make_user(), {}, score=2, max_score=5)
    make_response(post, make_user(), {}, score=4, max_score=5)
    assert program_review.program_summary(organizer, program).l2_gain == pytest.approx(40.0)


def _decide(actor, program, decision, note):
    due = utcnow().date() + timedelta(days=7)
    data = program_review.DecisionInput(decision, note, owner_id=actor.id, due_on=due)
    return program_review.record_review(actor, program, data)


def test_review_decisions_are_a_history(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    first = _decide(organizer, program, "change_method", "Ganti ceramah dengan praktik.")
    second = _decide(organizer, program, "keep", "Setelah diubah, nilai naik.")
    assert [r.id for r in program.reviews] == [second.id, first.id]
    assert program_review.program_summary(organizer, program).latest_review == second
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "feedback.program_review").order_by(AuditEntry.id)
    ).all()
    assert [e.details["decision"] for e in entries] == ["change_method", "keep"]


def test_a_review_needs_a_decision_and_a_note(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    for decision, note, field_name in (
        (None, "Alasan yang jelas", "decision"),
        ("", "Alasan yang jelas", "decision"),
        ("improve", "Alasan yang jelas", "decision"),
        ("keep", "   ", "note"),
        ("keep", "x" * 2001, "note"),
    ):
        with pytest.raises(AnalysisError) as error:
            _decide(organizer, program, decision, note)
        assert error.value.field == field_name
    with pytest.raises(PermissionDenied):
        _decide(make_user(Role.ORGANIZER), program, "keep", "Bukan program saya")
    assert db.session.scalar(select(func.count()).select_from(ProgramReview)) == 0


def test_flagged_programs_contract(organizer, make_user):
    low = program_review.create_program(organizer, ProgramInput("B Program rendah"))
    _run(organizer, make_user, low, "Run rendah", 30, [2, 3])
    retired = program_review.create_program(organizer, ProgramInput("C Program dihentikan"))
    _run(organizer, make_user, retired, "Run dihentikan", 30, [1])
    _decide(organizer, retired, ReviewDecision.RETIRE.value, "Tidak dilanjutkan lagi.")
    reviewed = program_review.create_program(organizer, ProgramInput("A Program sudah ditinjau"))
    _run(organizer, make_user, reviewed, "Run ditinjau", 30, [2])
    _decide(organizer, reviewed, "change_material", "Materi diperbarui.")
    good = program_review.create_program(organizer, ProgramInput("D Program baik"))
    _run(organizer, make_user, good, "Run baik", 30, [5])
    flagged = program_review.flagged_programs()
    assert [s.program.name for s in flagged] == ["B Program rendah", "A Program sudah ditinjau"]
    first = flagged[0]
    assert first.flagged and first.reasons and first.l1_mean == 2.5
    assert first.l2_gain is None and first.l3_change_share is None
    assert [run.workshop.title for run in first.runs] == ["Run rendah"]
    assert [s.program.name for s in program_review.list_programs(organizer, flagged_only=True)] == [
        "A Program sudah ditinjau",
        "B Program rendah",
        "C Program dihentikan",
    ]


def test_small_units_pool_by_kind_and_every_pool_names_its_units(organizer, make_user, make_unit, catalogue):
    from portal.units.models import UnitKind

    office = make_unit("Dinas Kesehatan")
    districts = [make_unit(f"Kecamatan {n}", kind=UnitKind.DISTRICT) for n in ("Barangin", "Talawi")]
    agencies = [make_unit(f"Badan {n}", kind=UnitKind.AGENCY) for n in ("Keuangan", "Perencanaan")]
    single = make_unit("Kantor Lain", kind=UnitKind.OTHER)
    form = needs_survey(organizer, [catalogue[0].id])
    for place, count in ((office, 5), (districts[0], 3), (districts[1], 3), (agencies[0], 2), (agencies[1], 4)):
        for _ in range(count):
            make_response(form, make_user(unit_id=place.id), {0: {0: 4}}, submitted_at=IN_2025)
    needs = needs_analysis.analyse_needs(organizer, survey_id=form.id)
    shown = [(str(r.pool.label), sorted(u.name for u in r.pool.members), r.respondents) for r in needs.matrix]
    assert shown == [
        ("Dinas Kesehatan", ["Dinas Kesehatan"], 5),
        ("Badan (gabungan)", ["Badan Keuangan", "Badan Perencanaan"], 6),
        ("Kecamatan (gabungan)", ["Kecamatan Barangin", "Kecamatan Talawi"], 6),
    ]
    assert all(not r.suppressed and r.cells == [4.0] for r in needs.matrix)
    # one answer from a unit of kind "lainnya": "OPD lain" takes in the smallest pool to reach five
    make_response(form, make_user(unit_id=single.id), {0: {0: 2}}, submitted_at=IN_2025)
    needs = needs_analysis.analyse_needs(organizer, survey_id=form.id)
    last = needs.matrix[-1]
    assert str(last.pool.label) == "OPD lain (gabungan)" and last.respondents == 7
    assert sorted(u.name for u in last.pool.members) == ["Badan Keuangan", "Badan Perencanaan", "Kantor Lain"]
    mine = needs_analysis.analyse_needs(organizer, survey_id=form.id, unit_id=single.id)
    assert mine.pool is not None and mine.respondents == 7 and mine.rows[0].mean_need == pytest.approx(26 / 7)
    html_units = [r.unit for r in needs.matrix if r.unit is not None]
    assert [u.name for u in html_units] == ["Dinas Kesehatan"]
