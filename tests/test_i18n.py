"""Both catalogues are complete: every user-facing string has an Indonesian and an English entry."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # extracts every string of the code base in a subprocess
def test_catalogues_cover_every_string():
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, "Untranslated strings (run `make i18n`, then translate):\n" + result.stdout


def test_english_catalogue_is_used(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("en"):
        assert gettext("Masuk") == "Log in"
