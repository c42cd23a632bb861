"""Journeys (issue 17 item 4): phone layouts that put the action first, and every role reaching its work from the
home page in one click.

At 360 px: the workshop's sign-up box sits in the first screen above the long description, the ledger's
activities are cards showing title, date, JP and status, the answer form's sticky bar is one line, and dates are
typed day first. On a desktop: a member, a supervisor (and unit head), an organizer, a moderator and BKPSDM each
land on the home page and click every item of their list to the page that shows it. The demo city (loaded for
the journeys) gives each of them work to find; counts are read from the home page, never assumed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_NIP, DESKTOP, PHONE
from tests.e2e.journeys import SHOWCASE_MEMBER, follow, signed_in_page

MEMBER = SHOWCASE_MEMBER  # Desi Ratnasari (DISDIK): sessions, a waiting-list place, plan items; supervises two PPPK
UNIT_HEAD = "196905121994031006"  # Drs. Hasnul Hadi, head of DISDIK
ORGANIZER = "198707222011012004"  # Yulia Rahmi (BKPSDM)
MODERATOR = "199103052015031002"  # Fajri Ananda (DISKOMINFO)
BKPSDM = ADMIN_NIP  # Rizal Efendi, BKPSDM's verifier (admin)
FLAGSHIP = "Pelatihan Pelayanan Prima di Mal Pelayanan Publik"  # open, seats left; the moderator has not signed up
SURVEY = "Survei Kebutuhan Pengembangan Kompetensi 2027"


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} is {width}px wide: it scrolls sideways"


def _home(new_page, sign_in, nip: str, viewport=DESKTOP):
    page = signed_in_page(new_page, sign_in, nip, viewport=viewport)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang kembali")
    return page


def _region(page, name: str):
    return page.get_by_role("region", name=name)


def _count(page, region: str, label: str) -> int:
    """The badge beside a work item's link on the home page."""
    item = _region(page, region).get_by_role("listitem").filter(has=page.get_by_role("link", name=label))
    return int(item.locator(".badge").inner_text())


def _click_from_home(page, region: str, link) -> str:
    """Back to the home page, one click on the link (a name or a callable picking it): the link's text."""
    page.goto("/")
    target = _region(page, region).get_by_role("link", name=link) if isinstance(link, str | re.Pattern) else link(page)
    target = target.first
    text = target.inner_text().strip()
    follow(target)
    return text


# ---------------------------------------------------------------- 360 px: the action first


def test_phone_workshop_page_shows_the_sign_up_box_in_the_first_screen(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, MODERATOR, viewport=PHONE)
    page.goto("/pelatihan")
    follow(page.get_by_role("link", name=FLAGSHIP, exact=True).first)
    box = page.get_by_role("region", name="Pendaftaran")
    sign_up = box.get_by_role("button", name="Daftar", exact=True)
    expect(sign_up).to_be_visible()
    height = page.evaluate("window.innerHeight")
    assert box.bounding_box()["y"] < height and sign_up.bounding_box()["y"] + 40 < height, "sign-up below the fold"
    assert box.bounding_box()["y"] < page.locator(".article-body").bounding_box()["y"], "description comes first"
    expect(box).to_contain_text("kursi tersisa")
    _no_sideways_scroll(page)
    snapshot(page, "phone-workshop")


def test_desktop_workshop_page_keeps_the_sign_up_box_as_the_sidebar(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, MODERATOR, viewport=DESKTOP)
    page.goto("/pelatihan")
    follow(page.get_by_role("link", name=FLAGSHIP, exact=True).first)
    box = page.get_by_role("region", name="Pendaftaran").bounding_box()
    details = page.get_by_text("Jadwal (WIB)").bounding_box()
    assert box["x"] > details["x"] + 500 and abs(box["y"] - details["y"]) < 60, (box, details)
    snapshot(page, "desktop-workshop")


