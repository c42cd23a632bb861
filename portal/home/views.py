"""The page at ``/``: parse nothing, read the home services, render. Served by ``core.views.home`` through the
``core.home-page`` signal."""

from __future__ import annotations

from typing import Any

from flask import Response

from portal.core.htmx import render
from portal.home import services


def home_page(viewer: Any, **_kwargs: object) -> Response:
    if not getattr(viewer, "is_authenticated", False):
        return render("home/landing.html", landing=services.landing())
    return render("home/home.html", home=services.build(viewer))
