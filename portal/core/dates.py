"""Dates as Indonesians write them: ``dd/mm/yyyy`` on screen, whatever the browser's own language.

Chromium shows a native ``<input type=date>`` in the order of the browser's interface language (an English
browser writes 03/05/2026 for 3 May), and neither ``lang="id"`` on the page nor on the input changes that. So a
date the portal asks for is a text input that shows ``dd/mm/yyyy``; :func:`parse_date` reads that and ISO
``yyyy-mm-dd`` (links, older bookmarks, tests), nothing else. A date with a time (the old ``datetime-local`` inputs,
whose date part had the same problem) is ``dd/mm/yyyy HH.MM``, read by :func:`parse_datetime` (``HH:MM`` and ISO
``yyyy-mm-ddTHH:MM`` accepted too). Both give wall-clock values; the views convert them with
``core.timezone.aware_local``/``naive_local`` as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from wtforms import DateField, DateTimeField
from wtforms.widgets import TextInput

from portal.core.i18n import lazy_gettext as _l

DATE_INVALID_MESSAGE = _l("Tanggal tidak valid. Tulis hari/bulan/tahun, misalnya 17/08/2026.")
DATE_PLACEHOLDER = _l("hh/bb/tttt")
DISPLAY_FORMAT = "%d/%m/%Y"
# What the browser checks before sending (the server checks again): d/m/yyyy (/, - or . between) or yyyy-mm-dd.
HTML_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"

DATETIME_INVALID_MESSAGE = _l("Waktu tidak valid. Tulis hari/bulan/tahun jam.menit, misalnya 17/08/2026 08.00.")
DATETIME_PLACEHOLDER = _l("hh/bb/tttt jj.mm")
DATETIME_DISPLAY_FORMAT = "%d/%m/%Y %H.%M"
# d/m/yyyy h.mm (or h:mm) with a space between, or ISO yyyy-mm-ddThh:mm (what datetime-local sent).
DATETIME_HTML_PATTERN = (
    r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}\s+\d{1,2}[.:]\d{2}|\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2})\s*"
)

_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST_TIME = re.compile(r"(\S+)\s+(\d{1,2})[.:](\d{2})")
_ISO_TIME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})[T ](\d{1,2}):(\d{2})")


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


def parse_datetime(text: str | None) -> datetime | None:
    """``dd/mm/yyyy HH.MM`` (or ``HH:MM``; the date as :func:`parse_date` reads it) or ISO ``yyyy-mm-ddTHH:MM``.

    A naive wall-clock datetime (the caller knows the zone), or None for anything else.
    """
    value = (text or "").strip()
    match = _ISO_TIME.fullmatch(value) or _DAY_FIRST_TIME.fullmatch(value)
    if match is None:
        return None
    day = parse_date(match.group(1))
    hour, minute = int(match.group(2)), int(match.group(3))
    if day is None or hour > 23 or minute > 59:
        return None
    return datetime.combine(day, time(hour, minute))


def format_date(value: date | None) -> str:
    return value.strftime(DISPLAY_FORMAT) if value else ""


def format_datetime(value: datetime | None) -> str:
    return value.strftime(DATETIME_DISPLAY_FORMAT) if value else ""


def input_value(value: date | str | None) -> str:
    """What a date input shows: a date day first; text (a query string's value) as it was typed."""
    if isinstance(value, date):
        return format_date(value)
    return value or ""


class _TypedText:
    """A date or time typed as text in the portal's order: the input's hints, the value shown back (what was typed
    when it was refused), and the parse with the portal's message. Subclasses name the four."""

    widget = TextInput()
    input_attributes: dict[str, Any]
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    invalid_message: Any

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {**self.input_attributes, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)  # type: ignore[call-arg]

    def _value(self) -> str:
        if self.raw_data:  # type: ignore[attr-defined]
            return " ".join(self.raw_data)  # type: ignore[attr-defined]
        return type(self).show(self.data)  # type: ignore[attr-defined]

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = " ".join(str(value) for value in valuelist).strip()
        self.data = type(self).parse(text) if text else None
        if text and self.data is None:
            raise ValueError(self.invalid_message)


class LocalDateField(_TypedText, DateField):
    """A date typed as ``dd/mm/yyyy`` (ISO accepted too), with the portal's own error message.

    Rendered as a text input (numeric keyboard on a phone, the order shown as placeholder and ``pattern``), never
    as a native date picker whose order follows the browser's language.
    """

    input_attributes = {
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": DATE_PLACEHOLDER,
        "pattern": HTML_PATTERN,
        "title": DATE_INVALID_MESSAGE,
    }
    parse = staticmethod(parse_date)
    show = staticmethod(format_date)
    invalid_message = DATE_INVALID_MESSAGE


class LocalDateTimeField(_TypedText, DateTimeField):
    """A wall-clock time typed as ``dd/mm/yyyy HH.MM`` (``HH:MM`` and ISO accepted too), with the portal's message.

    The text-input counterpart of a native ``datetime-local`` (whose date part follows the browser's language);
    ``data`` is a naive datetime, as DateTimeLocalField gave, so ``core.timezone.aware_local`` reads it as WIB.
    """

    input_attributes = {
        "autocomplete": "off",
        "placeholder": DATETIME_PLACEHOLDER,
        "pattern": DATETIME_HTML_PATTERN,
        "title": DATETIME_INVALID_MESSAGE,
    }
    parse = staticmethod(parse_datetime)
    show = staticmethod(format_datetime)
    invalid_message = DATETIME_INVALID_MESSAGE
