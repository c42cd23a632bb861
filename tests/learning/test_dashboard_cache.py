"""The development dashboard is kept per viewer, scope, order, day and language (learning/dashboard_views.py):
a second visit asks the database only for the viewer's scope, a change to what it counts shows on the next visit."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.core.permissions import Role
from portal.learning.dashboard_views import DASHBOARD_TABLES
from tests.articles.conftest import counting_queries
from tests.conftest import login
from tests.floor import warm_floor
from tests.learning.dashboard_city import add_record, build_city

YEAR = 2025
_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.I)


@pytest.fixture
def city(make_unit, make_user):
    return build_city(YEAR, make_unit, make_user)


def _own(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


@pytest.mark.parametrize("unit_name", [None, "a"])
def test_every_table_the_dashboard_reads_is_one_it_is_kept_by(app, city, make_user, unit_name):
    client = login(app.test_client(), make_user(Role.ADMIN))
    unit = f"&unit={getattr(city, unit_name).id}" if unit_name else ""
    warm_floor(client)
    with counting_queries() as statements:
        assert client.get(f"/dasbor-pengembangan?tahun={YEAR}{unit}").status_code == 200
    read = {table.lower() for statement in statements for table in _TABLE.findall(statement)}
    assert read and read <= set(DASHBOARD_TABLES), sorted(read - set(DASHBOARD_TABLES))


def test_a_second_visit_asks_nothing_and_a_new_record_shows(app, city, make_user):
    client = login(app.test_client(), make_user(Role.ADMIN))
    url = f"/dasbor-pengembangan?tahun={YEAR}&unit={city.b.id}"
    warm_floor(client)  # and the welcome message shown once after logging in
    first = client.get(url).get_data(as_text=True)
    with counting_queries() as statements:
        second = client.get(url).get_data(as_text=True)
    # only the scope is checked again (the units the viewer may choose): the figures come from the cache
    assert len(_own(statements)) == 1 and "FROM units" in _own(statements)[0] and second == first
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.startswith('<div id="dashboard-body">') or '<div id="dashboard-body">' in fragment[:200]
    add_record(city["fajar"], 40, date(YEAR, 8, 8), type_code="KL03")
    assert client.get(url).get_data(as_text=True) != first


def test_each_viewer_gets_their_own_scope(app, city, make_user):
    admin = login(app.test_client(), make_user(Role.ADMIN))
    assert "Dinas Alpha" in admin.get(f"/dasbor-pengembangan?tahun={YEAR}").get_data(as_text=True)
    member = login(app.test_client(), make_user())
    assert member.get(f"/dasbor-pengembangan?tahun={YEAR}").status_code == 403
