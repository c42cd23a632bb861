"""Helpers the feature journeys share: demo people, signing in as one of them, and the server's CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ADMIN_NIP, ADMIN_PASSWORD, REPO, _server_env

# Every demo account shares the admin's demo password (portal/demo/people.py).
DEMO_PASSWORD = ADMIN_PASSWORD
SHOWCASE_MEMBER = "198512102010012007"  # Desi Ratnasari, DISDIK


def signed_in_page(new_page, sign_in, nip: str, **page_options):
    """A fresh browser context signed in as the demo person with that NIP."""
    page = new_page(**page_options)
    sign_in(page, nip, DEMO_PASSWORD)
    assert "/masuk" not in page.url, f"the demo account {nip} could not sign in"
    return page


def follow(locator) -> None:
    """Click a link or a plain form button that opens a new page, and wait until that page has loaded.

    Playwright's click returns once the new page starts to render; a click on an htmx button before htmx has
    bound it falls back to a full-page form post, so a journey waits for the load event before going on.
    """
    with locator.page.expect_navigation():
        locator.click()


def accept_confirmations(page) -> None:
    """Buttons marked data-confirm ask through window.confirm; a real user says yes."""
    page.on("dialog", lambda dialog: dialog.accept())


def import_content(server, tmp_path: Path, records: list[dict]) -> None:
    """``flask content import`` into the running server's database, as the demo admin."""
    source = tmp_path / "content.jsonl"
    source.write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-m", "flask", "--app", "wsgi", "content", "import", str(source), "--as", ADMIN_NIP],
        cwd=REPO,
        env=_server_env(server.log.parent),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"flask content import failed:\n{result.stdout}\n{result.stderr}"
