"""Dates as Indonesians write them: ``dd/mm/yyyy`` on screen, whatever the browser's own language.

Chromium shows a native ``<input type=date>`` in the order of the browser's interface language (an English
browser writes 03/05/2026 for 3 May), and neither ``lang="id"`` on the page nor on the input changes that. So a
date the portal asks for is a text input that shows ``dd/mm/yyyy``; :func:`parse_date` reads that and ISO
``yyyy-mm-dd`` (links, older bookmarks, tests), nothing else.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from wtforms import DateField
from wtforms.widgets import TextInput

from portal.core.i18n import lazy_gettext as _l

DATE_INVALID_MESSAGE = _l("Tanggal tidak valid. Tulis hari/bulan/tahun, misalnya 17/08/2026.")
DATE_PLACEHOLDER = _l("hh/bb/tttt")
DISPLAY_FORMAT = "%d/%m/%Y"
# What the browser checks before sending (the server checks again): d/m/yyyy (/, - or . between) or yyyy-mm-dd.
HTML_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"

_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str | None) -> date | None:
    """``dd/mm/yyyy`` (also with ``-`` or ``.``, one-digit day or month) or ISO ``yyyy-mm-dd``; None otherwise."""
    value = (text or "").strip()
    if match := _DAY_FIRST.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_date(value: date | None) -> str:
    return value.strftime(DISPLAY_FORMAT) if value else ""


def input_value(value: date | str | None) -> str:
    """What a date input shows: a date day first; text (a query string's value) as it was typed."""
    if isinstance(value, date):
        return format_date(value)
    return value or ""


class LocalDateField(DateField):
    """A date typed as ``dd/mm/yyyy`` (ISO accepted too), with the portal's own error message.

    Rendered as a text input (numeric keyboard on a phone, the order shown as placeholder and ``pattern``), never
    as a native date picker whose order follows the browser's language.
    """

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": DATE_PLACEHOLDER,
            "pattern": HTML_PATTERN,
            "title": DATE_INVALID_MESSAGE,
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_date(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = " ".join(str(value) for value in valuelist).strip()
        if not text:
            self.data = None
            return
        self.data = parse_date(text)
        if self.data is None:
            raise ValueError(DATE_INVALID_MESSAGE)