def test_phone_ledger_shows_each_activity_as_a_card_with_jp_and_status(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, MEMBER, viewport=PHONE)
    page.goto("/rekam-jejak")
    records = page.locator("table.learning-records")
    expect(records.get_by_role("columnheader", name="JP diakui")).to_be_hidden()  # no header row on a phone
    card = records.locator("tbody tr").first
    width = page.evaluate("window.innerWidth")
    for label in ("Tanggal", "JP diajukan", "JP diakui", "Status"):
        cell = card.locator(f'[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{label} is off-screen: {box}"
        assert cell.evaluate("c => c.scrollWidth <= c.clientWidth"), f"{label} overflows its place in the card"
    expect(card.locator('[data-label="Status"] .badge')).to_be_visible()
    expect(card.get_by_role("link").first).to_be_visible()  # the title opens the record
    _no_sideways_scroll(page)
    snapshot(page, "phone-ledger")


def test_desktop_ledger_keeps_the_table(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, MEMBER, viewport=DESKTOP)
    page.goto("/rekam-jejak")
    records = page.locator("table.learning-records")
    for header in ("Kegiatan", "Tanggal", "JP diakui", "Status"):
        expect(records.get_by_role("columnheader", name=header)).to_be_visible()
    cells = records.locator("tbody tr").first.locator("td")
    tops = {round(cells.nth(n).bounding_box()["y"]) for n in range(cells.count())}
    assert len(tops) == 1, f"a desktop row stays one table row, its cells side by side: {tops}"
    snapshot(page, "desktop-ledger")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_answer_form_sticky_bar_is_one_line(new_page, sign_in, snapshot, viewport):
    page = _home(new_page, sign_in, MEMBER, viewport=viewport)
    follow(_region(page, "Menunggu Anda").get_by_role("link", name=f"Isi: {SURVEY}"))
    submit = page.get_by_role("button", name="Kirim jawaban")
    later = page.get_by_role("button", name="Simpan dulu")
    expect(submit).to_be_visible()
    expect(later).to_be_visible()
    one, two = submit.bounding_box(), later.bounding_box()
    assert abs(one["y"] - two["y"]) < 2, f"the buttons are on two lines: {one} {two}"
    bar = page.locator(".fb-actions").bounding_box()
    assert bar["height"] < 2 * one["height"], f"the bar takes more than one line: {bar}"
    assert bar["y"] + bar["height"] <= page.evaluate("window.innerHeight") + 1, "the bar is not in the first screen"
    _no_sideways_scroll(page)
    snapshot(page, "answer-form")


def test_phone_dates_are_typed_day_first(new_page, sign_in, snapshot):
    """Chromium's native date input follows the browser's language (lang="id" does not change it): the portal
    asks for dd/mm/yyyy in a text input, whatever the browser."""
    page = signed_in_page(new_page, sign_in, MEMBER, viewport=PHONE)
    page.goto("/rekam-jejak/ajukan")
    start = page.get_by_role("textbox", name="Tanggal mulai")
    expect(start).to_have_attribute("placeholder", "hh/bb/tttt")
    expect(start).to_have_attribute("inputmode", "numeric")
    start.fill("17/08/2026")
    assert start.evaluate("input => input.validity.valid")
    start.fill("2026/08/17")  # neither day first nor ISO: the browser stops it before the server does
    assert not start.evaluate("input => input.validity.valid")
    start.fill("17/08/2026")
    _no_sideways_scroll(page)
    snapshot(page, "phone-record-form")


def test_phone_workshop_registration_window_is_typed_day_first(new_page, sign_in, snapshot):
    """The workshop form's registration window was a native datetime-local (month first in an en-US Chromium):
    it is a text input asking for dd/mm/yyyy hh.mm, and a value typed that way survives a round trip."""
    page = signed_in_page(new_page, sign_in, ORGANIZER, viewport=PHONE)
    page.goto("/pelatihan/baru")
    opens = page.get_by_role("textbox", name="Pendaftaran dibuka (WIB)")
    expect(opens).to_have_attribute("type", "text")
    expect(opens).to_have_attribute("placeholder", "hh/bb/tttt jj.mm")
    for good in ("17/08/2026 08.00", "17/08/2026 08:00", "2026-08-17T08:00"):
        opens.fill(good)
        assert opens.evaluate("input => input.validity.valid"), good
    opens.fill("2026/08/17 08.00")  # neither day first nor ISO: the browser stops it before the server does
    assert not opens.evaluate("input => input.validity.valid")
    opens.fill("17/08/2026 08.00")
    assert opens.bounding_box()["width"] <= page.evaluate("window.innerWidth")
    _no_sideways_scroll(page)
    # Sent without sessions (refused, nothing saved): the page comes back with the time still day first.
    page.get_by_role("textbox", name="Judul", exact=True).fill("Uji Jendela Pendaftaran")
    follow(page.get_by_role("button", name="Simpan", exact=True))
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Pendaftaran dibuka (WIB)")).to_have_value("17/08/2026 08.00")
    snapshot(page, "phone-workshop-registration-window")


# ---------------------------------------------------------------- desktop: every role, one click from home


def _new_reply_in_a_thread_the_member_follows(new_page, sign_in) -> None:
    """Earlier journeys may have read the member's followed threads: a colleague (the admin) replies in one."""
    member = signed_in_page(new_page, sign_in, MEMBER)
    member.goto("/forum/saya")
    thread_url = member.locator("a[href^='/forum/t/']").first.get_attribute("href")
    admin = new_page(as_admin=True)
    admin.goto(thread_url)
    admin.get_by_role("textbox", name="Balasan Anda").fill("Terima kasih, sudah saya coba di kantor kami.")
    admin.get_by_role("button", name="Kirim balasan").click()
    expect(admin.get_by_role("status").first).to_contain_text("Balasan terkirim.")


def test_a_member_reaches_each_item_of_their_list_in_one_click(new_page, sign_in, snapshot):
    _new_reply_in_a_thread_the_member_follows(new_page, sign_in)
    page = _home(new_page, sign_in, MEMBER)
    snapshot(page, "role-home-member")
    agenda = _region(page, "Sesi saya berikutnya")
    waiting_place = agenda.get_by_role("listitem").filter(has_text="urutan ke-").first
    position = re.search(r"urutan ke-(\d+)", waiting_place.inner_text()).group(1)
    waiting_title = waiting_place.get_by_role("link").inner_text().strip()
    jp_figure = _region(page, "JP saya tahun ini").locator(".jp-figure").inner_text().strip()

    title = _click_from_home(page, "Menunggu Anda", re.compile(r"^Isi: "))  # an evaluation or survey to fill
    expect(page.get_by_role("heading", level=1)).to_have_text(title.removeprefix("Isi: "))
    expect(page.get_by_role("button", name="Kirim jawaban")).to_be_visible()

    title = _click_from_home(page, "Menunggu Anda", re.compile(r"^Rencana: "))  # a plan item due
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rencana Pengembangan Kompetensi")
    expect(page.get_by_text(title.removeprefix("Rencana: "), exact=True).first).to_be_visible()

    title = _click_from_home(
        page, "Sesi saya berikutnya", lambda p: _region(p, "Sesi saya berikutnya").get_by_role("link")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("region", name="Pendaftaran")).to_contain_text("Anda terdaftar sebagai peserta.")

    _click_from_home(page, "Sesi saya berikutnya", waiting_title)  # my waiting-list place
    expect(page.get_by_role("region", name="Pendaftaran")).to_contain_text(f"daftar tunggu, urutan ke-{position}")

    _click_from_home(page, "JP saya tahun ini", "Rekam jejak saya")  # my JP against my rule
    expect(page.get_by_role("heading", level=1)).to_have_text("Rekam Jejak Belajar")
    expect(page.locator(".jp-figure").first).to_have_text(jp_figure)

    title = _click_from_home(
        page, "Baru di topik yang Anda ikuti", lambda p: _region(p, "Baru di topik yang Anda ikuti").get_by_role("link")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_supervisor_and_unit_head_reach_their_team_in_one_click(new_page, sign_in, snapshot):
    page = _home(new_page, sign_in, MEMBER)  # Desi supervises two PPPK teachers, one plan waits for her
    team = _region(page, "Tim saya").get_by_role("link", name=re.compile("Bawahan di bawah target JP"))
    people = re.search(r"dari (\d+)", team.inner_text()).group(1)
    _click_from_home(page, "Tim saya", re.compile("Bawahan di bawah target JP"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tim saya")
    expect(page.get_by_text(f"{people} orang")).to_be_visible()

    _click_from_home(page, "Menunggu Anda", re.compile("Rencana pengembangan menunggu persetujuan Anda"))
    expect(page.get_by_text(re.compile(r"\d+ rencana pengembangan menunggu keputusan Anda"))).to_be_visible()
    expect(page.get_by_role("link", name="Tinjau").first).to_be_visible()

    page = _home(new_page, sign_in, UNIT_HEAD)
    snapshot(page, "role-home-supervisor")
    unit = _region(page, "Tim saya").get_by_role("link", name=re.compile("Pegawai unit di bawah target JP"))
    people = re.search(r"dari (\d+)", unit.inner_text()).group(1)
    _click_from_home(page, "Tim saya", re.compile("Pegawai unit di bawah target JP"))
    expect(page.get_by_text(f"{people} orang")).to_be_visible()

    title = _click_from_home(
        page, "Pelatihan yang disarankan", lambda p: _region(p, "Pelatihan yang disarankan").get_by_role("link")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("region", name="Pendaftaran")).to_be_visible()


def test_an_organizer_reaches_pending_registrations_and_flagged_programs(new_page, sign_in, snapshot):
    page = _home(new_page, sign_in, ORGANIZER)
    snapshot(page, "role-home-organizer")
    pending = _count(page, "Pekerjaan menunggu", "Pendaftaran menunggu persetujuan")
    flagged = _count(page, "Pekerjaan menunggu", "Program perlu ditinjau")
    assert pending > 0, "the demo city gives the organizer work"
    # flagged: the programs still waiting for a decision (the demo's program was decided; the badges must agree)

    _click_from_home(page, "Pekerjaan menunggu", "Pendaftaran menunggu persetujuan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelola pelatihan")
    badges = page.get_by_text(re.compile(r"^\d+ menunggu persetujuan$"))
    assert sum(int(text.split()[0]) for text in badges.all_inner_texts()) == pending

    _click_from_home(page, "Pekerjaan menunggu", "Program perlu ditinjau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tinjauan program pelatihan")
    # The home count is what still waits for a decision; the list also shows flagged programs already decided.
    expect(page.locator("table.fbr-programs tbody").get_by_text("Perlu ditinjau")).to_have_count(flagged)


def test_a_moderator_reaches_the_review_queue_and_open_reports(new_page, sign_in, snapshot):
    page = _home(new_page, sign_in, MODERATOR)
    snapshot(page, "role-home-moderator")
    articles = _count(page, "Pekerjaan menunggu", "Artikel menunggu tinjauan")
    reports = _count(page, "Pekerjaan menunggu", "Laporan forum terbuka")
    assert articles > 0 and reports > 0, "the demo city gives the moderator work"

    _click_from_home(page, "Pekerjaan menunggu", "Artikel menunggu tinjauan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean tinjauan artikel")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(articles)

    _click_from_home(page, "Pekerjaan menunggu", "Laporan forum terbuka")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean moderasi forum")
    expect(page.get_by_role("button", name="Abaikan laporan")).to_have_count(reports)


def test_bkpsdm_reaches_the_claims_to_verify(new_page, sign_in, snapshot):
    page = _home(new_page, sign_in, BKPSDM)
    snapshot(page, "role-home-bkpsdm")
    claims = _count(page, "Pekerjaan menunggu", "Klaim JP menunggu verifikasi")
    assert claims > 0, "the demo city gives BKPSDM claims to verify"
    _click_from_home(page, "Pekerjaan menunggu", "Klaim JP menunggu verifikasi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi rekam jejak belajar")
    expect(page.locator("article.queue-row").first).to_be_visible()
    expect(page.locator("article.queue-row .badge").first).to_have_text("Diajukan")


@pytest.mark.parametrize(
    ("role", "nip"),
    [("member", MEMBER), ("supervisor", UNIT_HEAD), ("organizer", ORGANIZER), ("moderator", MODERATOR),
     ("bkpsdm", BKPSDM)],
)  # fmt: skip
def test_every_role_home_fits_a_phone(new_page, sign_in, snapshot, role, nip):
    page = _home(new_page, sign_in, nip, viewport=PHONE)
    _no_sideways_scroll(page)
    first = page.locator("section.home-card").first.bounding_box()
    assert first["y"] < page.evaluate("window.innerHeight"), "the first card is below the first screen"
    meter = page.locator(".jp-progress")
    if meter.count():  # the JP meter spans its card (its styles load on the home page)
        card = page.locator("#home-progress .card-body").bounding_box()
        assert meter.bounding_box()["width"] > card["width"] * 0.8
    snapshot(page, f"role-home-{role}")
