"""The home page's rules, one module per section; ``page.build`` puts a person's page together."""

from __future__ import annotations

from portal.home.services.agenda import Agenda, agenda
from portal.home.services.following import Following, following
from portal.home.services.landing import Landing, landing
from portal.home.services.page import CALM, EMPTY, SECTIONS, URGENT, Home, build, in_order, rank
from portal.home.services.progress import Progress, progress
from portal.home.services.recommendations import Recommendation, recommendations
from portal.home.services.todo import Todo, todo
from portal.home.services.work import Oversight, WorkItem, oversight, work_waiting

__all__ = [
    "CALM",
    "EMPTY",
    "SECTIONS",
    "URGENT",
    "in_order",
    "rank",
    "Agenda",
    "Following",
    "Home",
    "Landing",
    "Oversight",
    "Progress",
    "Recommendation",
    "Todo",
    "WorkItem",
    "agenda",
    "build",
    "following",
    "landing",
    "oversight",
    "progress",
    "recommendations",
    "todo",
    "work_waiting",
]
