"""Journey (e): axe-core finds no serious or critical accessibility problem on the foundation's pages.

The CSP forbids inline script, which is how Playwright injects a script file, so only the axe contexts
bypass the CSP; the first test proves the policy really is enforced in an ordinary context.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

BLOCKING_IMPACTS = {"serious", "critical"}
GUEST_PAGES = [("home", "/"), ("login", "/masuk"), ("register", "/daftar"), ("forgot-password", "/lupa-sandi")]
ADMIN_PAGES = [
    ("home-signed-in", "/"),
    ("profile", None),
    ("edit-profile", "/akun/profil"),
    ("admin-users", "/admin/pengguna"),
]


def test_csp_blocks_inline_script_in_an_ordinary_context(new_page, axe_script):
    page = new_page(quiet=False)  # the refused script is reported on the console
    page.goto("/masuk")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(path=axe_script)
    assert page.evaluate("typeof window.axe") == "undefined"


def _serious_violations(page, axe_script) -> list[str]:
    page.add_script_tag(path=axe_script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_axe_reports_a_planted_violation(new_page, axe_script):
    """The harness can fail: a button without a name is a critical violation."""
    page = new_page(bypass_csp=True)
    page.goto("/")
    page.evaluate("document.querySelector('main').append(document.createElement('button'))")
    assert any("button-name" in violation for violation in _serious_violations(page, axe_script))


@pytest.mark.parametrize(("name", "path"), GUEST_PAGES)
def test_guest_page_has_no_serious_violations(new_page, axe_script, snapshot, name, path):
    page = new_page(bypass_csp=True)
    page.goto(path)
    snapshot(page, name)
    assert _serious_violations(page, axe_script) == []


def test_registration_errors_have_no_serious_violations(new_page, axe_script, snapshot):
    page = new_page(bypass_csp=True)
    page.goto("/daftar")
    page.get_by_role("button", name="Daftar", exact=True).click()
    assert page.locator(".invalid-feedback").count() > 0
    snapshot(page, "register-empty-errors")
    assert _serious_violations(page, axe_script) == []


@pytest.mark.parametrize(("name", "path"), ADMIN_PAGES)
def test_signed_in_page_has_no_serious_violations(new_page, axe_script, snapshot, name, path):
    page = new_page(as_admin=True, bypass_csp=True)
    page.goto("/")
    page.goto(path or page.get_by_role("link", name="Profil saya", include_hidden=True).get_attribute("href"))
    snapshot(page, name)
    assert _serious_violations(page, axe_script) == []
