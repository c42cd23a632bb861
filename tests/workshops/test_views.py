"""Workshop pages as users meet them: browsing, sign-up, organizer tools, check-in, files, verification."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.core import fragments
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services as learning
from portal.learning.models import LearningRecord
from portal.search import services as search
from portal.search.services import SearchFilters
from portal.workshops import services
from portal.workshops.models import Registration, Workshop
from portal.workshops.services import SessionInput
from tests.articles.conftest import counting_queries
from tests.conftest import login


def _registrations() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Registration))


def _index_now() -> None:
    """Apply the search outbox the test's own commits queued, so the next request has nothing to catch up."""
    search.apply_outbox()
    search.take_committed_flag()


def _organizer_client(app, organizer):
    client = app.test_client()
    login(client, organizer)
    return client


def _started(make_workshop, organizer, participant, sessions: int = 1):
    start = datetime.now(UTC) - timedelta(minutes=10)
    workshop = make_workshop(sessions=[SessionInput(start + timedelta(days=n), start + timedelta(days=n, hours=3))
                                       for n in range(sessions)])  # fmt: skip
    services.add_participant(organizer, workshop, participant.nip)
    return services.get(workshop.id)


def test_list_shows_upcoming_workshops_with_seats_and_filters(member_client, make_workshop, make_user):
    full = make_workshop(title="Bimtek Keamanan Informasi", capacity=1, competency_codes=["M.03"])
    services.register(make_user(), full.id)
    make_workshop(title="Pelatihan Pelayanan Prima")
    make_workshop(title="Draf rahasia", status="draft")
    page = member_client.get("/pelatihan").get_data(as_text=True)
    assert "Pelatihan Pelayanan Prima" in page and "30 kursi tersisa" in page
    assert "Penuh — daftar tunggu" in page
    assert "Draf rahasia" not in page
    filtered = member_client.get("/pelatihan?kompetensi=M.03").get_data(as_text=True)
    assert "Bimtek Keamanan Informasi" in filtered and "Pelatihan Pelayanan Prima" not in filtered
    month = full.starts_at.strftime("%Y-%m")
    assert "Bimtek Keamanan Informasi" in member_client.get(f"/pelatihan?bulan={month}&jenis=KL03").get_data(True)
    assert "Belum ada pelatihan" in member_client.get("/pelatihan?jenis=NKL01").get_data(as_text=True)


def test_list_runs_a_bounded_number_of_queries(member_client, make_workshop):
    for n in range(3):
        make_workshop(title=f"Pelatihan nomor {n + 1}")
    member_client.get("/pelatihan")  # compiles templates, caches the catalogue's lookups
    _index_now()
    fragments.clear()  # count what building the list asks, not a cached copy (tests/workshops/test_perf_*)
    with counting_queries() as few:
        member_client.get("/pelatihan")
    for n in range(6):
        make_workshop(title=f"Pelatihan tambahan {n + 1}")
    _index_now()
    fragments.clear()
    with counting_queries() as many:
        member_client.get("/pelatihan")
    assert len(many) == len(few)


def test_calendar_shows_sessions_in_their_month(member_client, make_workshop):
    workshop = make_workshop()
    month = services.to_local(workshop.starts_at).strftime("%Y-%m")
    page = member_client.get(f"/pelatihan/kalender?bulan={month}").get_data(as_text=True)
    assert page.count(workshop.title) == 2  # two sessions
    assert member_client.get("/pelatihan/kalender?bulan=bukan-bulan").status_code == 200


def test_sign_up_with_htmx_then_cancel(member_client, make_workshop):
    workshop = make_workshop(capacity=1)
    response = member_client.post(f"/pelatihan/{workshop.id}/daftar", headers={"HX-Request": "true"})
    box = response.get_data(as_text=True)
    assert box.startswith('<section id="registration-box"') and "Kursi Anda sudah aman" in box
    again = member_client.post(f"/pelatihan/{workshop.id}/daftar", headers={"HX-Request": "true"})
    assert "sudah terdaftar" in again.get_data(as_text=True)
    member_client.post(f"/pelatihan/{workshop.id}/batal-daftar")
    assert "Pendaftaran Anda dibatalkan" in member_client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)


