"""Home page fixtures: a small catalogue, an organizer, and builders for what shows on a person's home."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from tests.learning.profile_helpers import add_catalogue, add_workshop


@pytest.fixture
def catalogue():
    return add_catalogue()


@pytest.fixture
def organizer(make_user):
    return make_user(Role.ORGANIZER, name="Yulia Penyelenggara")


@pytest.fixture
def workshop(organizer, catalogue):
    """Published, one 4-hour session 20 days ahead at 08.00 WIB, on M.05 (Pelayanan Publik)."""
    return add_workshop(organizer, [catalogue["M.05"]], title="Pelatihan Pelayanan Prima")
