"""The ledger's pages as a browser uses them: the claim form (with and without htmx), evidence, the verification
queue's row actions, JP rules and targets."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import AnnualTarget, JpRule, LearningRecord, LearningStatus, TargetGroup
from portal.learning.services import get_development_type_by_code, rules
from portal.notifications.models import Notification
from portal.units.models import UnitHead
from tests.conftest import login
from tests.learning.conftest import PDF_BYTES, PNG_BYTES

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _setup(development_types, competencies_catalogue, app):
    yield
    folder = Path(app.config["UPLOAD_ROOT"]) / services.UPLOAD_SUBDIR
    for path in folder.glob("*") if folder.exists() else []:
        path.unlink()


def _form(**fields) -> dict:
    today = services.local_today()
    start = today - timedelta(days=1)
    values = {
        "development_type_id": str(get_development_type_by_code(fields.pop("type_code", "KL06")).id),
        "title": "Seminar Nasional Pelayanan Publik",
        "provider": "Kementerian PANRB",
        "start_date": start.isoformat(),
        "end_date": today.isoformat(),
        "quantity": "2",
        "jp_claimed": "8",
        "competencies": ["M.05"],
        "certificate_number": "SRT-1",
        "description": "Standar pelayanan.",
        "evidence": (io.BytesIO(PDF_BYTES), "sertifikat.pdf"),
    }
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


def _post_record(client, url="/rekam-jejak/ajukan", **fields):
    return client.post(url, data=_form(**fields), content_type="multipart/form-data")


def _fetch(client, url: str):
    """GET a served file and release it (the test client keeps the file open until the response is closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _records() -> list[LearningRecord]:
    return list(db.session.scalars(select(LearningRecord).order_by(LearningRecord.id)))


# ---------------------------------------------------------------- submitting


def test_form_lists_types_and_competencies(member_client):
    page = member_client.get("/rekam-jejak/ajukan").get_data(as_text=True)
    assert "KL06 Seminar/konferensi/sarasehan" in page and "M.05 Pelayanan Publik" in page
    assert 'enctype="multipart/form-data"' in page and 'hx-get="/rekam-jejak/saran-jp"' in page


def test_submit_redirects_to_the_record_with_the_rules_check(member_client):
    response = _post_record(member_client, jp_claimed="10")
    (record,) = _records()
    assert response.status_code == 302 and response.location.endswith(f"/rekam-jejak/kegiatan/{record.id}")
    page = member_client.get(response.location).get_data(as_text=True)
    assert "Kegiatan diajukan dan menunggu verifikasi BKPSDM." in page
    assert "Perhatian: Klaim 10 JP melebihi aturan" in page  # the no-JS suggestion, after submitting
    assert "Saran: 8 JP." in page and "Diajukan" in page
    assert _fetch(member_client, f"/rekam-jejak/kegiatan/{record.id}/bukti").status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"evidence": None}, "Unggah bukti kegiatan"),
        ({"quantity": "5"}, "melebihi rentang tanggal kegiatan"),
        ({"jp_claimed": "banyak"}, "Isi dengan bilangan bulat."),
        ({"start_date": "kemarin"}, "Tanggal tidak valid."),
        ({"start_date": ""}, "Isi tanggal mulai."),
        ({"development_type_id": "0"}, "Pilih jenis pengembangan kompetensi."),
        ({"title": ""}, "Isi nama kegiatan."),
        ({"title": "abc"}, "Nama kegiatan minimal 5 karakter."),
        ({"jp_claimed": None}, "Isi JP yang diajukan."),
    ],
)
def test_bad_submission_shows_the_message_and_saves_nothing(member_client, fields, message):
    response = _post_record(member_client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _records() == []


def test_dates_typed_day_first_are_saved_as_that_day(member_client):
    today = services.local_today()
    start = today - timedelta(days=1)
    response = _post_record(member_client, start_date=start.strftime("%d/%m/%Y"), end_date=today.strftime("%d/%m/%Y"))
    assert response.status_code == 302
    (record,) = _records()
    assert (record.start_date, record.end_date) == (start, today)
    page = member_client.get(f"/rekam-jejak/kegiatan/{record.id}/ubah").get_data(as_text=True)
    assert f'value="{start.strftime("%d/%m/%Y")}"' in page and 'type="date"' not in page


def test_a_month_first_date_is_refused_with_the_order_to_use(member_client):
    response = _post_record(member_client, start_date="12/31/2025")
    assert response.status_code == 400
    assert "Tulis hari/bulan/tahun, misalnya 17/08/2026." in response.get_data(as_text=True)
    assert _records() == []


def test_live_suggestion_reads_day_first_dates(member_client):
    kl06 = get_development_type_by_code("KL06").id
    response = member_client.get(
        f"/rekam-jejak/saran-jp?development_type_id={kl06}&start_date=03/03/2025&end_date=05/03/2025"
        "&quantity=3&jp_claimed=20&is_international=y",
        headers=HTMX,
    )
    assert "Saran: 18 JP." in response.get_data(as_text=True)


def test_live_suggestion_fragment(member_client):
    kl06 = get_development_type_by_code("KL06").id
    response = member_client.get(
        f"/rekam-jejak/saran-jp?development_type_id={kl06}&start_date=2025-03-03&end_date=2025-03-05"
        "&quantity=3&jp_claimed=20&is_international=y",
        headers=HTMX,
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "Saran: 18 JP." in fragment and "Klaim 20 JP melebihi aturan" in fragment
    assert 'data-use-jp="18"' in fragment and 'data-quantity-label="Jumlah hari"' in fragment
    empty = member_client.get("/rekam-jejak/saran-jp?development_type_id=abc&start_date=x", headers=HTMX)
    assert "Pilih jenis dan tanggal" in empty.get_data(as_text=True)


def test_live_suggestion_counts_the_period_limit(member_client, make_record):
    nkl01 = get_development_type_by_code("NKL01")
    for day in (3, 10):
        make_record(member_client.user, "NKL01", datetime(2025, 3, day).date(), jp=2, quantity=1)
    fragment = member_client.get(
        f"/rekam-jejak/saran-jp?development_type_id={nkl01.id}&start_date=2025-03-20&quantity=1", headers=HTMX
    ).get_data(as_text=True)
    assert "Setelah batas periode: 0 JP." in fragment and "Melebihi batas 2 sesi sebulan" in fragment


# ---------------------------------------------------------------- editing, withdrawing, evidence


def test_edit_and_withdraw_by_the_owner(member_client):
    _post_record(member_client)
    (record,) = _records()
    page = member_client.get(f"/rekam-jejak/kegiatan/{record.id}/ubah").get_data(as_text=True)
    assert (
        'value="Seminar Nasional Pelayanan Publik"' in page and "Kosongkan untuk tetap memakai sertifikat.pdf" in page
    )

    response = _post_record(
        member_client, f"/rekam-jejak/kegiatan/{record.id}/ubah", title="Seminar Nasional (ubah)", evidence=None
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LearningRecord, record.id).title == "Seminar Nasional (ubah)"

    assert member_client.post(f"/rekam-jejak/kegiatan/{record.id}/tarik").status_code == 302
    assert _records() == []


def test_a_colleague_cannot_edit_withdraw_or_download(member_client, login_as):
    _post_record(member_client)
    (record,) = _records()
    colleague = login_as(Role.MEMBER)
    assert colleague.get(f"/rekam-jejak/kegiatan/{record.id}/ubah").status_code == 404
    assert colleague.post(f"/rekam-jejak/kegiatan/{record.id}/tarik").status_code == 404
    assert colleague.get(f"/rekam-jejak/kegiatan/{record.id}/bukti").status_code == 404
    assert len(_records()) == 1


def test_supervisor_sees_the_evidence_but_cannot_edit(app, member_client, make_user):
    _post_record(member_client, evidence=(io.BytesIO(PNG_BYTES), "scan.png"))
    (record,) = _records()
    supervisor = make_user()
    member_client.user.supervisor_id = supervisor.id
    db.session.commit()
    client = login(app.test_client(), supervisor)
    evidence = _fetch(client, f"/rekam-jejak/kegiatan/{record.id}/bukti")
    assert evidence.status_code == 200 and evidence.mimetype == "image/png"
    assert evidence.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/rekam-jejak/kegiatan/{record.id}/ubah").status_code == 403


def test_verified_record_has_no_edit_button_and_refuses_edits(member_client, verifier):
    _post_record(member_client)
    (record,) = _records()
    services.approve(verifier, record.id, 8)
    page = member_client.get(f"/rekam-jejak/kegiatan/{record.id}").get_data(as_text=True)
    assert "Tarik pengajuan" not in page and "Terverifikasi" in page
    assert member_client.post(f"/rekam-jejak/kegiatan/{record.id}/tarik").status_code == 403


def test_unit_head_sees_records_of_their_unit(app, member_client, make_user):
    _post_record(member_client)
    (record,) = _records()
    head = make_user()
    db.session.add(UnitHead(unit_id=member_client.user.unit_id, user_id=head.id))
    db.session.commit()
    client = login(app.test_client(), head)
    assert _fetch(client, f"/rekam-jejak/kegiatan/{record.id}/bukti").status_code == 200
    assert "Verifikasi" not in client.get(f"/rekam-jejak/kegiatan/{record.id}").get_data(as_text=True)


# ---------------------------------------------------------------- the queue


@pytest.fixture
def waiting(member_client):
    _post_record(member_client, jp_claimed="10")
    return _records()[0]


def test_queue_shows_the_rule_check_and_evidence(admin_client, waiting):
    page = admin_client.get("/rekam-jejak/verifikasi").get_data(as_text=True)
    assert "Seminar Nasional Pelayanan Publik" in page and "Diajukan 10 JP." in page and "Saran aturan: 8 JP." in page
    assert "melebihi aturan" in page and f"/rekam-jejak/kegiatan/{waiting.id}/bukti" in page
    assert "Seminar Nasional" not in admin_client.get("/rekam-jejak/verifikasi?status=terverifikasi").get_data(
        as_text=True
    )
    assert "Seminar Nasional" in admin_client.get("/rekam-jejak/verifikasi?status=semua").get_data(as_text=True)


def test_queue_paginates(app, admin_client, member_client, monkeypatch):
    monkeypatch.setitem(app.config, "LEARNING_PAGE_SIZE", 2)
    today = services.local_today()
    for n in range(3):  # on different days with their own certificates: not taken for the same activity
        end = today - timedelta(days=3 * n)
        _post_record(
            member_client,
            title=f"Kegiatan nomor {n}",
            start_date=(end - timedelta(days=1)).isoformat(),
            end_date=end.isoformat(),
            certificate_number=f"SRT-{n}",
        )
    first = admin_client.get("/rekam-jejak/verifikasi").get_data(as_text=True)
    second = admin_client.get("/rekam-jejak/verifikasi?page=2").get_data(as_text=True)
    assert "Kegiatan nomor 0" in first and "Kegiatan nomor 2" not in first
    assert "Kegiatan nomor 2" in second and "Halaman 2 dari 2" in second


def test_htmx_approve_swaps_the_row_and_notifies(admin_client, waiting):
    response = admin_client.post(f"/rekam-jejak/kegiatan/{waiting.id}/setujui", data={"jp": "8"}, headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="record-row-{waiting.id}"' in fragment
    assert "Terverifikasi" in fragment and "Diakui 8 JP." in fragment and "<html" not in fragment
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == waiting.user_id)) == (
        "learning.verified"
    )


def test_htmx_return_without_note_shows_the_error_in_the_row(admin_client, waiting):
    fragment = admin_client.post(f"/rekam-jejak/kegiatan/{waiting.id}/kembalikan", headers=HTMX).get_data(as_text=True)
    assert "Tulis catatan untuk pegawai" in fragment and 'role="alert"' in fragment
    db.session.expire_all()
    assert db.session.get(LearningRecord, waiting.id).status == LearningStatus.SUBMITTED


def test_no_js_decisions_redirect_back(admin_client, waiting):
    response = admin_client.post(
        f"/rekam-jejak/kegiatan/{waiting.id}/tolak",
        data={"reason": "Bukan kegiatan pengembangan.", "next": "/rekam-jejak/verifikasi?unit=1"},
    )
    assert response.status_code == 302 and response.location.endswith("/rekam-jejak/verifikasi?unit=1")
    db.session.expire_all()
    assert db.session.get(LearningRecord, waiting.id).status == LearningStatus.REJECTED


def test_next_must_stay_on_the_site(admin_client, waiting):
    response = admin_client.post(
        f"/rekam-jejak/kegiatan/{waiting.id}/kembalikan",
        data={"return_note": "Lengkapi nomor sertifikat.", "next": "//evil.example/"},
    )
    assert response.location.endswith(f"/rekam-jejak/kegiatan/{waiting.id}")


def test_member_cannot_decide(member_client, login_as, waiting):
    organizer = login_as(Role.ORGANIZER)
    assert organizer.post(f"/rekam-jejak/kegiatan/{waiting.id}/setujui", data={"jp": "8"}).status_code == 404
    assert member_client.post(f"/rekam-jejak/kegiatan/{waiting.id}/setujui", data={"jp": "8"}).status_code == 403
    assert member_client.get("/rekam-jejak/verifikasi").status_code == 403


def test_detail_page_offers_the_verifier_the_capped_suggestion(admin_client, waiting):
    page = admin_client.get(f"/rekam-jejak/kegiatan/{waiting.id}").get_data(as_text=True)
    assert "Saran aturan: 8 JP." in page and 'name="jp"' in page and 'value="10"' in page


# ---------------------------------------------------------------- rules and targets


def test_settings_list_every_type_with_its_rule(admin_client):
    page = admin_client.get("/rekam-jejak/pengaturan").get_data(as_text=True)
    assert "2 JP per sesi; paling banyak 2 sesi sebulan" in page and "Aturan JP tahunan" in page


def test_edit_a_rule(admin_client):
    kl06 = get_development_type_by_code("KL06")
    form = admin_client.get(f"/rekam-jejak/pengaturan/jenis/{kl06.id}").get_data(as_text=True)
    assert 'value="4"' in form
    response = admin_client.post(
        f"/rekam-jejak/pengaturan/jenis/{kl06.id}",
        data={"unit": "day", "jp_per_unit": "3", "jp_international": "5", "max_units": "", "limit_period": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (rules.rule_for(kl06.id).jp_per_unit, rules.rule_for(kl06.id).jp_international) == (3, 5)


def test_bad_rule_is_refused(admin_client):
    nkl01 = get_development_type_by_code("NKL01")
    response = admin_client.post(
        f"/rekam-jejak/pengaturan/jenis/{nkl01.id}",
        data={"unit": "session", "jp_per_unit": "2", "max_units": "2", "limit_period": ""},
    )
    assert response.status_code == 400 and "Isi batas dan periodenya bersama-sama" in response.get_data(as_text=True)
    db.session.expire_all()
    assert rules.rule_for(nkl01.id).limit_period is not None
    assert admin_client.get("/rekam-jejak/pengaturan/jenis/999999").status_code == 404


def test_set_targets_page(admin_client):
    year = services.local_today().year
    response = admin_client.post("/rekam-jejak/pengaturan/target", data={"year": str(year), "pns": "20", "pppk": "30"})
    assert response.status_code == 302
    assert services.targets_for_year(year) == {TargetGroup.PNS: 20, TargetGroup.PPPK: 30}
    bad = admin_client.post("/rekam-jejak/pengaturan/target", data={"year": str(year), "pns": "", "pppk": "30"})
    assert bad.status_code == 400 and "Target JP harus 0 sampai 200." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AnnualTarget)) == 1  # PNS 20 is the default: no row


def test_load_reference_data_restores_missing_rules(admin_client):
    db.session.execute(JpRule.__table__.delete())
    db.session.commit()
    assert admin_client.post("/rekam-jejak/pengaturan/data-acuan").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(JpRule)) == 25


# ---------------------------------------------------------------- contributions


def test_claim_a_contribution_from_the_page(member_client):
    article = Article(
        title="Tips loket ramah",
        author_id=member_client.user.id,
        status=ArticleStatus.PUBLISHED,
        published_at=datetime.now(UTC) - timedelta(days=1),
    )
    db.session.add(article)
    db.session.commit()
    page = member_client.get("/rekam-jejak/kontribusi").get_data(as_text=True)
    assert "Tips loket ramah" in page and "2 JP per kegiatan; paling banyak 2 kegiatan sehari" in page

    response = member_client.post("/rekam-jejak/kontribusi", data={"key": f"article:{article.id}"})
    assert response.status_code == 302
    (record,) = _records()
    assert record.contribution_key == f"article:{article.id}"
    detail = member_client.get(f"/rekam-jejak/kegiatan/{record.id}").get_data(as_text=True)
    assert f'href="/artikel/{article.id}"' in detail

    member_client.post("/rekam-jejak/kontribusi", data={"key": f"article:{article.id}"})
    assert len(_records()) == 1
