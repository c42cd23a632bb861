"""The dashboard's figures against the hand-computed city of tests/learning/dashboard_city.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.services import dashboard
from portal.learning.services.dashboard import UnknownUnit
from portal.units.models import UnitHead
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from portal.workshops.services import fill_and_attendance
from tests.articles.conftest import counting_queries
from tests.learning.dashboard_city import add_record, build_city

YEAR = 2025


@pytest.fixture
def city(make_unit, make_user):
    return build_city(YEAR, make_unit, make_user)


def _by_name(rows):
    return {row.name: row for row in rows}


# ---------------------------------------------------------------- people and targets


def test_people_counts_active_verified_asn_with_their_targets(city):
    rows = {p.name.split()[0].lower(): p for p in dashboard.people(YEAR)}
    assert sorted(rows) == ["ani", "budi", "citra", "dedi", "eka", "fajar"]
    assert {name: (p.jp, p.target) for name, p in rows.items()} == {
        "ani": (20, 18),  # PNS: the AnnualTarget row of the year (18) replaces the default 20
        "budi": (12, 18),  # CPNS counts as PNS; the record from 30 Dec to 2 Jan counts in the year it ended
        "citra": (20, 24),  # PPPK: the default ceiling of 24
        "dedi": (0, 18),  # 10 JP ending 31 Dec of the year before count there
        "eka": (24, 24),  # PPPK part time; the rejected record does not count
        "fajar": (45, 18),  # a record without a development type still counts
    }
    assert (rows["budi"].pending_jp, rows["dedi"].pending_jp, rows["ani"].pending_jp) == (8, 6, 0)
    assert [p.reached for p in rows.values()] == [True, False, False, False, False, True]
    # PPPK have a ceiling, not a target: never below it, and here within it
    assert [p.below_target for p in rows.values()] == [False, True, False, True, False, False]
    assert [(rows[n].has_target, rows[n].over_ceiling) for n in ("citra", "eka")] == [(False, False)] * 2


def test_year_boundaries_and_default_targets_in_other_years(city):
    next_year = {p.name: (p.jp, p.target) for p in dashboard.people(YEAR + 1)}
    assert next_year["Ani Rahmawati"] == (5, 20)  # ended 1 Jan of the next year; no target row there
    assert next_year["Citra Lestari"] == (0, 24)
    before = {p.name: p.jp for p in dashboard.people(YEAR - 1)}
    assert before["Dedi Kurniawan"] == 10
    assert before["Budi Santoso"] == 0  # started 30 Dec, ended 2 Jan: not in the year it started


def test_below_target_sorted_by_missing_jp(city):
    below = dashboard.below_target(dashboard.people(YEAR, [city.a.id]))
    assert [(p.name, p.missing) for p in below] == [
        ("Dedi Kurniawan", 18),
        ("Budi Santoso", 6),
    ]  # Citra Lestari (PPPK, 20 JP) has a ceiling, not a target


# ---------------------------------------------------------------- per unit and distribution


def test_progress_per_unit(city):
    rows = dashboard.progress_by_unit(dashboard.people(YEAR), "nama")
    assert [(r.name, r.people, r.subject, r.reached, r.total_jp) for r in rows] == [
        ("Dinas Alpha", 4, 3, 1, 52),  # citra is PPPK: counted, but has no target
        ("Dinas Beta", 2, 1, 1, 69),  # eka is PPPK
    ]  # Dinas Gamma has nobody counted: no row
    alpha, beta = rows
    assert (round(alpha.percent, 1), alpha.mean_jp, alpha.below) == (33.3, 13.0, 2)
    assert (beta.percent, beta.mean_jp, beta.below) == (100.0, 34.5, 0)


def test_units_sort_by_percent_both_ways(city):
    rows = dashboard.progress_by_unit(dashboard.people(YEAR))
    assert [r.name for r in rows] == ["Dinas Beta", "Dinas Alpha"]
    assert [r.name for r in dashboard.sort_units(rows, "persen-terendah")] == ["Dinas Alpha", "Dinas Beta"]


def test_people_without_a_unit_are_grouped_and_short_names_label_charts(city, make_user, unit):
    make_user(name="Tanpa Unit", unit_id=None)
    make_user(name="Pegawai Kominfo", unit_id=unit.id)
    rows = _by_name(dashboard.progress_by_unit(dashboard.people(YEAR)))
    assert (rows["Tanpa unit"].people, rows["Tanpa unit"].label) == (1, "Tanpa unit")
    assert rows["Dinas Komunikasi dan Informatika"].label == "Diskominfo"
    assert rows["Dinas Alpha"].label == "Dinas Alpha"  # no short name


def test_distribution_buckets(city):
    assert dashboard.distribution(dashboard.people(YEAR)) == [
        ("0", 1),  # dedi
        ("1–9", 0),
        ("10–19", 1),  # budi 12
        ("20–39", 3),  # ani 20, citra 20, eka 24
        ("40+", 1),  # fajar 45
    ]


def test_bucket_edges(city, make_user):
    unit = city.c
    for jp in (9, 10, 19, 20, 39, 40):
        add_record(make_user(unit_id=unit.id), jp, date(YEAR, 6, 1))
    assert dashboard.distribution(dashboard.people(YEAR, [unit.id])) == [
        ("0", 0),
        ("1–9", 1),
        ("10–19", 2),
        ("20–39", 2),
        ("40+", 1),
    ]


# ---------------------------------------------------------------- JP by type and competency


def test_jp_by_type_city_and_unit(city):
    city_rows = [(r.code, r.jp, r.records, r.people) for r in dashboard.jp_by_type(YEAR)]
    assert city_rows == [("KL03", 69, 3, 3), ("KL07", 22, 2, 2), ("", 20, 1, 1), ("NKL03", 10, 1, 1)]
    assert dashboard.jp_by_type(YEAR)[2].name == "Tanpa jenis"
    unit_rows = [(r.code, r.jp) for r in dashboard.jp_by_type(YEAR, [city.a.id])]
    assert unit_rows == [("KL07", 22), ("KL03", 20), ("NKL03", 10)]


def test_jp_by_competency_counts_a_record_for_each_of_its_competencies(city):
    rows = [(r.code, r.name, r.jp, r.records, r.people) for r in dashboard.jp_by_competency(YEAR)]
    assert rows == [("M.05", "Pelayanan Publik", 42, 3, 3), ("M.03", "Komunikasi", 37, 2, 2)]
    assert [(r.code, r.jp) for r in dashboard.jp_by_competency(YEAR, [city.b.id])] == [("M.03", 25)]


# ---------------------------------------------------------------- workshops fill and attendance


def _workshop(organizer, starts_at, capacity, status=WorkshopStatus.PUBLISHED, unit=None):
    workshop = Workshop(
        title=f"Pelatihan {starts_at:%d %b}",
        capacity=capacity,
        organizer_id=organizer.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        status=status,
        provider_unit_id=unit.id if unit else None,
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def _register(workshop, users, status=RegistrationStatus.CONFIRMED, completed=False):
    for user in users:
        db.session.add(
            Registration(
                workshop_id=workshop.id,
                user_id=user.id,
                status=status,
                completed_at=datetime(2025, 1, 1, tzinfo=UTC) if completed else None,
            )
        )
    db.session.commit()


def test_fill_and_attendance(city, make_user):
    organizer = make_user(Role.ORGANIZER)
    people = [make_user() for _ in range(8)]
    w1 = _workshop(organizer, datetime(YEAR, 3, 1, 1, tzinfo=UTC), 10, unit=city.a)
    _register(w1, people[:2], completed=True)
    _register(w1, people[2:4])
    _register(w1, people[4:5], RegistrationStatus.WAITLISTED)
    _register(w1, people[5:6], RegistrationStatus.CANCELLED)
    # 1 Jan 01.00 WIB of the next year: not in this year.
    w2 = _workshop(organizer, datetime(YEAR, 12, 31, 18, tzinfo=UTC), 5)
    _register(w2, people[:2])
    w3 = _workshop(organizer, datetime(YEAR, 6, 1, 1, tzinfo=UTC), 20, WorkshopStatus.COMPLETED, unit=city.b)
    _register(w3, people[:5], completed=True)
    w4 = _workshop(organizer, datetime(YEAR, 7, 1, 1, tzinfo=UTC), 10, WorkshopStatus.CANCELLED)
    _register(w4, people[:3], RegistrationStatus.CANCELLED)
    w5 = _workshop(organizer, datetime(YEAR, 11, 1, 1, tzinfo=UTC), 10)  # not ended yet on 1 October
    _register(w5, people[:3])

    now = datetime(YEAR, 10, 1, tzinfo=UTC)
    figures = fill_and_attendance(YEAR, now=now)
    assert [w.workshop_id for w in figures.workshops] == [w1.id, w3.id, w5.id]
    assert (figures.capacity, figures.confirmed) == (40, 12)
    assert figures.fill_rate == pytest.approx(0.3)
    assert (figures.ended_confirmed, figures.completed) == (9, 7)
    assert figures.attendance_rate == pytest.approx(7 / 9)
    assert figures.workshops[2].attendance_rate is None

    unit = fill_and_attendance(YEAR, city.a.id, now=now)
    assert (unit.fill_rate, unit.attendance_rate) == (0.4, 0.5)
    assert fill_and_attendance(YEAR + 1, now=now).confirmed == 2
    assert fill_and_attendance(YEAR - 1, now=now).fill_rate is None


# ---------------------------------------------------------------- scope and privacy


def test_bkpsdm_sees_the_city_and_any_unit(city, make_user):
    admin = make_user(Role.ADMIN)
    scope = dashboard.resolve_scope(admin, YEAR)
    assert (scope.unit, scope.unit_ids, scope.city_wide) == (None, None, True)
    assert dashboard.resolve_scope(admin, YEAR, city.b.id).unit_ids == [city.b.id]
    with pytest.raises(UnknownUnit):
        dashboard.resolve_scope(admin, YEAR, 999_999)


def test_unit_head_sees_own_unit_only(city):
    head = city["ani"]
    db.session.add(UnitHead(unit_id=city.a.id, user_id=head.id))
    db.session.commit()
    assert dashboard.can_open(head)
    scope = dashboard.resolve_scope(head, YEAR)
    assert (scope.unit, scope.city_wide, [u.id for u in scope.choices]) == (city.a, False, [city.a.id])
    with pytest.raises(PermissionDenied):
        dashboard.resolve_scope(head, YEAR, city.b.id)


def test_members_organizers_and_moderators_have_no_dashboard(city, make_user):
    for user in (city["budi"], make_user(Role.ORGANIZER), make_user(Role.MODERATOR)):
        assert not dashboard.can_open(user)
        with pytest.raises(PermissionDenied):
            dashboard.resolve_scope(user, YEAR)
        with pytest.raises(PermissionDenied):
            dashboard.resolve_scope(user, YEAR, city.a.id)


def test_parse_year():
    this_year = dashboard.current_year()
    assert dashboard.parse_year(str(this_year - 3)) == this_year - 3
    assert dashboard.parse_year(str(this_year + 1)) == this_year + 1
    for bad in (None, "", "abc", "1999", str(this_year + 2), "-1"):
        assert dashboard.parse_year(bad) == this_year


# ---------------------------------------------------------------- bounded queries


def _grow(city, make_user, extra: int):
    """More people and records in every unit: the dashboard's query count must not change."""
    for n in range(extra):
        for unit in (city.a, city.b, city.c):
            user = make_user(unit_id=unit.id)
            add_record(user, n + 1, date(YEAR, 5, 5), type_code="KL03")
            add_record(user, 2, date(YEAR, 6, 6), type_code="NKL01")


def _count_figures(scope) -> int:
    db.session.commit()  # each count starts outside a transaction (and with nothing cached)
    with counting_queries() as statements:
        dashboard.build(scope)
    return len(statements)


@pytest.mark.parametrize("unit_name", [None, "a"])
def test_dashboard_query_count_does_not_grow_with_people(city, make_user, unit_name):
    admin = make_user(Role.ADMIN)
    scope = dashboard.resolve_scope(admin, YEAR, getattr(city, unit_name).id if unit_name else None)
    small = _count_figures(scope)
    _grow(city, make_user, 10)
    assert _count_figures(scope) == small
    assert small <= 22  # the unit scope also reads its pooled needs group, coded technical needs and both yearly rules
