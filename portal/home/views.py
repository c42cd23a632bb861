"""The page at ``/``: parse nothing, read the home services, render. Served by ``core.views.home`` through the
``core.home-page`` signal.

The most visited page, so each section of a person's home is kept as rendered HTML in the fragment cache, keyed
by the person, the language and the change stamps of every table the section reads (:data:`SECTION_TABLES`):
the next visit asks the database nothing until one of them changes. Sections that depend on the clock (a
check-in window, this year's JP, a form's closing time) are also rendered again once ``HOME_CLOCK_SECONDS`` (60)
have passed since they were rendered.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING

from flask import Response, current_app, render_template
from markupsafe import Markup

from portal.core import fragments, types
from portal.core.htmx import render
from portal.home import services

if TYPE_CHECKING:
    from portal.accounts.models import User

_PERSON = ("users", "units", "unit_heads", "positions")  # who the person is: role, unit, supervisor, headed units
_WORKSHOPS = (
    "workshops",
    "workshop_sessions",
    "workshop_registrations",
    "workshop_attendances",
    "workshop_competencies",
    "workshop_units",
)
_FORMS = (  # every feedback table: forms to fill, programs flagged, the needs survey's ranking
    *("feedback_forms", "feedback_form_units", "feedback_sections", "feedback_questions", "feedback_options"),
    *("feedback_respondents", "feedback_responses", "feedback_answers", "feedback_drafts", "feedback_followups"),
    *("feedback_programs", "feedback_program_workshops", "feedback_program_reviews", "feedback_need_links"),
)
_LEDGER = ("learning_records", "learning_targets", "learning_jp_rules", "development_types")
# Every table a section reads (tests/home/test_home_cache.py checks the list against the statements it makes).
SECTION_TABLES: dict[str, tuple[str, ...]] = {
    "agenda": (*_PERSON, *_WORKSHOPS),
    "todo": (
        *(_PERSON + _FORMS + _WORKSHOPS),
        *("articles", "development_plans", "development_plan_items", "development_plan_competencies"),
        *("competencies", "development_types"),
    ),
    "work": (*_PERSON, *_WORKSHOPS, *_FORMS, "articles", "forum_posts", "forum_reports", "learning_records"),
    "progress": (*_PERSON, *_LEDGER),
    "oversight": (*_PERSON, *_LEDGER),
    "recommendations": (
        *(_PERSON + _WORKSHOPS + _FORMS),
        *("position_requirements", "competencies", "competency_assessments"),
    ),
    "following": (*_PERSON, "forum_threads", "forum_thread_subscriptions", "forum_read_marks", "forum_categories"),
}
CLOCK_FREE = frozenset({"work", "following"})  # sections whose content does not depend on the time


def home_page(viewer: User, **_kwargs: object) -> Response:
    """``viewer`` is ``current_user``: Flask-Login's anonymous user for a visitor."""
    if not getattr(viewer, "is_authenticated", False):
        return render("home/landing.html", landing=services.landing())
    now = types.utcnow()
    kept = {name: _section(viewer, name, now) for name in services.SECTIONS}
    order = services.in_order({name: rank for name, (_html, rank, _at) in kept.items()})
    return render("home/home.html", sections=[kept[name][0] for name in order])


def _section(viewer: User, name: str, now: datetime) -> tuple[Markup, str | None, datetime]:
    """(HTML, rank, when rendered) of one section, from the cache while its tables and the clock allow."""
    seconds = current_app.config.get("HOME_CLOCK_SECONDS", 60)

    def compute() -> tuple[Markup, str | None, datetime]:
        value = services.SECTIONS[name](viewer, now)
        rank = services.rank(name, value)
        if rank is None:
            return Markup(""), None, now
        html = render_template("home/_partials/section.html", name=name, home=SimpleNamespace(**{name: value}))
        return Markup(html), rank, now  # noqa: S704 - an autoescaping template's output

    def fresh(kept: tuple[Markup, str | None, datetime]) -> bool:
        if name in CLOCK_FREE:
            return True
        return kept[2] <= now < kept[2] + timedelta(seconds=seconds)

    return fragments.remembered(
        f"home.{name}", (viewer.id, fragments.viewer_format()), SECTION_TABLES[name], compute, fresh=fresh
    )
