"""Anonymous means anonymous (issue 13, item 5): an anonymous form shows nothing — aggregates, texts, exports,
charts, comparisons, L1/L2/L3, trainer scores, trends, needs — until it has the minimum number of responses
(setting FEEDBACK_MIN_RESPONSES, default 5); the results page says how many are still needed."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.feedback.models import FormAudience, FormPurpose
from portal.feedback.services import ProgramInput, comparison, exports, needs_analysis, program_review, results, scores
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import LIKERT, SHORT, make_competency, make_workshop, needs_survey

SECRET = "RAHASIA-jawaban"


@pytest.fixture
def owner_client(login_as):
    return login_as(Role.ORGANIZER)


def _runs(owner, make_user, anonymous_answers: int):
    """Two runs of one program: run A named (5 answers), run B anonymous with ``anonymous_answers`` answers,
    each a trainer question (value 1 in B) and a free text holding SECRET."""
    program = program_review.create_program(owner, ProgramInput("Pelayanan Prima"))
    forms = []
    for title, anonymous, count in (("Angkatan 1", False, 5), ("Angkatan 2", True, anonymous_answers)):
        workshop = make_workshop(owner, title, trainer_names="Budi Santoso")
        program_review.assign_workshop(owner, program, workshop.id)
        form = make_form(
            owner,
            [Q(LIKERT, "Penguasaan materi", columns={"trainer_name": "Budi Santoso"}), Q(SHORT, "Saran")],
            workshop=workshop,
            anonymous=anonymous,
        )
        for index in range(count):
            make_response(form, make_user(), {0: 1 if anonymous else 4, 1: f"{SECRET} {index}" if anonymous else ""})
        forms.append(form)
    return program, forms


def _text(response) -> str:
    return response.get_data(as_text=True)


def _export_text(response) -> str:
    if response.mimetype == "text/csv":
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(_text(response).lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(("answers", "needed"), [(1, 4), (4, 1)])
def test_below_the_threshold_nothing_of_an_anonymous_form_shows(owner_client, make_user, answers, needed):
    owner = owner_client.user
    program, (named, anonymous) = _runs(owner, make_user, answers)

    page = owner_client.get(f"/evaluasi/{anonymous.id}/hasil")
    html = _text(page)
    assert page.status_code == 200
    assert SECRET not in html
    assert f"Masih perlu {needed} tanggapan lagi" in html and "minimal 5 tanggapan" in html
    texts = owner_client.get(f"/evaluasi/{anonymous.id}/hasil/teks/{anonymous.questions[1].id}")
    assert texts.status_code == 200 and SECRET not in _text(texts)
    for url in ("hasil.csv", "hasil.xlsx", "jawaban.csv", "jawaban.xlsx"):
        download = owner_client.get(f"/evaluasi/{anonymous.id}/{url}")
        content = _export_text(download)
        assert download.status_code == 200
        assert SECRET not in content and f"Masih perlu {needed} tanggapan lagi" in content
        assert "Penguasaan materi" not in content  # no question, no figure

    compared = owner_client.get(f"/evaluasi/{named.id}/bandingkan?dengan={anonymous.id}")
    assert compared.status_code == 200 and f"Masih perlu {needed} tanggapan lagi" in _text(compared)
    result = comparison.compare(owner, named, anonymous)
    assert result.overall_b is None and all(row.mean_b is None and row.n_b == 0 for row in result.rows)
    assert result.overall_a == 4.0 and result.needed_b == needed

    ids = [named.workshop_id, anonymous.workshop_id]
    assert anonymous.workshop_id not in scores.l1_by_workshop(ids)
    [trainer] = scores.trainer_scores(ids)
    assert trainer.per_workshop == {named.workshop_id: 4.0} and trainer.overall == 4.0  # B's 1s are not in it
    assert all(point.responses == 0 for point in scores.evaluation_trend(utcnow().year) if point.l1_mean is None)
    assert sum(point.responses for point in scores.evaluation_trend(utcnow().year)) == 5
    summary = owner_client.get(f"/evaluasi/pelatihan/{anonymous.workshop_id}/ringkasan")
    assert f"Masih perlu {needed} tanggapan lagi" in _text(summary)
    runs = {run.workshop.id: run for run in program_review.program_summary(owner, program).runs}
    assert runs[anonymous.workshop_id].l1.value is None
    assert "1,00" not in _text(owner_client.get(f"/evaluasi/program/{program.id}"))


def test_moderators_see_no_text_of_an_anonymous_form_below_the_threshold(login_as, make_user):
    owner = make_user(Role.ORGANIZER)
    _program, (_named, anonymous) = _runs(owner, make_user, 4)
    moderator = login_as(Role.MODERATOR)
    html = _text(moderator.get(f"/evaluasi/{anonymous.id}/hasil"))
    assert SECRET not in html and "Masih perlu 1 tanggapan lagi" in html
    assert results.text_results(anonymous) == []


def test_at_the_threshold_the_anonymous_form_shows(owner_client, make_user):
    owner = owner_client.user
    _program, (named, anonymous) = _runs(owner, make_user, 5)
    html = _text(owner_client.get(f"/evaluasi/{anonymous.id}/hasil"))
    assert SECRET in html and "Masih perlu" not in html
    assert SECRET in _export_text(owner_client.get(f"/evaluasi/{anonymous.id}/jawaban.csv"))
    assert "Penguasaan materi" in _export_text(owner_client.get(f"/evaluasi/{anonymous.id}/hasil.xlsx"))
    assert comparison.compare(owner, named, anonymous).overall_b == 1.0
    assert scores.l1_by_workshop([anonymous.workshop_id])[anonymous.workshop_id].value == 1.0
    [trainer] = scores.trainer_scores([named.workshop_id, anonymous.workshop_id])
    assert trainer.per_workshop == {named.workshop_id: 4.0, anonymous.workshop_id: 1.0}


def test_the_threshold_is_a_setting(app, owner_client, make_user):
    app.config["FEEDBACK_MIN_RESPONSES"] = 3
    try:
        form = make_form(owner_client.user, [Q(LIKERT, "Penyelenggaraan")], anonymous=True)
        for _ in range(2):
            make_response(form, make_user(), {0: 4})
        assert results.form_results(form).needed == 1
        assert "minimal 3 tanggapan" in _text(owner_client.get(f"/evaluasi/{form.id}/hasil"))
        make_response(form, make_user(), {0: 4})
        assert not results.form_results(form).suppressed
    finally:
        app.config["FEEDBACK_MIN_RESPONSES"] = 5


def test_anonymous_l3_and_test_gains_count_only_from_the_threshold(organizer_user, make_user):
    workshop = make_workshop(organizer_user)
    followup = make_form(
        organizer_user,
        [Q(LIKERT, "Saya menerapkan")],
        purpose=FormPurpose.FOLLOWUP_PARTICIPANT,
        workshop=workshop,
        anonymous=True,
    )
    pre = make_form(organizer_user, [], purpose=FormPurpose.PRE_TEST, workshop=workshop, anonymous=True)
    for _ in range(4):
        make_response(followup, make_user(), {0: 5})
        make_response(pre, make_user(), {}, score=1, max_score=4)
    assert scores.l3_by_workshop([workshop.id]) == {}
    assert scores.test_gain(workshop.id).pre_n == 0
    make_response(followup, make_user(), {0: 5})
    make_response(pre, make_user(), {}, score=1, max_score=4)
    assert scores.l3_by_workshop([workshop.id])[workshop.id] == scores.ChangeShare(1.0, 5)
    assert scores.test_gain(workshop.id).pre_n == 5


def test_an_anonymous_needs_survey_counts_only_from_the_threshold(organizer_user, make_user):
    competency = make_competency("T.09", "Pengadaan")
    survey = needs_survey(organizer_user, [competency.id], anonymous=True, audience=FormAudience.ALL_ASN)
    for _ in range(4):
        make_response(survey, make_user(), {0: {0: 5}})
    assert needs_analysis.analyse_needs(organizer_user, survey_id=survey.id).rows == []
    assert needs_analysis.top_needs() == []
    make_response(survey, make_user(), {0: {0: 5}})
    assert [r.competency.code for r in needs_analysis.analyse_needs(organizer_user, survey_id=survey.id).rows] == [
        "T.09"
    ]


@pytest.fixture
def organizer_user(make_user):
    return make_user(Role.ORGANIZER)


def test_exports_service_tables_hold_only_the_notice(organizer_user, make_user):
    form = make_form(organizer_user, [Q(SHORT, "Saran")], anonymous=True, audience=FormAudience.ALL_ASN)
    make_response(form, make_user(), {0: SECRET})
    notice = "Formulir anonim: hasilnya ditampilkan setelah ada minimal 5 tanggapan. Masih perlu 4 tanggapan lagi"
    assert exports.raw_table(form) == [["Catatan"], [notice]]
    assert exports.aggregate_table(results.form_results(form))[1][0] == notice
