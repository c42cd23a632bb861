"""Journey (d): on a 360 x 740 phone no page scrolls sideways and the navbar toggler opens the menu; on
desktop widths the header keeps its controls readable."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def _assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide: it scrolls sideways"


def _assert_header_on_one_row(page) -> None:
    brand = page.get_by_role("navigation", name="Navigasi utama").get_by_role("link").first.bounding_box()
    toggler = page.get_by_role("button", name="Buka menu").bounding_box()
    middle = toggler["y"] + toggler["height"] / 2
    assert brand["y"] <= middle <= brand["y"] + brand["height"], "the menu button dropped below the site name"


def _open_menu(page) -> None:
    toggler = page.get_by_role("button", name="Buka menu")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding


@pytest.mark.parametrize(("name", "path"), [("home", "/"), ("login", "/masuk"), ("register", "/daftar")])
def test_guest_pages_fit_a_phone(new_page, snapshot, name, path):
    page = new_page(viewport=PHONE)
    page.goto(path)
    _assert_no_sideways_scroll(page)
    _assert_header_on_one_row(page)
    snapshot(page, name)
    _open_menu(page)
    expect(page.get_by_role("link", name="Daftar", exact=True)).to_be_visible()
    _assert_no_sideways_scroll(page)
    snapshot(page, f"{name}-menu")


def _own_profile_path(page) -> str:
    return page.get_by_role("link", name="Profil saya", include_hidden=True).get_attribute("href")


@pytest.mark.parametrize(
    ("name", "path"), [("profile", None), ("edit-profile", "/akun/profil"), ("admin-users", "/admin/pengguna")]
)
def test_signed_in_pages_fit_a_phone(new_page, snapshot, name, path):
    page = new_page(viewport=PHONE, as_admin=True)
    page.goto("/")
    page.goto(path or _own_profile_path(page))
    _assert_no_sideways_scroll(page)
    _assert_header_on_one_row(page)
    snapshot(page, name)
    _open_menu(page)
    expect(page.get_by_role("link", name="Administrasi")).to_be_visible()
    _assert_no_sideways_scroll(page)
    snapshot(page, f"{name}-menu")


@pytest.mark.parametrize("width", [1024, 1280])
def test_desktop_header_keeps_controls_readable(new_page, width):
    page = new_page(viewport={"width": width, "height": 800}, as_admin=True)
    page.goto("/admin/pengguna")
    _assert_no_sideways_scroll(page)
    language = page.get_by_role("combobox", name="Bahasa").bounding_box()
    assert language["width"] >= 120, f"the language switch is squeezed to {language['width']}px"
    expect(page.get_by_role("link", name="Administrasi")).to_be_visible()


@pytest.mark.parametrize("javascript", [False, True])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_header_menus_open_with_and_without_javascript(new_page, viewport, javascript):
    """Issue 13 §7: without JavaScript a phone user had no navigation and nobody could log out."""
    page = new_page(viewport=viewport, as_admin=True, javascript=javascript)
    page.goto("/artikel")
    toggler = page.get_by_role("button", name="Buka menu")
    if viewport is PHONE:
        expect(page.get_by_role("link", name="Forum")).to_be_hidden()
        toggler.click()
        expect(page.get_by_role("link", name="Forum")).to_be_visible()
        if not javascript:
            page.get_by_role("link", name="Tutup menu").click()
            expect(page.get_by_role("link", name="Forum")).to_be_hidden()
            toggler.click()
    else:
        expect(toggler).to_be_hidden()
        expect(page.get_by_role("link", name="Tutup menu")).to_be_hidden()
    logout = page.get_by_role("button", name="Keluar")
    expect(logout).to_be_hidden()
    menu = page.locator("details.user-menu > summary")
    menu.focus()
    page.keyboard.press("Enter")  # the keyboard opens it as a mouse does
    expect(page.get_by_role("link", name="Profil saya")).to_be_visible()
    _assert_no_sideways_scroll(page)
    if javascript:
        page.keyboard.press("Escape")
        expect(logout).to_be_hidden()
        expect(menu).to_be_focused()
        page.get_by_role("heading", level=1).click()  # a click elsewhere closes it too
        menu.click()
        expect(logout).to_be_visible()
        page.get_by_role("heading", level=1).click()
        expect(logout).to_be_hidden()
        menu.click()
    expect(logout).to_be_visible()  # (not pressed: the signed-in state is shared with the other journeys)
