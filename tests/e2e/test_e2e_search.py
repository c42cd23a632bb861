"""Journey: the header's live search suggests while typing (debounced), works with the keyboard alone, and
Enter opens the results page with the matching words highlighted."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journeys import SHOWCASE_MEMBER, signed_in_page

QUERY = "pelatihan"


def _type_query(page) -> list[str]:
    """Type the query key by key; returns the suggestion requests the typing caused."""
    requests: list[str] = []
    page.on("request", lambda request: "/cari/saran" in request.url and requests.append(request.url))
    box = page.get_by_role("searchbox", name="Cari artikel, diskusi, dan pelatihan")
    box.press_sequentially(QUERY, delay=40)
    return requests


def test_live_suggestions_are_debounced_and_keyboard_friendly(new_page, sign_in):
    page = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER)
    requests = _type_query(page)
    suggestions = page.get_by_role("list", name="Saran pencarian")
    expect(suggestions.get_by_role("link").first).to_be_visible()
    assert 1 <= len(requests) <= 2, f"typing {len(QUERY)} letters sent {len(requests)} suggestion requests"
    assert requests[-1].endswith(f"q={QUERY}")

    page.keyboard.press("ArrowDown")
    first = suggestions.get_by_role("link").first
    expect(first).to_be_focused()
    target = first.get_attribute("href")
    page.keyboard.press("ArrowDown")
    expect(suggestions.get_by_role("link").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))

    page.goto("/")
    _type_query(page)
    expect(suggestions).to_be_visible()
    page.keyboard.press("Escape")
    expect(suggestions).to_have_count(0)
    expect(page.get_by_role("searchbox", name="Cari artikel, diskusi, dan pelatihan")).to_be_focused()


def test_enter_shows_results_with_highlighted_words(new_page, sign_in, snapshot):
    page = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER)
    _type_query(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/cari\?q={QUERY}$"))
    expect(page.get_by_role("heading", level=2, name=re.compile(f"hasil untuk “{QUERY}”"))).to_be_visible()
    marks = page.locator(".search-snippet mark")
    expect(marks.first).to_be_visible()
    highlighted = {text.lower() for text in marks.all_inner_texts()}
    assert all("latih" in word for word in highlighted), f"highlighted words that do not match: {highlighted}"
    snapshot(page, "search-results")
