"""The view side of `core.records`: the status route every admin catalogue has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, request
from flask_login import current_user

from portal.core.htmx import redirect_to

T = TypeVar("T")


def answer_set_active(
    set_active: Callable[[Any, T, bool], object], record: T, *, activated: str, deactivated: str, back: str
):
    """Apply the posted ``active`` ("1" activates, anything else deactivates) through the feature's service, flash
    `activated` or `deactivated`, and go back to `back`."""
    active = request.form.get("active") == "1"
    set_active(current_user, record, active)
    flash(activated if active else deactivated, "success")
    return redirect_to(back)
