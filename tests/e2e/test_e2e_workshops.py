"""Journeys: a small workshop fills up, the next person waits in line and gets the seat a participant gives up;
a participant of a session that has just ended checks in through the QR link (open until 30 minutes after the
end; the workshop completes once its last session has ended), fills in the training evaluation the organizer
attached, which unlocks the certificate, and anyone can verify it without signing in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import accept_confirmations, follow, import_content, signed_in_page

SMALL = "Klinik Menulis Laporan Kegiatan yang Ringkas"
RUNNING = "Coaching Penyusunan SKP Berbasis Hasil"
FIRST, SECOND, WAITING = (  # Zulkifli, Nurhayati, Afrizal
    "197911032005011002",
    "198808152012122002",
    "198101262006041004",
)
CHECKING_IN = "198403302008012003"  # Yenni Marlina, BPKD
CHECKING_IN_NAME = "Yenni Marlina, S.E., Ak."


def _workshop(external_id: str, title: str, starts: datetime, ends: datetime, capacity: int) -> dict:
    return {
        "type": "workshop",
        "external_id": external_id,
        "title": title,
        "body": "Praktik langsung dengan contoh dari OPD peserta.",
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat(),
        "capacity": capacity,
        "jp": 2,
        "location": "Ruang Rapat BKPSDM",
        "competencies": ["M.03"],
    }


@pytest.fixture(scope="module")
def workshops(server, tmp_path_factory) -> None:
    """Both workshops in one import: a small one in three days and one whose only session has just ended."""
    now = datetime.now(UTC).replace(microsecond=0)
    starts = now + timedelta(days=3)
    small = _workshop("e2e-ws-small", SMALL, starts, starts + timedelta(hours=2), 2)
    running = _workshop("e2e-ws-running", RUNNING, now - timedelta(hours=1), now - timedelta(minutes=1), 5)
    import_content(server, tmp_path_factory.mktemp("workshops"), [small, running])


def _open_from_list(page, title: str) -> None:
    page.goto("/pelatihan")
    follow(page.get_by_role("link", name=title))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def _registration(page):
    return page.get_by_role("region", name="Pendaftaran")


def _sign_up(page, button: str) -> None:
    _open_from_list(page, SMALL)
    page.evaluate("window.__sameDocument = true")
    _registration(page).get_by_role("button", name=button).click()
    expect(_registration(page).get_by_role("button", name="Batalkan pendaftaran")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "signing up reloaded the page"


@pytest.mark.usefixtures("workshops")
def test_waiting_list_moves_up_when_a_participant_cancels(new_page, sign_in, snapshot):
    first = signed_in_page(new_page, sign_in, FIRST)
    _sign_up(first, "Daftar")
    expect(_registration(first)).to_contain_text("Anda terdaftar. Kursi Anda sudah aman.")
    expect(_registration(first)).to_contain_text("1 dari 2 kursi tersisa.")

    second = signed_in_page(new_page, sign_in, SECOND)
    _sign_up(second, "Daftar")
    expect(_registration(second)).to_contain_text("Kursi penuh.")

    waiting = signed_in_page(new_page, sign_in, WAITING)
    _sign_up(waiting, "Masuk daftar tunggu")
    expect(_registration(waiting)).to_contain_text("Kursi penuh: Anda masuk daftar tunggu.")
    expect(_registration(waiting)).to_contain_text("Anda di daftar tunggu, urutan ke-1.")
    snapshot(waiting, "workshop-page-waiting")
    waiting.goto("/pelatihan/saya")
    expect(waiting.get_by_role("row").filter(has_text=SMALL)).to_contain_text("urutan ke-1")

    accept_confirmations(first)
    _registration(first).get_by_role("button", name="Batalkan pendaftaran").click()
    expect(_registration(first)).to_contain_text("Pendaftaran Anda dibatalkan.")
    expect(_registration(first).get_by_role("button", name="Daftar")).to_be_visible()

    _open_from_list(waiting, SMALL)
    expect(_registration(waiting)).to_contain_text("Anda terdaftar sebagai peserta.")
    bell = waiting.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", re.compile(r"^Notifikasi, [1-9]\d* belum dibaca$"))
    bell.click()
    promoted = f'Anda mendapat kursi di pelatihan "{SMALL}" dari daftar tunggu.'
    expect(waiting.get_by_role("list", name="Daftar pemberitahuan")).to_contain_text(promoted)
    waiting.goto("/pelatihan/saya")
    row = waiting.get_by_role("row").filter(has_text=SMALL)
    expect(row).not_to_contain_text("urutan")
    snapshot(waiting, "my-workshops-promoted")


def _attach_evaluation(admin) -> None:
    """From the participants dashboard: the standard evaluation, opened for answers."""
    follow(admin.get_by_role("button", name="Pasang evaluasi standar"))
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Evaluasi Pelatihan")
    follow(admin.get_by_role("button", name="Buka formulir"))
    expect(admin.get_by_role("button", name="Tutup formulir")).to_be_visible()


def _checkin_url(admin) -> str:
    """The organizer adds the participant, attaches the evaluation and opens the session's QR page, which prints
    the check-in link."""
    admin.goto("/pelatihan/kelola")
    follow(admin.get_by_role("link", name=RUNNING))  # the manage list leads to the participants dashboard
    admin.get_by_role("textbox", name="NIP pegawai").fill(CHECKING_IN)
    admin.get_by_role("button", name="Tambah", exact=True).click()
    expect(admin.get_by_role("status").first).to_contain_text("Peserta ditambahkan.")
    expect(admin.get_by_role("table", name="Peserta terkonfirmasi")).to_contain_text(CHECKING_IN_NAME)
    dashboard = admin.url
    _attach_evaluation(admin)
    admin.goto(dashboard)
    follow(admin.get_by_role("link", name="Kode QR"))
    code = admin.get_by_role("img", name="Kode QR presensi sesi ini")
    expect(code).to_be_visible()
    assert code.evaluate("image => image.naturalWidth") > 0, "the QR code's SVG did not render"
    box = code.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100, box
    return admin.get_by_text(re.compile(r"/presensi/\S+$")).inner_text().strip()


def _evaluate(participant, snapshot) -> None:
    """Every scale answered "Baik" (4), a suggestion written, sent."""
    follow(_registration(participant).get_by_role("link", name="Isi evaluasi"))
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Evaluasi Pelatihan")
    fours = participant.locator("label.fb-scale-option[for$='-4']")  # the scale's buttons are labels
    for index in range(fours.count()):
        fours.nth(index).click()
    expect(participant.locator("input[type=radio][value='4']:checked")).to_have_count(fours.count())
    participant.get_by_role("textbox").last.fill("Simulasi loketnya sangat membantu.")
    snapshot(participant, "evaluation-filled")
    follow(participant.get_by_role("button", name="Kirim jawaban"))
    expect(participant.get_by_role("heading", level=1)).to_have_text("Terima kasih")


@pytest.mark.usefixtures("workshops")
def test_qr_check_in_completes_the_workshop_and_the_certificate_verifies(new_page, sign_in, server, snapshot):
    checkin_url = _checkin_url(new_page(as_admin=True))
    assert checkin_url.startswith(server.url), checkin_url

    participant = signed_in_page(new_page, sign_in, CHECKING_IN)
    participant.goto(checkin_url)
    expect(participant.get_by_role("heading", level=1)).to_have_text("Presensi")
    participant.get_by_role("button", name="Saya hadir").click()
    expect(participant.get_by_role("status")).to_have_text("Kehadiran Anda tercatat.")
    follow(participant.get_by_role("link", name="Ke halaman pelatihan"))
    expect(_registration(participant)).to_contain_text("Anda menyelesaikan pelatihan ini: 2 JP tercatat.")
    expect(_registration(participant)).to_contain_text("Sertifikat terbuka setelah Anda mengisi evaluasi pelatihan.")
    expect(_registration(participant).get_by_role("link", name="Unduh sertifikat (PDF)")).to_have_count(0)
    _evaluate(participant, snapshot)

    download = participant.get_by_role("link", name="Unduh sertifikat (PDF)")
    response = participant.request.get(download.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    number = re.search(r"sertifikat-(PKA-[\w-]+)\.pdf", response.headers["content-disposition"]).group(1)

    visitor = new_page()
    visitor.goto("/sertifikat")
    visitor.get_by_role("textbox", name="Nomor sertifikat").fill(number)
    visitor.get_by_role("button", name="Periksa").click()
    expect(visitor).to_have_url(re.compile(f"/sertifikat/{number}$"))
    expect(visitor.get_by_role("status")).to_contain_text(f"Sertifikat {number} asli dan tercatat di portal ini.")
    expect(visitor.get_by_role("definition").filter(has_text=CHECKING_IN_NAME)).to_be_visible()
    expect(visitor.get_by_role("definition").filter(has_text=RUNNING)).to_be_visible()
    snapshot(visitor, "certificate-verified")
