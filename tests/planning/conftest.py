"""A small city for the annual plan: two OPDs, a job standard, people below and above it, BKPSDM, an OPD organizer
and a unit head; plus a frozen clock for the planning rules."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from portal.competencies.models import Competency
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.planning.services import LineInput, local_today
from portal.units.models import Unit, UnitHead
from tests.learning.profile_helpers import add_catalogue, add_position, assess


@dataclass
class City:
    catalogue: dict[str, Competency]
    dinkes: Unit
    disdik: Unit
    bkpsdm: object  # the admin (BKPSDM)
    organizer: object  # organizer of Dinkes
    head: object  # head of Disdik (a member)
    gap_dinkes: list  # people below the M.05 standard, Dinkes
    gap_disdik: list
    no_gap: list  # met the standard, or never assessed


@pytest.fixture
def year() -> int:
    return local_today().year + 1


@pytest.fixture
def city(make_unit, make_user) -> City:
    upsert_development_types()
    catalogue = add_catalogue()
    dinkes = make_unit("Dinas Kesehatan", short_name="Dinkes", code="DINKES")
    disdik = make_unit("Dinas Pendidikan", short_name="Disdik", code="DISDIK")
    nurse = add_position("PRW-1", {catalogue["M.05"]: 3, catalogue["M.01"]: 2}, name="Perawat Pelaksana", unit=dinkes)
    teacher = add_position("GRU-1", {catalogue["M.05"]: 2}, name="Guru Ahli Pertama", unit=disdik)
    gap_dinkes, gap_disdik, no_gap = [], [], []
    for n, level in enumerate((1, 2, 2)):
        user = make_user(name=f"Perawat {n}", unit_id=dinkes.id, position_id=nurse.id)
        assess(user, catalogue["M.05"], level)
        gap_dinkes.append(user)
    for n in range(2):
        user = make_user(name=f"Guru {n}", unit_id=disdik.id, position_id=teacher.id)
        assess(user, catalogue["M.05"], 1)
        gap_disdik.append(user)
    met = make_user(name="Perawat Mahir", unit_id=dinkes.id, position_id=nurse.id)
    assess(met, catalogue["M.05"], 3)
    assess(met, catalogue["M.01"], 1)  # a gap, but in another competency
    unassessed = make_user(name="Guru Baru", unit_id=disdik.id, position_id=teacher.id)
    inactive = make_user(name="Perawat Pensiun", unit_id=dinkes.id, position_id=nurse.id, active=False)
    assess(inactive, catalogue["M.05"], 1)
    no_gap += [met, unassessed, inactive]
    bkpsdm = make_user(Role.ADMIN, name="Admin BKPSDM")
    organizer = make_user(Role.ORGANIZER, name="Penyelenggara Dinkes", unit_id=dinkes.id)
    head = make_user(name="Kepala Disdik", unit_id=disdik.id)
    db.session.add(UnitHead(unit_id=disdik.id, user_id=head.id))
    db.session.commit()
    return City(catalogue, dinkes, disdik, bkpsdm, organizer, head, gap_dinkes, gap_disdik, no_gap)


def line_input(city: City, **fields) -> LineInput:
    """A classical workshop item for M.05 (KL07), 10 participants in quarter 2 at Rp1.500.000 each."""
    values = {
        "title": "Pelatihan Pelayanan Prima",
        "competency_id": city.catalogue["M.05"].id,
        "development_type_id": get_development_type_by_code("KL07").id,
        "participants": 10,
        "quarter": 2,
        "jp": 10,
        "provider_kind": "bkpsdm",
        "cost_per_participant": 1_500_000,
    }
    values.update(fields)
    return LineInput(**values)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


CLOCK_MODULES = (
    "portal.planning.services.common",
    "portal.planning.services.reports",
    "portal.planning.services.invitations",
    "portal.workshops.services.authoring",
    "portal.workshops.services.registration",
)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """``clock.now = ...`` moves time for the planning rules (starts at the real now)."""
    frozen = Clock(datetime.now(UTC).replace(microsecond=0))
    for name in CLOCK_MODULES:
        monkeypatch.setattr(importlib.import_module(name), "utcnow", frozen)
    return frozen
