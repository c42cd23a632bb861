"""Journey (f): a keyboard-only visitor reaches the skip link first and can sign in without a mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

SKIP_LINK = "Langsung ke konten utama"


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("path", ["/", "/daftar"])
def test_first_tab_reaches_the_skip_link_and_enter_focuses_main(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=SKIP_LINK)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_login_form_works_with_the_keyboard_alone(page, demo_admin):
    nip, password = demo_admin
    page.goto("/masuk")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    assert _focused_id(page) == "identifier"
    page.keyboard.type(nip)
    page.keyboard.press("Tab")
    assert _focused_id(page) == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/(#main)?$"))  # the skip link's fragment survives the redirect
    expect(page.get_by_role("status")).to_contain_text("Selamat datang")
