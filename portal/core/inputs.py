"""What a request may carry into a query: integers within the database's range, text without control characters.

Every id column is ``Integer`` (32-bit on PostgreSQL), and SQLite refuses integers beyond 64 bits with an
``OverflowError``, so a number from a URL, a query string or a form is checked against the 32-bit range before
it reaches a query:

- URLs: the ``int`` route converter is replaced by :class:`BoundedIntConverter` (every ``<int:…>`` route gets
  it), and the default ``string``/``path`` converters by ones that refuse control characters: both answer 404;
- query strings: :func:`int_arg` (and :func:`db_int` for a value already read) give ``None`` for anything that
  is not a whole number in range; :class:`PortalRequest` strips control characters from every query-string value;
- forms: :class:`portal.core.forms.PortalForm` gives a field error (see there).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError
from werkzeug.utils import cached_property

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1
_MAX_DIGITS = len(str(DB_INT_MAX))

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. Single-line text refuses \t\n\r too.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def db_int(value: Any, minimum: int = DB_INT_MIN, maximum: int = DB_INT_MAX) -> int | None:
    """``value`` as an int if it is a whole number (or its text) within ``minimum``..``maximum``, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER.fullmatch(text) or len(text.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if minimum <= value <= maximum else None


def int_arg(name: str, default: int | None = None, minimum: int = DB_INT_MIN, maximum: int = DB_INT_MAX) -> int | None:
    """A query-string integer within range, or ``default`` when missing, malformed or out of range."""
    found = db_int(request.args.get(name), minimum, maximum)
    return default if found is None else found


def has_control_characters(text: str, multiline: bool = True) -> bool:
    return bool((CONTROL_CHARACTERS if multiline else LINE_CONTROL_CHARACTERS).search(text))


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that matches only what fits the database's integer columns (other values: no route, 404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max, signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-").lstrip("0")) > _MAX_DIGITS:  # int() refuses over 4,300 digits; far beyond max anyway
            raise ValidationError()
        return super().to_python(value)


class TextConverter(UnicodeConverter):
    """The default ``<name>`` converter, refusing control characters (a NUL cannot reach a query)."""

    def to_python(self, value: str) -> str:
        if has_control_characters(value, multiline=False):
            raise ValidationError()
        return value


class TextPathConverter(PathConverter):
    def to_python(self, value: str) -> str:
        if has_control_characters(value, multiline=False):
            raise ValidationError()
        return value


class PortalRequest(Request):
    """Query-string values arrive without control characters (search words, filters, sorts)."""

    @cached_property
    def args(self) -> MultiDict[str, str]:  # as werkzeug declares it; an ImmutableMultiDict, as werkzeug gives
        raw = super().args
        if not any(CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(v) for key, v in raw.items(multi=True)):
            return raw
        return ImmutableMultiDict(
            (strip_control_characters(key), strip_control_characters(value)) for key, value in raw.items(multi=True)
        )


def register_converters(app: Flask) -> None:
    """Before any blueprint: rules pick their converters when they are added."""
    app.url_map.converters.update(int=BoundedIntConverter, default=TextConverter, string=TextConverter)
    app.url_map.converters["path"] = TextPathConverter
    app.request_class = PortalRequest
