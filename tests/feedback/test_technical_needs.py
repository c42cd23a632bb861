"""Technical needs from the catalogue (issue 13, item 6): answering the new question kind, ranking picked and coded
needs beside the managerial ones, BKPSDM coding written needs, the moderators' queue below the anonymity
threshold, the needs export with its pools, and the pages for each role."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.feedback.models import Answer, FormAudience, FormPurpose, LikertScale, QuestionKind, Response
from portal.feedback.services import (
    AnalysisError,
    InvalidAnswers,
    answering,
    moderation,
    needs_analysis,
    technical_needs,
)
from portal.feedback.services.needs_export import needs_csv_table, needs_sheets
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import GRID, LONG, make_competency

TECHNICAL = QuestionKind.TECHNICAL


@pytest.fixture
def catalogue():
    managerial = Competency(code="M.01", category=CompetencyCategory.MANAGERIAL, name="Integritas")
    retired = Competency(code="T.OLD.01", category=CompetencyCategory.TECHNICAL, name="Mesin Ketik", is_active=False)
    db.session.add_all([managerial, retired])
    db.session.commit()
    return {
        "M.01": managerial,
        "T.OLD.01": retired,
        "T.ARS.01": make_competency("T.ARS.01", "Kearsipan Dinamis"),
        "T.GIS.01": make_competency("T.GIS.01", "Pemetaan Geospasial"),
    }


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _survey(owner, catalogue, anonymous=False, extra=()):
    """0: grid with one item for M.01 (need scale); 1: technical question (optional); then ``extra``."""
    return make_form(
        owner,
        [
            Q(
                GRID,
                "Seberapa perlu?",
                options=["Integritas"],
                competencies=(catalogue["M.01"].id,),
                columns={"scale": LikertScale.NEED},
            ),
            Q(TECHNICAL, "Kompetensi teknis yang paling Anda perlukan", columns={"required": False}),
            *extra,
        ],
        purpose=FormPurpose.NEEDS_SURVEY,
        audience=FormAudience.ALL_ASN,
        title="Survei Kebutuhan 2026",
        anonymous=anonymous,
    )


def _answer(form, user, grid: int, pick=None, other: str = ""):
    grid_q, tech_q = form.questions[0], form.questions[1]
    data = {f"q{grid_q.id}_{grid_q.options[0].id}": str(grid), f"q{tech_q.id}": "" if pick is None else str(pick)}
    if other:
        data[f"q{tech_q.id}_lainnya"] = other
    return answering.submit(user, form, data).response


def _rows(rows):
    return [(r.competency.code, round(r.mean_need, 4), round(r.high_share, 4), r.respondents) for r in rows]


# ---------------------------------------------------------------- answering


def test_a_technical_need_is_picked_from_the_catalogue_or_written(organizer, make_user, catalogue):
    form = _survey(organizer, catalogue)
    picked = _answer(form, make_user(), 4, catalogue["T.ARS.01"].id)
    written = _answer(form, make_user(), 4, "lainnya", "  Pemetaan   drone  ")
    typed_only = _answer(form, make_user(), 4, None, "Statistik")
    skipped = _answer(form, make_user(), 4)
    tech = form.questions[1].id

    def stored(response):
        return [(a.competency_id, a.value_text) for a in response.answers if a.question_id == tech]

    assert stored(picked) == [(catalogue["T.ARS.01"].id, None)]
    assert stored(written) == [(None, "Pemetaan drone")]
    assert stored(typed_only) == [(None, "Statistik")]
    assert stored(skipped) == []


@pytest.mark.parametrize("pick", ["999999", "M.01", "T.OLD.01", "abc", "lainnya"])
def test_a_bad_technical_answer_is_a_field_error_and_stores_nothing(organizer, make_user, catalogue, pick):
    form = _survey(organizer, catalogue)
    value = str(catalogue[pick].id) if pick in catalogue else pick
    with pytest.raises(InvalidAnswers) as raised:
        _answer(form, make_user(), 4, value)  # "lainnya" without a text is refused too
    assert list(raised.value.errors) == [form.questions[1].id]
    message = str(raised.value.errors[form.questions[1].id])
    assert "katalog" in message or "Tuliskan" in message
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_picker_lists_only_active_technical_competencies(catalogue):
    codes = [c.code for c in technical_needs.technical_choices()]
    assert codes == ["T.ARS.01", "T.GIS.01"]
    assert [c.code for c in technical_needs.technical_choices("geospasial")] == ["T.GIS.01"]


# ---------------------------------------------------------------- ranking and coding


@pytest.fixture
def answered(organizer, make_user, catalogue):
    """Six answers from one unit: M.01 scored 3 by all; T.ARS.01 picked 3 times, T.GIS.01 twice, one written."""
    form = _survey(organizer, catalogue)
    for pick in ("T.ARS.01", "T.ARS.01", "T.ARS.01", "T.GIS.01", "T.GIS.01"):
        _answer(form, make_user(), 3, catalogue[pick].id)
    _answer(form, make_user(), 3, "lainnya", "Pengelolaan arsip elektronik")
    return form


def test_technical_needs_rank_beside_the_managerial_ones(answered, organizer, unit):
    needs = needs_analysis.analyse_needs(organizer, survey_id=answered.id)
    # every answer scores 5 for its pick and 1 for the other technical need picked there; the written answer
    # (not coded yet) answered the question, so it scores 1 for both: T.ARS.01 (5+5+5+1+1+1)/6, T.GIS.01 14/6
    assert _rows(needs.rows) == [
        ("T.ARS.01", 3.0, 0.5, 6),
        ("M.01", 3.0, 0.0, 6),
        ("T.GIS.01", round(14 / 6, 4), round(2 / 6, 4), 6),
    ]
    assert needs.uncoded == 1
    [row] = needs.matrix  # the unit holds six answers: it stands alone, with its own ranking
    assert row.unit.id == unit.id and [r.competency.code for r in row.top] == ["T.ARS.01", "M.01", "T.GIS.01"]
    assert [r.competency.code for r in needs_analysis.top_needs(unit_id=unit.id)][:1] == ["T.ARS.01"]


def test_coding_a_written_need_makes_it_count_and_is_audited(answered, organizer, admin, catalogue):
    [written] = technical_needs.written_needs(admin, needs_analysis.needs_scope(answered.id, None)).items
    assert written.value_text == "Pengelolaan arsip elektronik" and written.competency_id is None
    with pytest.raises(PermissionDenied):
        technical_needs.code_written_need(organizer, written.id, catalogue["T.ARS.01"].id)
    for bad in (catalogue["M.01"].id, catalogue["T.OLD.01"].id, 999999, "x"):
        with pytest.raises(AnalysisError) as raised:
            technical_needs.code_written_need(admin, written.id, bad)
        assert raised.value.field == "competency_id"
    with pytest.raises(AnalysisError):
        technical_needs.code_written_need(admin, 999999, catalogue["T.ARS.01"].id)
    assert db.session.get(Answer, written.id).competency_id is None

    technical_needs.code_written_need(admin, written.id, str(catalogue["T.ARS.01"].id))
    needs = needs_analysis.analyse_needs(organizer, survey_id=answered.id)
    assert _rows(needs.rows)[0] == ("T.ARS.01", round(22 / 6, 4), round(4 / 6, 4), 6)
    assert needs.uncoded == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "feedback.need_code"))
    assert entry.actor_id == admin.id and entry.details["competency"] == "T.ARS.01"
    assert entry.details["before"] is None

    technical_needs.code_written_need(admin, written.id, "")  # taken back
    assert db.session.get(Answer, written.id).competency_id is None
    assert needs_analysis.analyse_needs(organizer, survey_id=answered.id).rows[0].mean_need == 3.0


def test_older_free_text_answers_can_be_coded_too(organizer, admin, make_user, catalogue):
    form = _survey(organizer, catalogue, extra=[Q(LONG, "Kompetensi teknis lain", columns={"required": False})])
    for _ in range(5):
        make_response(form, make_user(), {0: {0: 4}, 2: "Manajemen arsip"})
    page = technical_needs.written_needs(admin, needs_analysis.needs_scope(form.id, None))
    assert page.total == 5
    for answer in page.items[:4]:
        technical_needs.code_written_need(admin, answer.id, catalogue["T.ARS.01"].id)
    rows = _rows(needs_analysis.analyse_needs(organizer, survey_id=form.id).rows)
    assert rows == [("T.ARS.01", 4.2, 0.8, 5), ("M.01", 4.0, 1.0, 5)]  # four coded: (4 x 5 + 1) / 5


def test_written_needs_of_an_anonymous_survey_below_the_threshold_stay_hidden(organizer, admin, make_user, catalogue):
    form = _survey(organizer, catalogue, anonymous=True)
    response = _answer(form, make_user(), 4, "lainnya", "Sesuatu yang khas")
    scope = needs_analysis.needs_scope(form.id, None)
    assert technical_needs.written_needs(admin, scope).total == 0
    text = next(a for a in response.answers if a.value_text)
    with pytest.raises(AnalysisError):
        technical_needs.code_written_need(admin, text.id, catalogue["T.ARS.01"].id)
    for _ in range(4):
        _answer(form, make_user(), 4, catalogue["T.GIS.01"].id)
    assert technical_needs.written_needs(admin, scope).total == 1


# ---------------------------------------------------------------- moderation queue


def test_the_moderation_queue_leaves_out_anonymous_forms_below_the_threshold(organizer, make_user, login_as):
    moderator = make_user(Role.MODERATOR)
    anonymous = make_form(organizer, [Q(LONG, "Saran")], anonymous=True, title="Evaluasi anonim")
    named = make_form(organizer, [Q(LONG, "Saran")], title="Evaluasi bernama")
    make_response(anonymous, make_user(), {0: "Satu-satunya saran rahasia"})
    make_response(named, make_user(), {0: "Saran bernama"})
    texts = [a.value_text for a in moderation.recent_text_answers(moderator).items]
    assert texts == ["Saran bernama"]
    client = login_as(Role.MODERATOR)
    html = client.get("/evaluasi/moderasi").get_data(as_text=True)
    assert "Saran bernama" in html and "Satu-satunya saran rahasia" not in html
    for n in range(4):
        make_response(anonymous, make_user(), {0: f"Saran {n}"})
    texts = [a.value_text for a in moderation.recent_text_answers(moderator).items]
    assert "Satu-satunya saran rahasia" in texts and len(texts) == 6
    assert "Satu-satunya saran rahasia" in client.get("/evaluasi/moderasi").get_data(as_text=True)


# ---------------------------------------------------------------- export


@pytest.fixture
def pooled(organizer, make_user, make_unit, unit, catalogue):
    """Diskominfo: five answers (alone); Dinas A and Dinas B three each (pooled as "Dinas (gabungan)")."""
    form = _survey(organizer, catalogue)
    dinas_a, dinas_b = make_unit("Dinas A"), make_unit("Dinas B")
    for place, count, pick in ((unit, 5, "T.ARS.01"), (dinas_a, 3, "T.GIS.01"), (dinas_b, 3, "T.GIS.01")):
        for _ in range(count):
            _answer(form, make_user(unit_id=place.id), 4, catalogue[pick].id)
    return form


def test_the_export_has_one_sheet_per_unit_or_pool_naming_its_units(pooled, organizer, admin_client):
    needs = needs_analysis.analyse_needs(organizer, survey_id=pooled.id)
    names = [name for name, _table in needs_sheets(needs)]
    assert names == ["Kebutuhan", "1. Dinas Komunikasi dan Informa", "2. Dinas (gabungan)"]
    assert "Dinas A, Dinas B" in [cell for row in needs_csv_table(needs) for cell in row]

    response = admin_client.get(f"/kebutuhan-kompetensi.xlsx?survei={pooled.id}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == names
    pool = [list(row) for row in book["2. Dinas (gabungan)"].iter_rows(values_only=True)]
    assert pool[0][:2] == ["Unit atau gabungan", "Dinas (gabungan)"]
    assert pool[1][:2] == ["Unit di dalamnya", "Dinas A, Dinas B"]
    assert pool[2][:2] == ["Responden", 6]
    ranking = [row[1] for row in pool[5:]]
    assert ranking[0] == "T.GIS.01" and "M.01" in ranking
    city = list(book["Kebutuhan"].iter_rows(values_only=True))
    assert city[0][0] == "Peringkat" and {row[1] for row in city[1:]} == {"T.ARS.01", "T.GIS.01", "M.01"}

    text = admin_client.get(f"/kebutuhan-kompetensi.csv?survei={pooled.id}").data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len({len(row) for row in table}) == 1  # every row equally long
    rows = [row[:2] for row in table]
    assert ["Unit atau gabungan", "Dinas (gabungan)"] in rows and ["Unit di dalamnya", "Dinas A, Dinas B"] in rows
    assert ["Unit di dalamnya", "Dinas Komunikasi dan Informatika"] in rows


# ---------------------------------------------------------------- pages, per role


def test_answer_page_offers_the_catalogue_picker_and_refuses_a_bad_pick(organizer, catalogue, member_client):
    form = _survey(organizer, catalogue)
    tech = form.questions[1]
    html = member_client.get(f"/evaluasi/{form.id}/isi").get_data(as_text=True)
    assert f'<select class="form-select" id="q{tech.id}" name="q{tech.id}"' in html
    assert "T.ARS.01 Kearsipan Dinamis" in html and "Integritas</option>" not in html
    assert f'name="q{tech.id}_lainnya"' in html and 'value="lainnya"' in html
    grid = form.questions[0]
    data = {f"q{grid.id}_{grid.options[0].id}": "4", f"q{tech.id}": str(catalogue["M.01"].id), "action": "submit"}
    response = member_client.post(f"/evaluasi/{form.id}/isi", data=data)
    assert response.status_code == 400
    assert "Pilih kompetensi teknis dari daftar katalog" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    data[f"q{tech.id}"] = str(catalogue["T.GIS.01"].id)
    assert member_client.post(f"/evaluasi/{form.id}/isi", data=data).status_code == 302
    assert (
        db.session.scalar(select(Answer.competency_id).where(Answer.question_id == tech.id)) == catalogue["T.GIS.01"].id
    )


def test_picker_search_answers_options(catalogue, client):
    html = client.get("/evaluasi/kompetensi-teknis?cari=arsip&field=q7&q7=lainnya").get_data(as_text=True)
    assert "T.ARS.01 Kearsipan Dinamis" in html and "T.GIS.01" not in html
    assert '<option value="lainnya" selected>' in html


def test_needs_page_and_coding_per_role(answered, catalogue, login_as):
    written = db.session.scalar(select(Answer).where(Answer.value_text == "Pengelolaan arsip elektronik"))
    url = f"/kebutuhan-kompetensi?survei={answered.id}"
    code_url = f"/kebutuhan-kompetensi/tertulis/{written.id}"
    data = {"competency_id": catalogue["T.ARS.01"].id, "survei": answered.id}

    member = login_as(Role.MEMBER)
    assert member.get(url).status_code == 403
    assert member.post(code_url, data=data).status_code == 403

    organizer = login_as(Role.ORGANIZER)
    html = organizer.get(url).get_data(as_text=True)
    assert "T.ARS.01 Kearsipan Dinamis" in html  # ranked beside M.01
    assert "1 kebutuhan teknis tertulis belum dikodekan BKPSDM" in html
    assert "Pengelolaan arsip elektronik" not in html  # the texts are BKPSDM's to read
    assert "mengambil gabungan atau unit terkecil" in html  # "Cara menghitung" describes pooling
    assert organizer.post(code_url, data=data).status_code == 403

    admin = login_as(Role.ADMIN)
    html = admin.get(url).get_data(as_text=True)
    assert "Pengelolaan arsip elektronik" in html and "Belum dikodekan" in html
    bad = admin.post(code_url, data={**data, "competency_id": catalogue["M.01"].id})
    assert bad.status_code == 400 and "Pilih kompetensi teknis yang ada dalam katalog." in bad.get_data(as_text=True)
    assert db.session.get(Answer, written.id).competency_id is None
    assert admin.post(code_url, data=data, csrf=False).status_code == 400
    response = admin.post(code_url, data=data)
    assert response.status_code == 302 and response.location.endswith(f"?survei={answered.id}#tertulis")
    db.session.expire_all()
    assert db.session.get(Answer, written.id).competency_id == catalogue["T.ARS.01"].id
    assert "Kode: T.ARS.01" in admin.get(url).get_data(as_text=True)


def test_results_and_exports_of_a_technical_question(answered, organizer, catalogue, login_as):
    from portal.feedback.services import exports, results

    res = results.form_results(answered)
    tech = next(q for q in res.questions if q.question.kind == TECHNICAL)
    assert [(r.competency.code, r.count) for r in tech.competencies] == [("T.ARS.01", 3), ("T.GIS.01", 2)]
    assert tech.n == 6 and [a.value_text for a in tech.texts.items] == ["Pengelolaan arsip elektronik"]
    table = exports.aggregate_table(res)
    assert [tech.question.label, "T.ARS.01 Kearsipan Dinamis", 6, None, None, None, None, 3, 50.0] in table
    raw = exports.raw_table(answered)
    column = raw[0].index(tech.question.label)
    assert sorted(str(row[column]) for row in raw[1:]) == sorted(
        ["T.ARS.01 Kearsipan Dinamis"] * 3 + ["T.GIS.01 Pemetaan Geospasial"] * 2 + ["Pengelolaan arsip elektronik"]
    )
    client = login_as(Role.ADMIN)
    html = client.get(f"/evaluasi/{answered.id}/hasil").get_data(as_text=True)
    assert "T.ARS.01 Kearsipan Dinamis" in html and "Pengelolaan arsip elektronik" in html
