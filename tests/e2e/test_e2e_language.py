"""Journey (c): switch the interface to English and back; the choice follows the visitor across pages."""

from __future__ import annotations

from playwright.sync_api import expect


def test_switch_to_english_and_back(page, snapshot):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "id")

    page.get_by_role("combobox").select_option("en")
    expect(html).to_have_attribute("lang", "en")
    page.goto("/masuk")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("combobox")).to_have_value("en")
    snapshot(page, "login-english")

    page.get_by_role("combobox").select_option("id")
    expect(html).to_have_attribute("lang", "id")
    expect(page).to_have_url("/masuk")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
