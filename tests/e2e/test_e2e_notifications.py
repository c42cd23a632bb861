"""Journey: a member reports a post; the moderator sees it on the bell and reaches the report from the notification
in one click, hides the post from the queue, and the reporter learns the outcome. Then, on a phone, the member
chooses a daily digest on the notification settings page reached from their profile."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.journeys import follow, signed_in_page

AUTHOR = "198604172009122001"  # Ns. Sri Wahyuni, RSUD
REPORTER = "199509172021041001"  # Ikhsan Maulana, DISKOMINFO
MODERATOR = "199103052015031002"  # Fajri Ananda, S.Kom.
TITLE = "Jual pulsa murah untuk rekan-rekan ASN di grup ini"
REASON = "Promosi dagangan, bukan diskusi kepegawaian."


def _open_thread(page) -> str:
    page.goto("/forum")
    follow(page.get_by_role("link", name="Umum", exact=True))
    follow(page.get_by_role("link", name="Buka topik baru"))
    page.get_by_role("textbox", name="Judul").fill(TITLE)
    page.get_by_role("textbox", name="Pertanyaan atau cerita Anda").fill("Hubungi saya untuk harga pulsa terbaik.")
    page.get_by_role("button", name="Buka topik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    return page.url


def _report(page, thread_url: str) -> None:
    page.goto(thread_url)
    post = page.locator(".forum-post").first
    post.locator("summary", has_text="Laporkan").click()
    post.get_by_role("textbox", name="Apa masalahnya?").fill(REASON)
    follow(post.get_by_role("button", name="Laporkan"))
    expect(page.get_by_role("status").first).to_contain_text("Laporan Anda diteruskan ke moderator.")


def _unread_bell(page):
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", re.compile(r"^Notifikasi, [1-9]\d* belum dibaca$"))
    expect(bell.locator(".notification-count")).to_be_visible()
    return bell


def test_a_report_reaches_the_moderator_in_one_click_and_the_reporter_learns_the_outcome(new_page, sign_in, snapshot):
    author = signed_in_page(new_page, sign_in, AUTHOR)
    thread_url = _open_thread(author)
    reporter = signed_in_page(new_page, sign_in, REPORTER)
    _report(reporter, thread_url)

    moderator = signed_in_page(new_page, sign_in, MODERATOR)
    moderator.goto("/forum")
    follow(_unread_bell(moderator))
    item = moderator.get_by_role("listitem").filter(has_text=f'melaporkan kiriman di topik "{TITLE}"')
    expect(item).to_contain_text("Baru")
    expect(item).to_contain_text(REASON)
    snapshot(moderator, "notifications-report")
    follow(item.get_by_role("button", name=re.compile("^Ikhsan Maulana.* melaporkan kiriman")))
    expect(moderator).to_have_url(re.compile(r"/forum/moderasi#report-\d+$"))
    report = moderator.get_by_role("region", name=re.compile(re.escape(TITLE)))
    expect(report).to_contain_text(REASON)
    expect(report).to_contain_text("Dilaporkan oleh Ikhsan Maulana")

    report.locator("summary", has_text="Sembunyikan").click()
    report.get_by_role("textbox", name=re.compile("^Alasan menyembunyikan")).fill("Melanggar tata tertib forum.")
    follow(report.get_by_role("button", name="Sembunyikan", exact=True))
    expect(moderator.get_by_role("status").first).to_contain_text("Kiriman disembunyikan")

    reporter.goto("/forum")
    follow(_unread_bell(reporter))
    outcome = reporter.get_by_role("listitem").filter(has_text=f'Laporan Anda tentang kiriman di topik "{TITLE}"')
    expect(outcome).to_contain_text("sudah ditangani: kirimannya disembunyikan.")
    snapshot(reporter, "notifications-report-outcome")


def test_a_member_chooses_the_daily_digest_on_a_phone(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, REPORTER, viewport=PHONE)
    page.goto("/notifikasi")
    follow(page.get_by_role("link", name="Pengaturan notifikasi"))
    other = page.get_by_role("group", name=re.compile("^Pemberitahuan lainnya"))
    other.get_by_role("radio", name="Ringkasan harian").check()
    verified = page.get_by_role("group", name="Kegiatan saya diverifikasi")
    expect(verified.get_by_role("radio", name="Segera")).to_be_checked()
    follow(page.get_by_role("button", name="Simpan"))
    expect(page.get_by_role("status").first).to_contain_text("Pengaturan notifikasi disimpan.")
    expect(
        page.get_by_role("group", name=re.compile("^Pemberitahuan lainnya")).get_by_role(
            "radio", name="Ringkasan harian"
        )
    ).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    snapshot(page, "notification-settings")
