"""How services report broken rules, and how views show them on a form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


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
