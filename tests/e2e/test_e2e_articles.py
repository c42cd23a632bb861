"""Journey: an ASN writes an article with the live preview, a colleague finds it, finds it useful and comments,
and the author's later edit shows up as a revision that can be compared with the first."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journeys import SHOWCASE_MEMBER, follow, signed_in_page

COLLEAGUE = "199107142022211004"  # Hendri Saputra, a teacher at DISDIK like the author
TITLE = "Belajar Mandiri lewat Komunitas Guru Sawahlunto"
COMMENT = "Terima kasih, langkah kedua langsung saya coba di sekolah."


def _write_and_publish(page, snapshot) -> None:
    page.goto("/artikel")
    follow(page.get_by_role("link", name="Tulis artikel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tulis artikel")
    page.get_by_role("textbox", name="Judul").fill(TITLE)
    page.get_by_role("textbox", name="Ringkasan").fill("Tiga langkah membangun komunitas belajar antarguru.")
    preview = page.get_by_role("region", name="Pratinjau")
    body = page.get_by_role("textbox", name="Isi artikel (Markdown)")
    body.press_sequentially("## Langkah pertama\n\nKumpulkan **tiga** rekan sejawat.", delay=5)
    expect(preview.get_by_role("heading", name="Langkah pertama", level=2)).to_be_visible()
    expect(preview.locator("strong")).to_have_text("tiga")
    page.get_by_role("checkbox", name="M.05 Pelayanan Publik").check()
    page.get_by_role("textbox", name="Tag").fill("komunitas belajar, guru")
    snapshot(page, "article-editor-filled")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.get_by_role("status").first).to_contain_text("Artikel sudah terbit.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def _colleague_reads_votes_and_comments(page, snapshot) -> None:
    page.goto("/artikel")
    follow(page.get_by_role("link", name=TITLE).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    topics = page.get_by_role("complementary").get_by_role("region", name="Kompetensi dan tag")
    expect(topics.get_by_role("link", name="M.05 Pelayanan Publik")).to_be_visible()
    expect(topics.get_by_role("link", name="#komunitas belajar")).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    vote = page.get_by_role("button", name=re.compile("^Bermanfaat"))
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(vote).to_have_text(re.compile(r"Bermanfaat\s+0"))
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_have_text(re.compile(r"Bermanfaat\s+1"))
    page.get_by_role("textbox", name="Komentar").fill(COMMENT)
    page.get_by_role("button", name="Kirim komentar").click()
    comments = page.get_by_role("region", name="Komentar")
    expect(comments).to_contain_text(COMMENT)
    expect(page.get_by_role("textbox", name="Komentar")).to_have_value("")  # ready for the next one
    assert page.evaluate("window.__sameDocument") is True, "voting or commenting reloaded the page"
    snapshot(page, "article-page-voted")


def _author_edits_and_compares(page, snapshot) -> None:
    follow(page.get_by_role("link", name="Ubah", exact=True))
    body = page.get_by_role("textbox", name="Isi artikel (Markdown)")
    body.fill("## Langkah pertama\n\nKumpulkan **lima** rekan sejawat dari sekolah lain.")
    page.get_by_role("textbox", name="Catatan perubahan").fill("memperbesar kelompok")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_role("status").first).to_contain_text("Artikel disimpan.")
    follow(page.get_by_role("link", name="Riwayat revisi"))
    history = page.get_by_role("table", name="Daftar revisi, terbaru di atas")
    expect(history.get_by_role("row")).to_have_count(3)  # the header and two revisions
    expect(history).to_contain_text("memperbesar kelompok")
    snapshot(page, "article-history")
    page.get_by_label("Dari revisi").select_option("1")
    page.get_by_label("Ke revisi").select_option("2")
    page.get_by_role("button", name="Bandingkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisi 1 → 2")
    body_diff = page.get_by_role("region", name="Isi (Markdown)")
    expect(body_diff.locator("del")).to_contain_text(["tiga"])
    expect(body_diff.locator("ins").first).to_contain_text("lima")
    snapshot(page, "article-compare")


def test_article_is_written_read_voted_commented_and_revised(new_page, sign_in, snapshot):
    author = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER)
    _write_and_publish(author, snapshot)

    colleague = signed_in_page(new_page, sign_in, COLLEAGUE)
    _colleague_reads_votes_and_comments(colleague, snapshot)

    author.reload()
    expect(author.get_by_role("region", name="Komentar")).to_contain_text(COMMENT)
    expect(author.get_by_text("1 orang menilai bermanfaat")).to_be_visible()
    _author_edits_and_compares(author, snapshot)
