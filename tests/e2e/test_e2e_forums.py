"""Journey: a question in the forum, a colleague's reply that @mentions the asker, the asker accepts it as the
solution, and the replier learns of it through the header bell and the notifications page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journeys import follow, signed_in_page

ASKER = "198604172009122001"  # Ns. Sri Wahyuni, RSUD
REPLIER = "199509172021041001"  # Ikhsan Maulana, DISKOMINFO
TITLE = "Cara mengganti kata sandi email dinas yang kedaluwarsa?"


def _ask(page) -> str:
    """Open the thread; returns the asker's @handle as the thread page shows it."""
    page.goto("/forum")
    follow(page.get_by_role("link", name="Umum", exact=True))
    follow(page.get_by_role("link", name="Buka topik baru"))
    page.get_by_role("textbox", name="Judul").fill(TITLE)
    page.get_by_role("textbox", name="Pertanyaan atau cerita Anda").fill(
        "Email dinas saya meminta kata sandi baru, tetapi tautannya **kedaluwarsa**. Ke mana saya melapor?"
    )
    page.get_by_role("button", name="Buka topik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    handle = page.locator(".forum-post").first.get_by_text(re.compile(r"^@")).inner_text()
    return handle.removeprefix("@")


def _reply_mentioning(page, thread_url: str, handle: str, snapshot) -> None:
    page.goto(thread_url)
    reply = page.get_by_role("textbox", name="Balasan Anda")
    reply.press_sequentially(f"Halo @{handle[:4]}", delay=20)
    suggestion = page.locator(f"[data-mention-handle='{handle}']")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(reply).to_have_value(f"Halo @{handle} ")
    reply.press_sequentially("minta reset lewat helpdesk Diskominfo, ekstensi 112.")
    page.get_by_role("button", name="Kirim balasan").click()
    expect(page.get_by_role("status").first).to_contain_text("Balasan terkirim.")
    expect(page.locator(".forum-post")).to_have_count(2)
    snapshot(page, "forum-thread-replied")


def _accept_answer(page, thread_url: str) -> None:
    page.goto(thread_url)
    answer = page.locator(".forum-post").nth(1)
    expect(answer).to_contain_text("helpdesk Diskominfo")
    answer.get_by_role("button", name="Tandai sebagai solusi").click()
    expect(page.get_by_role("status").first).to_contain_text("Balasan ditandai sebagai solusi.")
    expect(page.get_by_text("Terjawab", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("^Solusi dari Ikhsan Maulana"))).to_contain_text("ekstensi 112")


def test_accepted_answer_notifies_the_replier_and_solves_the_thread(new_page, sign_in, snapshot):
    asker = signed_in_page(new_page, sign_in, ASKER)
    handle = _ask(asker)
    thread_url = asker.url

    replier = signed_in_page(new_page, sign_in, REPLIER)
    _reply_mentioning(replier, thread_url, handle, snapshot)

    asker.goto("/notifikasi")
    expect(asker.get_by_role("list", name="Daftar pemberitahuan")).to_contain_text(f'menyebut Anda di topik "{TITLE}"')
    _accept_answer(asker, thread_url)

    replier.goto("/forum")
    bell = replier.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", re.compile(r"^Notifikasi, [1-9]\d* belum dibaca$"))
    bell.click()
    expect(replier).to_have_url(re.compile("/notifikasi"))
    solved = replier.get_by_role("listitem").filter(has_text=f'Balasan Anda ditandai sebagai solusi di topik "{TITLE}"')
    expect(solved).to_contain_text("Baru")
    snapshot(replier, "notifications-solution")
    solved.get_by_role("button", name=re.compile("^Balasan Anda ditandai")).click()
    expect(replier).to_have_url(re.compile(r"/forum/t/\d+"))
    expect(replier.get_by_role("heading", level=1)).to_have_text(TITLE)

    replier.goto("/forum/terjawab")
    row = replier.get_by_role("listitem").filter(has=replier.get_by_role("link", name=TITLE))
    expect(row.get_by_text("Terjawab", exact=True)).to_be_visible()
