"""Programs that evaluate themselves: the evaluation every new run gets, decisions with an owner, a due date and a
next run, "perlu ditinjau" until decided, and the run after a decision against the runs before it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.permissions import PermissionDenied, Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackForm, FormPurpose, FormStatus, ProgramReview
from portal.feedback.services import AnalysisError, DecisionInput, ProgramInput, program_review
from portal.feedback.services import program_effects as effects
from portal.feedback.services import program_evaluation as evaluations
from portal.workshops.models import WorkshopStatus
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import LIKERT, make_workshop


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


def _sources(owner):
    l1 = make_form(owner, [Q(LIKERT, "Materi")], title="Evaluasi standar", status=FormStatus.DRAFT, is_template=True)
    pre = make_form(owner, [Q(LIKERT, "x")], title="Pre", purpose=FormPurpose.PRE_TEST, status=FormStatus.DRAFT)
    follow = make_form(
        owner, [Q(LIKERT, "Diterapkan")], title="L3", purpose=FormPurpose.FOLLOWUP_SUPERVISOR, status=FormStatus.DRAFT
    )
    return l1, pre, follow


def _define(organizer, program):
    l1, pre, follow = _sources(organizer)
    data = evaluations.EvaluationInput(
        l1_form_id=l1.id, pre_test_form_id=pre.id, supervisor_form_id=follow.id, followup_days=60
    )
    evaluations.save_evaluation(organizer, program, data)
    return l1, pre, follow


def _decide(actor, program, decision="change_method", now=None, **kw):
    now = now or utcnow()
    kw.setdefault("owner_id", actor.id)
    kw.setdefault("due_on", now.date() + timedelta(days=14))
    return program_review.record_review(actor, program, DecisionInput(decision, "Ganti ceramah.", **kw), now=now)


def test_a_new_run_gets_the_programs_forms_linked(organizer):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    l1, pre, follow = _define(organizer, program)
    run = make_workshop(organizer, "Angkatan 2", status=WorkshopStatus.PUBLISHED)
    program_review.assign_workshop(organizer, program, run.id)
    forms = db.session.scalars(select(FeedbackForm).where(FeedbackForm.workshop_id == run.id)).all()
    assert sorted((f.purpose, f.copied_from_id) for f in forms) == sorted(
        [(FormPurpose.EVALUATION, l1.id), (FormPurpose.PRE_TEST, pre.id), (FormPurpose.FOLLOWUP_SUPERVISOR, follow.id)]
    )
    assert all(f.status == FormStatus.DRAFT and not f.is_template for f in forms)
    assert next(f for f in forms if f.purpose == FormPurpose.FOLLOWUP_SUPERVISOR).followup_days == 60
    assert [q.label for q in next(f for f in forms if f.purpose == FormPurpose.EVALUATION).questions] == ["Materi"]


def test_a_workshop_created_for_the_program_joins_it_with_its_forms(organizer, app):
    from portal.core import signals

    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    _define(organizer, program)
    run = make_workshop(organizer, "Angkatan 3", status=WorkshopStatus.DRAFT)
    signals.workshop_created.send(run, actor=organizer, origin=f"evaluasi:{program.id}")
    db.session.commit()
    assert [w.id for w in program.workshops] == [run.id]
    assert db.session.scalar(select(func.count()).where(FeedbackForm.workshop_id == run.id)) == 3
    other = make_workshop(organizer, "Lain", status=WorkshopStatus.DRAFT)  # someone else's program: nothing happens
    stranger_program = program_review.create_program(organizer, ProgramInput("Program lain"))
    signals.workshop_created.send(other, actor=organizer, origin="evaluasi:999999")
    assert stranger_program.workshops == []


def test_evaluation_input_is_checked_and_nothing_saved(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima"))
    l1, _pre, follow = _sources(organizer)
    foreign = make_form(make_user(Role.ORGANIZER), [Q(LIKERT, "x")], status=FormStatus.DRAFT)
    for data, field in (
        (evaluations.EvaluationInput(l1_form_id=foreign.id), "l1_form_id"),
        (evaluations.EvaluationInput(pre_test_form_id=l1.id), "pre_test_form_id"),  # wrong purpose
        (evaluations.EvaluationInput(supervisor_form_id=follow.id), "followup_days"),
        (evaluations.EvaluationInput(followup_days=0), "followup_days"),
    ):
        with pytest.raises(AnalysisError) as error:
            evaluations.save_evaluation(organizer, program, data)
        assert error.value.field == field
        db.session.rollback()
    with pytest.raises(PermissionDenied):
        evaluations.save_evaluation(make_user(Role.ORGANIZER), program, evaluations.EvaluationInput())
    assert program.evaluation is None


def test_decision_lifecycle_and_bad_input(organizer, make_user):
    program = program_review.create_program(organizer, ProgramInput("Pelayanan Prima", l1_threshold=3.5))
    past = make_workshop(organizer, "Angkatan 1", starts_at=utcnow() - timedelta(days=30))
    form = make_form(organizer, [Q(LIKERT, "x")], workshop=past)
    for value in (2, 3):
        make_response(form, make_user(), {0: value})
    program_review.assign_workshop(organizer, program, past.id)
    nxt = make_workshop(
        organizer, "Angkatan 2", starts_at=utcnow() + timedelta(days=20), status=WorkshopStatus.PUBLISHED
    )
    program_review.assign_workshop(organizer, program, nxt.id)
    summary = program_review.program_summary(organizer, program)
    assert summary.flagged and summary.needs_review
    today = utcnow().date()
    for kw, field in (
        ({"decision": "improve"}, "decision"),
        ({"due_on": today - timedelta(days=2)}, "due_on"),
        ({"owner_id": make_user(Role.MEMBER).id}, "owner_id"),
        ({"next_workshop_id": past.id}, "next_workshop_id"),
    ):
        with pytest.raises(AnalysisError) as error:
            _decide(organizer, program, **kw)
        assert error.value.field == field
    assert db.session.scalar(select(func.count()).select_from(ProgramReview)) == 0
    review = _decide(organizer, program, next_workshop_id=nxt.id)
    assert (review.owner_id, review.next_workshop_id) == (organizer.id, nxt.id)
    summary = program_review.program_summary(organizer, program)
    assert summary.flagged and not summary.needs_review and summary.latest_review == review


def _run_with_followups(organizer, make_user, program, title, start, changed, total, anonymous=False):
    run = make_workshop(organizer, title, starts_at=start)
    form = make_form(
        organizer,
        [Q(LIKERT, "Diterapkan")],
        purpose=FormPurpose.FOLLOWUP_PARTICIPANT,
        workshop=run,
        anonymous=anonymous,
    )
    for index in range(total):
        make_response(form, None if anonymous else make_user(), {0: 5 if index < changed else 2})
    program_review.assign_workshop(organizer, program, run.id)
    return run


def test_results_after_the_decision_against_before(organizer, make_user):
    now = utcnow()
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    _run_with_followups(organizer, make_user, program, "Angkatan 1", now - timedelta(days=200), 1, 9)  # 11 %
    decided_at = now - timedelta(days=150)
    _decide(organizer, program, now=decided_at)
    _run_with_followups(organizer, make_user, program, "Angkatan 2", now - timedelta(days=100), 12, 25)  # 48 %
    effect = effects.decision_effect(program_review.program_summary(organizer, program))
    assert effect is not None and effect.next_run is not None
    assert effect.next_run.workshop.title == "Angkatan 2"
    l3 = next(c for c in effect.changes if c.level == "L3")
    assert round(l3.before.value) == 11 and round(l3.after.value) == 48


def test_anonymous_run_below_the_threshold_shows_no_figure(organizer, make_user, app):
    app.config["FEEDBACK_MIN_RESPONSES"] = 5
    now = utcnow()
    program = program_review.create_program(organizer, ProgramInput("Literasi Digital"))
    _run_with_followups(organizer, make_user, program, "Angkatan 1", now - timedelta(days=200), 1, 9)
    _decide(organizer, program, now=now - timedelta(days=150))
    _run_with_followups(organizer, make_user, program, "Angkatan 2", now - timedelta(days=100), 4, 4, anonymous=True)
    effect = effects.decision_effect(program_review.program_summary(organizer, program))
    assert effect is not None
    l3 = next(c for c in effect.changes if c.level == "L3")
    assert l3.after.withheld and l3.after.value is None


# ---------------------------------------------------------------- requests


def test_pages_per_role(login_as, make_user):
    member = login_as(Role.MEMBER)
    organizer_client = login_as(Role.ORGANIZER)
    program = program_review.create_program(organizer_client.user, ProgramInput("Pelayanan Prima"))
    url = f"/evaluasi/program/{program.id}/evaluasi"
    assert member.get(url).status_code == 403
    assert login_as(Role.ORGANIZER).get(url).status_code == 403  # not the program's owner
    assert login_as(Role.ADMIN).get(url).status_code == 200
    page = organizer_client.get(url)
    assert page.status_code == 200 and "Evaluasi program" in page.get_data(as_text=True)
    shown = organizer_client.get(f"/evaluasi/program/{program.id}").get_data(as_text=True)
    assert "Atur evaluasi" in shown and f"asal=evaluasi:{program.id}" in shown.replace("%3A", ":")


def test_bad_decision_post_changes_nothing(login_as):
    client = login_as(Role.ORGANIZER)
    program = program_review.create_program(client.user, ProgramInput("Pelayanan Prima"))
    url = f"/evaluasi/program/{program.id}/tinjauan"
    past = (utcnow() - timedelta(days=3)).date().isoformat()
    response = client.post(
        url, data={"decision": "keep", "note": "Alasan jelas", "owner_id": client.user.id, "due_on": past}
    )
    assert response.status_code == 400 and "Tenggat tidak boleh sebelum hari ini." in response.get_data(as_text=True)
    response = client.post(url, data={"decision": "xx", "note": "Alasan jelas", "owner_id": client.user.id})
    assert response.status_code == 400 and "Pilih keputusan tinjauan." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProgramReview)) == 0
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    response = client.post(
        url, data={"decision": "keep", "note": "Alasan jelas", "owner_id": client.user.id, "due_on": due}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgramReview)) == 1
    bad_eval = client.post(f"/evaluasi/program/{program.id}/evaluasi", data={"followup_days": "0"})
    assert bad_eval.status_code == 400 and program.evaluation is None
