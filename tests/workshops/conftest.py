"""Workshop fixtures: development types, a small competency catalogue, a workshop factory, a fixed clock."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest

from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services
from portal.workshops.services import SessionInput, WorkshopInput


@pytest.fixture
def development_types():
    upsert_development_types()


@pytest.fixture
def catalogue():
    items = [
        Competency(code="M.03", category=CompetencyCategory.MANAGERIAL, name="Komunikasi"),
        Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik"),
    ]
    db.session.add_all(items)
    db.session.commit()
    return {c.code: c for c in items}


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, name="Yulia Penyelenggara")


def session_times(days_ahead: float = 10, sessions: int = 2, hours: float = 4) -> list[SessionInput]:
    """Sessions on consecutive days at 08.00 WIB (01.00 UTC), ``hours`` long."""
    first = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=1, minute=0, second=0, microsecond=0)
    return [SessionInput(first + timedelta(days=n), first + timedelta(days=n, hours=hours)) for n in range(sessions)]


def workshop_input(**fields) -> WorkshopInput:
    type_code = fields.pop("type_code", "KL03")
    values = {
        "title": "Pelatihan Pelayanan Prima di Mal Pelayanan Publik",
        "description": "Materi **pelayanan prima** untuk petugas loket.",
        "development_type_id": get_development_type_by_code(type_code).id,
        "competency_codes": ["M.05"],
        "provider_name": "BKPSDM Kota Sawahlunto",
        "location": "Aula Mal Pelayanan Publik",
        "sessions": session_times(),
        "capacity": 30,
    }
    values.update(fields)
    return WorkshopInput(**values)


@pytest.fixture
def make_workshop(development_types, catalogue, organizer):
    """``make_workshop(status="published", by=..., **WorkshopInput fields)`` through the services."""

    def factory(status: str = "published", by=None, **fields):
        owner = by or organizer
        workshop = services.create(owner, workshop_input(**fields))
        if status in ("published", "cancelled"):
            services.publish(owner, workshop)
        if status == "cancelled":
            services.cancel_workshop(owner, workshop, "Narasumber berhalangan hadir.")
        return services.get(workshop.id)

    return factory


class Clock:
    """The workshops' wall clock, frozen at ``now`` until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


CLOCK_MODULES = (
    "portal.workshops.services.attendance",
    "portal.workshops.services.authoring",
    "portal.workshops.services.browsing",
    "portal.workshops.services.completion",
    "portal.workshops.services.registration",
    "portal.workshops.views",
    "portal.workshops.organizer_views",
)


@pytest.fixture
def clock(monkeypatch):
    """``clock.now = ...`` moves time for every workshop rule and page (starts at the real now)."""
    frozen = Clock(datetime.now(UTC).replace(microsecond=0))
    for name in CLOCK_MODULES:
        monkeypatch.setattr(importlib.import_module(name), "utcnow", frozen)
    return frozen
