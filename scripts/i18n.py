#!/usr/bin/env python3
"""Keep the translation catalogues complete.

Source strings are Indonesian. ``update`` extracts them, merges into portal/translations/{id,en}, fills the
Indonesian catalogue with the source text, and lists English entries still to translate. ``check`` exits
non-zero when either catalogue misses an entry (used by the test suite).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
LOCALES = ("id", "en")


def extract(pot: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--ignore-dirs",  # Babel's default also skips "_*" folders: our _partials and _macros
            ".*",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode:  # babel.cfg sets silent = false: a template Babel cannot parse stops here, with its error
        sys.exit(f"extraction failed:\n{result.stderr}")


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def merge(pot: Path, locale: str) -> None:
    path = catalogue_path(locale)
    command = "update" if path.exists() else "init"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            command,
            "-i",
            str(pot),
            "-d",
            str(TRANSLATIONS),
            "-l",
            locale,
        ]
        + (["--ignore-obsolete", "--no-fuzzy-matching"] if command == "update" else []),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def fill_source_language(locale: str) -> None:
    path = catalogue_path(locale)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    for message in catalog:
        if message.id and not _translated(message):
            # Indonesian has one plural form: a plural entry takes the singular source text.
            message.string = (message.id[0],) * catalog.num_plurals if message.pluralizable else message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=120, omit_header=False, sort_output=True, no_location=True)


def _translated(message) -> bool:
    if "fuzzy" in message.flags:
        return False
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def missing(pot: Path, locale: str) -> list[str]:
    with pot.open("rb") as fh:
        template = read_po(fh)
    path = catalogue_path(locale)
    if not path.exists():
        return [str(m.id) for m in template if m.id]
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    gaps = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        if entry is None or not _translated(entry):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else "check"
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        if action == "update":
            for locale in LOCALES:
                merge(pot, locale)
            fill_source_language("id")
        problems = 0
        for locale in LOCALES:
            gaps = missing(pot, locale)
            problems += len(gaps)
            if gaps:
                print(f"{locale}: {len(gaps)} untranslated")
                for gap in gaps:
                    print(f"  {gap!r}")
        return 1 if problems and action == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