def test_waiting_list_position_is_shown(login_as, make_workshop, make_user):
    workshop = make_workshop(capacity=1)
    services.register(make_user(), workshop.id)
    client = login_as(Role.MEMBER)
    client.post(f"/pelatihan/{workshop.id}/daftar")
    assert "urutan ke-1" in client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)
    assert "urutan ke-1" in client.get("/pelatihan/saya").get_data(as_text=True)


def test_ineligible_member_sees_why_and_a_forged_post_writes_nothing(login_as, make_workshop, make_unit):
    workshop = make_workshop(eligible_unit_ids=[make_unit("Dinas Kesehatan").id])
    client = login_as(Role.MEMBER)
    page = client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)
    assert (
        "hanya untuk pegawai unit kerja tertentu" in page and 'action="/pelatihan/' not in page.split("Pendaftaran")[1]
    )
    forged = client.post(f"/pelatihan/{workshop.id}/daftar", follow_redirects=True)
    assert "hanya untuk pegawai unit kerja tertentu" in forged.get_data(as_text=True)
    assert _registrations() == 0


def test_organizer_creates_a_workshop_through_the_form(app, organizer, development_types, catalogue):
    client = _organizer_client(app, organizer)
    assert client.get("/pelatihan/baru").status_code == 200
    day = (datetime.now(UTC) + timedelta(days=14)).date().isoformat()
    data = {
        "title": "Pelatihan Pelayanan Prima di Mal Pelayanan Publik",
        "description": "Materi pelayanan.",
        "development_type_id": str(learning.get_development_type_by_code("KL03").id),
        "competencies": ["M.05"],
        "provider_unit_id": str(organizer.unit_id),
        "sessions-0-day": day,
        "sessions-0-start": "08:00",
        "sessions-0-end": "11:00",
        "sessions-1-day": day,
        "sessions-1-start": "13:00",
        "sessions-1-end": "16:00",
        "capacity": "30",
        "employment_filter": "all",
        "approval_mode": "automatic",
    }
    response = client.post("/pelatihan/baru", data=data)
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert (workshop.jp, len(workshop.sessions)) == (8, 2)
    assert services.to_local(workshop.starts_at).strftime("%H:%M") == "08:00"  # entered and shown in WIB


def test_bad_form_input_shows_the_message_and_writes_nothing(app, organizer, development_types, catalogue):
    client = _organizer_client(app, organizer)
    day = (datetime.now(UTC) + timedelta(days=14)).date().isoformat()
    base = {
        "title": "Pelatihan Pelayanan Prima",
        "development_type_id": str(learning.get_development_type_by_code("KL03").id),
        "provider_name": "BKPSDM",
        "sessions-0-day": day,
        "sessions-0-start": "11:00",
        "sessions-0-end": "08:00",
        "capacity": "30",
        "employment_filter": "all",
        "approval_mode": "automatic",
    }
    page = client.post("/pelatihan/baru", data=base).get_data(as_text=True)
    assert "jam selesai harus setelah jam mulai" in page
    page = client.post("/pelatihan/baru", data={**base, "sessions-0-end": "12:00", "jp": "-3"}).get_data(True)
    assert "JP harus bilangan bulat" in page
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0


def test_capacity_below_confirmed_through_the_edit_form(app, organizer, make_workshop, make_user):
    workshop = make_workshop(capacity=2)
    for _ in range(2):
        services.register(make_user(), workshop.id)
    client = _organizer_client(app, organizer)
    form = client.get(f"/pelatihan/{workshop.id}/ubah").get_data(as_text=True)
    assert 'value="Pelatihan Pelayanan Prima di Mal Pelayanan Publik"' in form
    local = services.to_local
    data = {
        "title": workshop.title,
        "development_type_id": str(workshop.development_type_id),
        "provider_name": workshop.provider_name,
        "capacity": "1",
        "employment_filter": "all",
        "approval_mode": "automatic",
    }
    for n, s in enumerate(workshop.sessions):
        data |= {f"sessions-{n}-day": local(s.starts_at).date().isoformat(),
                 f"sessions-{n}-start": local(s.starts_at).strftime("%H:%M"),
                 f"sessions-{n}-end": local(s.ends_at).strftime("%H:%M")}  # fmt: skip
    page = client.post(f"/pelatihan/{workshop.id}/ubah", data=data).get_data(as_text=True)
    assert "Kapasitas tidak boleh kurang dari jumlah peserta terkonfirmasi (2)" in page
    db.session.expire_all()
    assert services.get(workshop.id).capacity == 2


