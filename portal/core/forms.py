"""Forms: the base every form uses, and how services report broken rules and views show them on a form.

:class:`PortalForm` (and :class:`PortalSubform` for rows inside a ``FieldList``) checks every field before its
own validators run, so nothing unsafe reaches a service or a query:

- text (any field's submitted values) must hold no control characters: a NUL byte, escape, DEL… Multi-line
  text (``TextAreaField``) may hold tabs and line breaks, single-line text may not;
- numbers (``IntegerField``, ``SelectField(coerce=int)``, lists of them) must fit the database's integer
  columns, and decimals must be finite.

A field that fails gets a field error and none of its other validators run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, TextAreaField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import CONTROL_CHARACTERS, LINE_CONTROL_CHARACTERS, db_int

CONTROL_CHARACTERS_MESSAGE = _l(
    "Teks berisi karakter kontrol yang tidak diizinkan (misalnya karakter NUL). Hapus karakter itu lalu kirim lagi."
)
NUMBER_RANGE_MESSAGE = _l("Angka di luar rentang yang diizinkan.")
NUMBER_INVALID_MESSAGE = _l("Masukkan angka yang valid.")
ID_INVALID_MESSAGE = _l("Pilihan tidak valid.")


def refuse_unsafe_input(_form: Any, field: Any) -> None:
    """The check :class:`PortalForm` runs first on every field (see the module docstring).

    A refused field keeps only the safe part of its data (text without the control characters, no number), so a
    page that shows the form again, or looks something up from it, never sends the refused value to a query.
    """
    pattern = CONTROL_CHARACTERS if isinstance(field, TextAreaField) else LINE_CONTROL_CHARACTERS
    if any(isinstance(value, str) and pattern.search(value) for value in field.raw_data or ()):
        field.data = _without(field.data, lambda value: isinstance(value, str), lambda text: pattern.sub("", text))
        raise StopValidation(CONTROL_CHARACTERS_MESSAGE)
    if _any(field.data, lambda value: isinstance(value, int) and not isinstance(value, bool) and db_int(value) is None):
        field.data = _without(field.data, lambda value: isinstance(value, int) and db_int(value) is None)
        raise StopValidation(NUMBER_RANGE_MESSAGE)
    if _any(field.data, lambda value: isinstance(value, float | Decimal) and not math.isfinite(value)):
        field.data = _without(field.data, lambda value: isinstance(value, float | Decimal) and not math.isfinite(value))
        raise StopValidation(NUMBER_INVALID_MESSAGE)


def _any(data: Any, test: Callable[[Any], bool]) -> bool:
    return any(test(value) for value in (data if isinstance(data, list | tuple) else (data,)))


def _without(data: Any, test: Callable[[Any], bool], clean: Callable[[Any], Any] | None = None) -> Any:
    """``data`` (a value or a list) with the values failing ``test`` cleaned, or dropped (None) without ``clean``."""
    if isinstance(data, list | tuple):
        if clean:
            return [clean(value) if test(value) else value for value in data]
        return [value for value in data if not test(value)]
    if test(data):
        return clean(data) if clean else None
    return data


class _SafeInputMeta(DefaultMeta):
    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        field.validators = [refuse_unsafe_input, *field.validators]
        return field


class PortalForm(FlaskForm):
    """The base of every form (CSRF from Flask-WTF, and the input checks above)."""

    class Meta(_SafeInputMeta):
        pass


class PortalSubform(Form):
    """A row inside a ``FieldList(FormField(...))`` (no CSRF token of its own), with the same input checks."""

    class Meta(_SafeInputMeta):
        pass


class IdField(HiddenField):
    """A hidden id: ``data`` is the id as an int, or None when empty; anything but an id in range is an error."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = None
        if isinstance(raw, str) and raw.strip():
            self.data = db_int(raw, minimum=1)
            if self.data is None:
                raise ValueError(ID_INVALID_MESSAGE)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class RuleError(ValueError):
    """A service refused bad input. ``message`` is for the user; ``field`` names the form field it belongs to."""

    def __init__(self, message: Any, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def apply_error(form: FlaskForm, error: Exception) -> None:
    """Show a service's error under the field it names, or above the form."""
    field_name = getattr(error, "field", None)
    field = getattr(form, field_name, None) if field_name else None
    message = str(getattr(error, "message", error))
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
