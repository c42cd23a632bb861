"""The page at ``/``: parse nothing, read the home services, render. Served by ``core.views.home`` through the
``core.home-page`` signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response

from portal.core.htmx import render
from portal.home import services

if TYPE_CHECKING:
    from portal.accounts.models import User


def home_page(viewer: User, **_kwargs: object) -> Response:
    """``viewer`` is ``current_user``: Flask-Login's anonymous user for a visitor."""
    if not getattr(viewer, "is_authenticated", False):
        return render("home/landing.html", landing=services.landing())
    return render("home/home.html", home=services.build(viewer))