def test_dashboard_exports_and_sign_in_sheet(app, organizer, make_workshop, make_user):
    workshop = make_workshop(capacity=1)
    confirmed, waiting = make_user(name="=HYPERLINK(1)"), make_user(name="Budi Menunggu")
    services.register(confirmed, workshop.id)
    services.register(waiting, workshop.id)
    client = _organizer_client(app, organizer)
    page = client.get(f"/pelatihan/{workshop.id}/peserta").get_data(as_text=True)
    assert "Terkonfirmasi: 1 / 1" in page and "Budi Menunggu" in page
    rows = list(csv.reader(io.StringIO(client.get(f"/pelatihan/{workshop.id}/peserta.csv").get_data(True))))
    assert rows[0][:4] == ["\ufeffNIP", "Nama", "Unit kerja", "Status"] and rows[0][-3:] == ["Sesi 1", "Sesi 2", "JP"]
    assert rows[1][1] == "'=HYPERLINK(1)"  # a formula-looking name stays text
    assert [row[3] for row in rows[1:]] == ["Terkonfirmasi", "Daftar tunggu"]
    sheet = load_workbook(io.BytesIO(client.get(f"/pelatihan/{workshop.id}/peserta.xlsx").data)).active
    assert sheet["B3"].value == "Budi Menunggu"
    sheet_page = client.get(f"/pelatihan/{workshop.id}/daftar-hadir").get_data(as_text=True)
    assert "DAFTAR HADIR" in sheet_page and "Budi Menunggu" not in sheet_page


