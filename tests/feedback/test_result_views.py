"""Request tests of the results, needs-analysis and program-review pages: who sees what, filters, htmx
moderation, exports, and bad input (status 400, a clear message, nothing saved)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import Answer, FormAudience, NeedLink, Program, ProgramReview
from portal.feedback.services import ProgramInput, program_review
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import LIKERT, SHORT, evaluation, make_competency, make_workshop, needs_survey


@pytest.fixture
def owner_client(login_as):
    return login_as(Role.ORGANIZER)


@pytest.fixture
def filled(owner_client, make_user):
    owner = owner_client.user
    workshop = make_workshop(owner)
    form = evaluation(owner, workshop)
    for likert, text in ((5, "Materi bagus"), (4, "Kurang <b>praktik</b>"), (4, None), (2, "Ruangan panas")):
        values = {0: likert, 1: {0: likert, 1: 4}, 2: 1, 3: [0], 4: 3}
        if text:
            values[5] = text
        make_response(form, make_user(), values)
    return form


def _html(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- results page


def test_owner_sees_numbers_charts_and_texts(owner_client, filled):
    response = owner_client.get(f"/evaluasi/{filled.id}/hasil")
    html = _html(response)
    assert response.status_code == 200
    assert "n = 4" in html and "<strong>3,75</strong>" in html  # (5 + 4 + 4 + 2) / 4
    assert 'data-chart="hbar"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "Kurang &lt;b&gt;praktik&lt;/b&gt;" in html  # escaped, never markup
    assert "Materi bagus" in html
    assert "Sembunyikan" not in html  # organizers do not moderate


def test_who_may_open_the_results(filled, login_as, client):
    assert login_as(Role.ADMIN).get(f"/evaluasi/{filled.id}/hasil").status_code == 200
    assert login_as(Role.ORGANIZER).get(f"/evaluasi/{filled.id}/hasil").status_code == 404
    assert login_as(Role.MEMBER).get(f"/evaluasi/{filled.id}/hasil").status_code == 404
    assert client.get(f"/evaluasi/{filled.id}/hasil").status_code == 302
    assert login_as(Role.ORGANIZER).get("/evaluasi/999999/hasil").status_code == 404


def test_moderators_see_only_text_answers(filled, moderator_client):
    html = _html(moderator_client.get(f"/evaluasi/{filled.id}/hasil"))
    assert "Ruangan panas" in html and "Sembunyikan" in html
    assert "3,75" not in html and "hasil.csv" not in html
    assert moderator_client.get(f"/evaluasi/{filled.id}/hasil.csv").status_code == 404


def test_reversed_date_range_is_refused_with_a_message(owner_client, filled):
    response = owner_client.get(f"/evaluasi/{filled.id}/hasil?dari=2026-03-10&sampai=2026-03-01")
    assert response.status_code == 400
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir." in _html(response)
    assert owner_client.get(f"/evaluasi/{filled.id}/hasil.csv?dari=2026-03-10&sampai=2026-03-01").status_code == 400


def test_date_filters_are_read_day_first(owner_client, filled):
    reversed_range = owner_client.get(f"/evaluasi/{filled.id}/hasil?dari=10/03/2026&sampai=01/03/2026")
    assert reversed_range.status_code == 400  # 10 March after 1 March: read day first, not month first
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir." in _html(reversed_range)
    bad = owner_client.get(f"/evaluasi/{filled.id}/hasil?dari=03/15/2026")
    assert bad.status_code == 400 and "Tulis hari/bulan/tahun" in _html(bad)
    page = _html(owner_client.get(f"/evaluasi/{filled.id}/hasil?dari=01/01/2020"))
    assert 'value="01/01/2020"' in page and 'placeholder="hh/bb/tttt"' in page


def test_unit_filter_of_an_anonymous_form_hides_small_groups(owner_client, make_user, unit, make_unit):
    other = make_unit("Dinas Pendidikan")
    form = make_form(owner_client.user, [Q(LIKERT, "Penyelenggaraan"), Q(SHORT, "Saran")], anonymous=True)
    for index in range(9):
        make_response(form, make_user(unit_id=unit.id if index < 4 else other.id), {0: 4, 1: f"Saran rahasia {index}"})
    html = _html(owner_client.get(f"/evaluasi/{form.id}/hasil?unit={unit.id}"))
    assert "terlalu sedikit tanggapan untuk ditampilkan (min. 5)" in html
    assert "Saran rahasia" not in html and "n = 4" not in html
    shown = _html(owner_client.get(f"/evaluasi/{form.id}/hasil"))
    assert "n = 9" in shown and "Saran rahasia 0" in shown
    after_filters = shown.split("</form>", 1)[1]
    assert "Saran rahasia 0" in after_filters and unit.label not in after_filters  # no unit next to answers


def test_text_answers_page_and_htmx_fragment(owner_client, make_user):
    form = make_form(owner_client.user, [Q(SHORT, "Saran")], audience=FormAudience.ALL_ASN)
    for index in range(12):
        make_response(form, make_user(), {0: f"Saran nomor {index:02d}"})
    question = form.questions[0]
    page = owner_client.get(f"/evaluasi/{form.id}/hasil/teks/{question.id}?page=2")
    assert page.status_code == 200 and "<html" in _html(page)
    assert "Saran nomor 01" in _html(page) and "Saran nomor 11" not in _html(page)
    fragment = owner_client.get(f"/evaluasi/{form.id}/hasil/teks/{question.id}?page=2", headers={"HX-Request": "true"})
    assert "<html" not in _html(fragment) and f'id="texts-{question.id}"' in _html(fragment)
    likert = make_form(owner_client.user, [Q(LIKERT, "x")])
    assert owner_client.get(f"/evaluasi/{likert.id}/hasil/teks/{likert.questions[0].id}").status_code == 404


# ---------------------------------------------------------------- hiding answers


def test_moderator_hides_an_answer_with_htmx_and_managers_see_only_the_placeholder(
    filled, moderator_client, owner_client
):
    answer = db.session.scalar(select(Answer).where(Answer.value_text == "Ruangan panas"))
    url = f"/evaluasi/{filled.id}/hasil/jawaban/{answer.id}/sembunyikan"
    response = moderator_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="answer-{answer.id}"' in _html(response) and "Tampilkan kembali" in _html(response)
    db.session.refresh(answer)
    assert answer.hidden_at is not None
    owner_html = _html(owner_client.get(f"/evaluasi/{filled.id}/hasil"))
    assert "Ruangan panas" not in owner_html and "— disembunyikan —" in owner_html
    raw = _html(owner_client.get(f"/evaluasi/{filled.id}/jawaban.csv"))
    assert "Ruangan panas" not in raw and "[disembunyikan]" in raw
    back = moderator_client.post(f"/evaluasi/{filled.id}/hasil/jawaban/{answer.id}/tampilkan")
    assert back.status_code == 302
    db.session.refresh(answer)
    assert answer.hidden_at is None


def test_managers_and_members_cannot_hide(filled, owner_client, member_client):
    answer = db.session.scalar(select(Answer).where(Answer.value_text == "Ruangan panas"))
    assert owner_client.post(f"/evaluasi/{filled.id}/hasil/jawaban/{answer.id}/sembunyikan").status_code == 403
    assert member_client.post(f"/evaluasi/{filled.id}/hasil/jawaban/{answer.id}/sembunyikan").status_code == 404
    db.session.refresh(answer)
    assert answer.hidden_at is None


def test_moderation_queue(filled, moderator_client, owner_client):
    html = _html(moderator_client.get("/evaluasi/moderasi"))
    assert "Ruangan panas" in html and filled.title in html
    assert owner_client.get("/evaluasi/moderasi").status_code == 403


# ---------------------------------------------------------------- exports


def test_aggregate_and_raw_exports(owner_client, filled):
    csv = owner_client.get(f"/evaluasi/{filled.id}/hasil.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert "Penyelenggaraan,Semua jawaban,4,3.75,4.0,2.0,5.0" in _html(csv)
    xlsx = owner_client.get(f"/evaluasi/{filled.id}/jawaban.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["No.", "Dikirim (WIB)", "Unit"] and sheet.max_row == 5


def test_raw_export_of_an_anonymous_form_has_no_unit_or_date(owner_client, make_user, unit):
    form = make_form(owner_client.user, [Q(LIKERT, "Penyelenggaraan")], anonymous=True)
    for index in range(6):  # one of the six in a unit of its own: no unit column
        make_response(form, make_user(unit_id=unit.id if index == 0 else None), {0: 4})
    xlsx = owner_client.get(f"/evaluasi/{form.id}/jawaban.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [cell.value for cell in sheet[1]] == ["Penyelenggaraan"]


# ---------------------------------------------------------------- compare, workshop summary


def _two_runs(owner, make_user):
    program = program_review.create_program(owner, ProgramInput("Pelayanan Prima"))
    forms = []
    for title, values in (("Angkatan 1", (4, 2)), ("Angkatan 2", (5, 4))):
        workshop = make_workshop(owner, title, trainer_names="Budi Santoso")
        program_review.assign_workshop(owner, program, workshop.id)
        form = make_form(
            owner, [Q(LIKERT, "Penguasaan materi", columns={"trainer_name": "Budi Santoso"})], workshop=workshop
        )
        for value in values:
            make_response(form, make_user(), {0: value})
        forms.append(form)
    return program, forms


def test_compare_two_runs(owner_client, make_user, member_client):
    _program, (a, b) = _two_runs(owner_client.user, make_user)
    assert f'value="{b.id}"' in _html(owner_client.get(f"/evaluasi/{a.id}/hasil"))
    response = owner_client.get(f"/evaluasi/{a.id}/bandingkan?dengan={b.id}")
    html = _html(response)
    assert response.status_code == 200
    assert "+1,50" in html  # 3.0 -> 4.5
    assert "Budi Santoso" in html and "3,75" in html  # the trainer overall: (4 + 2 + 5 + 4) / 4
    chooser = owner_client.get(f"/evaluasi/{a.id}/bandingkan")
    assert chooser.status_code == 200 and f'value="{b.id}"' in _html(chooser)
    unrelated = make_form(owner_client.user, [Q(LIKERT, "x")], workshop=make_workshop(owner_client.user))
    refused = owner_client.get(f"/evaluasi/{a.id}/bandingkan?dengan={unrelated.id}")
    assert refused.status_code == 400
    assert "bukan dua pelaksanaan" in _html(refused)
    assert owner_client.get("/evaluasi/999999/bandingkan").status_code == 404
    assert member_client.get(f"/evaluasi/{a.id}/bandingkan?dengan={b.id}").status_code == 403


def test_workshop_summary(owner_client, make_user, login_as, filled):
    workshop_id = filled.workshop_id
    html = _html(owner_client.get(f"/evaluasi/pelatihan/{workshop_id}/ringkasan"))
    assert "L1 rata-rata reaksi" in html and "3,83" in html  # 5 5 4 | 4 4 4 | 4 4 4 | 2 2 4 -> 46 / 12
    assert login_as(Role.ORGANIZER).get(f"/evaluasi/pelatihan/{workshop_id}/ringkasan").status_code == 403


# ---------------------------------------------------------------- needs analysis


@pytest.fixture
def needs_data(owner_client, make_user):
    competency = make_competency("T.01", "Analisis Data")
    survey = needs_survey(owner_client.user, [competency.id])
    for value in (5, 4, 4, 3, 5):
        make_response(survey, make_user(), {0: {0: value}}, submitted_at=datetime(2025, 4, 1, tzinfo=UTC))
    planned = make_workshop(owner_client.user, "Pelatihan Analisis Data", starts_at=utcnow() + timedelta(days=9))
    planned.status = "published"
    db.session.commit()
    return competency, survey, planned


def test_needs_page(owner_client, needs_data, member_client):
    competency, survey, planned = needs_data
    response = owner_client.get("/kebutuhan-kompetensi")
    html = _html(response)
    assert response.status_code == 200
    assert "T.01 Analisis Data" in html and "<strong>4,20</strong>" in html and "80%" in html
    assert "Pelatihan Analisis Data" in html  # offered for linking
    assert member_client.get("/kebutuhan-kompetensi").status_code == 403
    assert owner_client.get("/kebutuhan-kompetensi?tahun=1800").status_code == 400
    assert owner_client.get("/kebutuhan-kompetensi?survei=999999").status_code == 400
    export = owner_client.get(f"/kebutuhan-kompetensi.csv?survei={survey.id}")
    assert "1,T.01,Analisis Data,4.2,80.0,5" in _html(export)


def test_link_and_unlink_a_need(owner_client, needs_data, login_as):
    competency, survey, planned = needs_data
    data = {"competency_id": competency.id, "workshop_id": planned.id, "survey_id": survey.id, "tahun": 2025}
    response = owner_client.post("/kebutuhan-kompetensi/tautan", data=data)
    assert response.status_code == 302 and response.location.endswith(
        f"/kebutuhan-kompetensi?tahun=2025#kebutuhan-{competency.id}"
    )
    link = db.session.scalar(select(NeedLink))
    assert (link.workshop_id, link.survey_id) == (planned.id, survey.id)
    html = _html(owner_client.get("/kebutuhan-kompetensi?tahun=2025"))
    assert "Dijawab" in html
    assert login_as(Role.ORGANIZER).post(f"/kebutuhan-kompetensi/tautan/{link.id}/hapus").status_code == 403
    assert owner_client.post(f"/kebutuhan-kompetensi/tautan/{link.id}/hapus").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(NeedLink)) == 0


def test_linking_someone_elses_workshop_is_refused(needs_data, login_as):
    competency, _survey, planned = needs_data
    stranger = login_as(Role.ORGANIZER)
    response = stranger.post(
        "/kebutuhan-kompetensi/tautan", data={"competency_id": competency.id, "workshop_id": planned.id}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(NeedLink)) == 0


# ---------------------------------------------------------------- programs


def test_create_program_and_bad_input(owner_client):
    bad = owner_client.post("/evaluasi/program/baru", data={"name": "ab", "l1_threshold": "3,5"})
    assert bad.status_code == 400 and "Nama program 3–200 karakter." in _html(bad)
    bad_threshold = owner_client.post(
        "/evaluasi/program/baru", data={"name": "Pelayanan Prima", "l1_threshold": "tinggi"}
    )
    assert bad_threshold.status_code == 400 and "Ambang L1 harus angka antara 1 dan 5." in _html(bad_threshold)
    assert db.session.scalar(select(func.count()).select_from(Program)) == 0
    created = owner_client.post("/evaluasi/program/baru", data={"name": "Pelayanan Prima", "l1_threshold": "3,75"})
    program = db.session.scalar(select(Program))
    assert created.status_code == 302 and program.l1_threshold == 3.75
    assert "Pelayanan Prima" in _html(owner_client.get("/evaluasi/program"))


def test_program_page_assign_and_review(owner_client, make_user, login_as):
    program, _forms = _two_runs(owner_client.user, make_user)
    html = _html(owner_client.get(f"/evaluasi/program/{program.id}"))
    assert "Angkatan 1" in html and "Angkatan 2" in html and "4,50" in html
    extra = make_workshop(owner_client.user, "Angkatan 3")
    assert (
        owner_client.post(f"/evaluasi/program/{program.id}/pelatihan", data={"workshop_id": extra.id}).status_code
        == 302
    )
    assert extra in db.session.get(Program, program.id).workshops
    no_decision = owner_client.post(
        f"/evaluasi/program/{program.id}/tinjauan", data={"decision": "", "note": "Catatan"}
    )
    assert no_decision.status_code == 400 and "Pilih keputusan tinjauan." in _html(no_decision)
    assert db.session.scalar(select(func.count()).select_from(ProgramReview)) == 0
    done = owner_client.post(
        f"/evaluasi/program/{program.id}/tinjauan",
        data={
            "decision": "change_method",
            "note": "Lebih banyak praktik.",
            "owner_id": owner_client.user.id,
            "due_on": (utcnow() + timedelta(days=10)).date().isoformat(),
        },
    )
    assert done.status_code == 302
    history = _html(owner_client.get(f"/evaluasi/program/{program.id}"))
    assert "Ubah metode" in history and "Lebih banyak praktik." in history
    stranger = login_as(Role.ORGANIZER)
    assert stranger.get(f"/evaluasi/program/{program.id}").status_code == 200  # organizers read every program
    assert (
        stranger.post(
            f"/evaluasi/program/{program.id}/tinjauan", data={"decision": "keep", "note": "Bagus"}
        ).status_code
        == 403
    )
    assert stranger.get(f"/evaluasi/program/{program.id}/ubah").status_code == 403


def test_flagged_program_shows_its_reasons(owner_client, make_user):
    program = program_review.create_program(owner_client.user, ProgramInput("Literasi Digital", l1_threshold=4.0))
    workshop = make_workshop(owner_client.user, "Angkatan 1")
    program_review.assign_workshop(owner_client.user, program, workshop.id)
    form = make_form(owner_client.user, [Q(LIKERT, "x")], workshop=workshop)
    make_response(form, make_user(), {0: 3})
    html = _html(owner_client.get("/evaluasi/program?tinjau=1"))
    assert "Literasi Digital" in html and "di bawah ambang 4,00" in html
