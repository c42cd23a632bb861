"""The accessibility pass (axe: nothing serious or critical) and the 360 px phone pass (no sideways scroll, the
header on one row) over the main pages of articles, forums, workshops, search, notifications, feedback and
learning records, seen by the showcase member. ``SCREENSHOTS=1`` saves each page at 1280 and 360 px wide."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.journeys import DEMO_PASSWORD, SHOWCASE_MEMBER, follow
from tests.e2e.test_e2e_accessibility import _serious_violations
from tests.e2e.test_e2e_responsive import _assert_header_on_one_row, _assert_no_sideways_scroll

# (name, where to start, the link to follow from there: demo content whose id the test does not know)
PAGES = [
    ("articles", "/artikel", None),
    ("article-page", "/artikel", "Melatih Petugas Melayani Warga di Mal Pelayanan Publik"),
    ("article-editor", "/artikel/tulis", None),
    ("forum-index", "/forum", None),
    (
        "forum-thread",
        "/forum/terjawab",
        "Bagaimana mencatat JP dari webinar yang sertifikatnya tidak mencantumkan jam?",
    ),
    ("workshops", "/pelatihan", None),
    ("workshop-page", "/pelatihan", "Pelatihan Pelayanan Prima di Mal Pelayanan Publik"),
    ("my-workshops", "/pelatihan/saya", None),
    ("search-results", "/cari?q=pelatihan", None),
    ("notifications", "/notifikasi", None),
    ("feedback", "/evaluasi", None),
    ("needs-survey", "/evaluasi", f"Survei Kebutuhan Pengembangan Kompetensi {date.today().year + 1}"),
    ("ledger", "/rekam-jejak", None),
    ("record-form", "/rekam-jejak/ajukan", None),
    ("competency-profile", "/profil-kompetensi", None),
    ("development-plan", "/rencana-pengembangan", None),
    ("team", "/tim", None),
]


@pytest.fixture(scope="module")
def member_cookies(browser, server, sign_in):
    """The showcase member's session, signed in once for the whole module."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    sign_in(page, SHOWCASE_MEMBER, DEMO_PASSWORD)
    assert "/masuk" not in page.url, "the showcase member could not sign in"
    cookies = context.cookies()
    context.close()
    return cookies


def _open(new_page, member_cookies, start: str, link: str | None, **options):
    page = new_page(**options)
    page.context.add_cookies(member_cookies)
    page.goto(start)
    if link:
        follow(page.get_by_role("link", name=link, exact=True).first)
        expect(page.get_by_role("heading", level=1)).to_contain_text(link)
    return page


@pytest.mark.parametrize(("name", "start", "link"), PAGES)
def test_feature_page_has_no_serious_violations(new_page, member_cookies, axe_script, snapshot, name, start, link):
    page = _open(new_page, member_cookies, start, link, bypass_csp=True)
    snapshot(page, name)
    assert _serious_violations(page, axe_script) == []


@pytest.mark.parametrize(("name", "start", "link"), PAGES)
def test_feature_page_fits_a_phone(new_page, member_cookies, snapshot, name, start, link):
    page = _open(new_page, member_cookies, start, link, viewport=PHONE)
    _assert_no_sideways_scroll(page)
    _assert_header_on_one_row(page)
    snapshot(page, name)


def test_live_search_fits_a_phone(new_page, member_cookies, axe_script, snapshot):
    page = _open(new_page, member_cookies, "/", None, viewport=PHONE, bypass_csp=True)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("searchbox", name="Cari artikel, diskusi, dan pelatihan").press_sequentially("pelatihan")
    suggestions = page.get_by_role("list", name="Saran pencarian")
    expect(suggestions.get_by_role("link").first).to_be_visible()
    box = page.locator("[data-live-search]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"the suggestions overflow: {box}"
    _assert_no_sideways_scroll(page)
    snapshot(page, "search-suggestions")
    assert _serious_violations(page, axe_script) == []