def test_manual_check_in_with_htmx_credits_jp_once_the_workshop_ended(app, organizer, make_workshop, make_user, clock):
    participant = make_user(name="Sari Peserta")
    workshop = _started(make_workshop, organizer, participant)
    client = _organizer_client(app, organizer)
    session = workshop.sessions[0]
    registration = services.registration_of(participant, workshop.id)
    url = f"/pelatihan/{workshop.id}/sesi/{session.id}/presensi"
    assert "Sari Peserta" in client.get(url + "?q=sari", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Tidak ada peserta" in client.get(url + "?q=zzz", headers={"HX-Request": "true"}).get_data(True)
    row = client.post(f"{url}/{registration.id}", data={"present": "1"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in row.get_data(as_text=True)
    assert db.session.scalar(select(LearningRecord.jp)) is None  # the session is still running
    clock.now = session.ends_at + timedelta(minutes=1)
    assert client.get(f"/pelatihan/{workshop.id}/peserta").status_code == 200  # completes what fell due
    assert db.session.scalar(select(LearningRecord.jp)) == workshop.jp


def test_qr_page_and_self_check_in(app, organizer, make_workshop, make_user):
    participant = make_user()
    workshop = _started(make_workshop, organizer, participant)
    session = workshop.sessions[0]
    qr_page = _organizer_client(app, organizer).get(f"/pelatihan/{workshop.id}/sesi/{session.id}/qr")
    assert 'src="data:image/svg+xml;base64,' in qr_page.get_data(as_text=True)
    client = app.test_client()
    assert client.get(f"/presensi/{session.checkin_code}").location.startswith("/masuk")
    login(client, participant)
    assert "Saya hadir" in client.get(f"/presensi/{session.checkin_code}").get_data(as_text=True)
    assert "Kehadiran Anda tercatat" in client.post(f"/presensi/{session.checkin_code}").get_data(as_text=True)
    assert "sudah tercatat hadir" in client.post(f"/presensi/{session.checkin_code}").get_data(as_text=True)


def test_check_in_without_registration_is_refused_with_a_message(login_as, organizer, make_workshop, make_user):
    workshop = _started(make_workshop, organizer, make_user())
    client = login_as(Role.MEMBER)
    response = client.post(f"/presensi/{workshop.sessions[0].checkin_code}")
    assert response.status_code == 400 and "bukan peserta terkonfirmasi" in response.get_data(as_text=True)


def test_certificate_download_and_public_verification(app, client, organizer, make_workshop, make_user, clock):
    participant = make_user(name="Désirée Ratnasari")  # outside ASCII: folded for the PDF's core font
    workshop = _started(make_workshop, organizer, participant)
    services.check_in(participant, workshop.sessions[0].checkin_code)
    own = app.test_client()
    login(own, participant)
    assert own.get(f"/pelatihan/{workshop.id}/sertifikat.pdf").status_code == 302  # not before the end
    clock.now = workshop.ends_at + timedelta(minutes=1)
    pdf = own.get(f"/pelatihan/{workshop.id}/sertifikat.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    number = services.registration_of(participant, workshop.id).certificate_number
    genuine = client.get(f"/sertifikat/{number}").get_data(as_text=True)
    assert "asli" in genuine and "Désirée Ratnasari" in genuine and participant.nip not in genuine
    forged = client.get(f"/sertifikat/{number[:-2]}XX")
    assert forged.status_code == 404 and "tidak ditemukan" in forged.get_data(as_text=True)
    assert client.get(f"/sertifikat?nomor={number}").location.endswith(f"/sertifikat/{number}")
    assert "Rekam Jejak Belajar" in own.get("/rekam-jejak").get_data(as_text=True)
    assert workshop.title in own.get("/rekam-jejak").get_data(as_text=True)


def test_calendar_files_and_private_feed(member_client, client, make_workshop):
    workshop = make_workshop()
    services.register(member_client.user, workshop.id)
    ics = member_client.get(f"/pelatihan/{workshop.id}/kalender.ics")
    assert ics.mimetype == "text/calendar" and ics.data.count(b"BEGIN:VEVENT") == 2
    member_client.post("/pelatihan/kalender-pribadi")
    token = services.feed_token(member_client.user)
    assert token in member_client.get("/pelatihan/saya").get_data(as_text=True)
    feed = client.get(f"/kalender/{token}.ics")
    assert feed.status_code == 200 and workshop.title.encode() in feed.data
    member_client.post("/pelatihan/kalender-pribadi/cabut")
    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_organizer_cancels_the_workshop_from_the_dashboard(app, organizer, make_workshop, make_user):
    workshop = make_workshop()
    services.register(make_user(), workshop.id)
    client = _organizer_client(app, organizer)
    client.post(f"/pelatihan/{workshop.id}/batalkan", data={"reason": ""})
    db.session.expire_all()
    assert services.get(workshop.id).status == "published"
    response = client.post(
        f"/pelatihan/{workshop.id}/batalkan", data={"reason": "Narasumber sakit."}, follow_redirects=True
    )
    assert "1 pendaftar diberi tahu" in response.get_data(as_text=True)


def test_search_finds_published_workshops_for_eligible_units(app, make_workshop, make_user, make_unit, unit):
    make_workshop(title="Pelatihan Pelayanan Prima untuk Loket")
    make_workshop(title="Pelatihan Pelayanan Khusus Dinas Kesehatan", eligible_unit_ids=[make_unit("Dinkes").id])
    make_workshop(title="Draf Pelayanan Tersembunyi", status="draft")
    search.apply_outbox()
    found = search.search("pelayanan", SearchFilters(doc_type="workshop"), make_user())
    titles = [hit.title for hit in found.hits]
    assert titles == ["Pelatihan Pelayanan Prima untuk Loket"]


def test_manage_page_shows_which_workshops_wait_for_approval(app, make_workshop, organizer, make_user, member_client):
    """The home page's "Pendaftaran menunggu persetujuan" leads here: each workshop says how many wait."""
    from portal.workshops.models import ApprovalMode

    approved = make_workshop(title="Pelatihan dengan persetujuan", approval_mode=ApprovalMode.ORGANIZER)
    make_workshop(title="Pelatihan tanpa persetujuan")
    for _ in range(2):
        services.register(make_user(), approved.id)
    page = _organizer_client(app, organizer).get("/pelatihan/kelola").get_data(as_text=True)
    assert page.count("menunggu persetujuan") == 1 and "2 menunggu persetujuan" in page
    assert member_client.get("/pelatihan/kelola").status_code == 403
