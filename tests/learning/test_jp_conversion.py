"""The one JP conversion (portal workshops and self-reported activities alike), per rule kind, with its source."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.extensions import db
from portal.learning.services import get_development_type_by_code, rules
from portal.learning.services.conversion import Measure, convert
from portal.learning.services.rules import Claim, check_claim

# 08:00-16:00 WIB is 01:00-09:00 UTC.
ONE_DAY = [(datetime(2026, 3, 2, 1, tzinfo=UTC), datetime(2026, 3, 2, 9, tzinfo=UTC))]


def _id(code: str) -> int:
    return get_development_type_by_code(code).id


@pytest.mark.parametrize(
    ("code", "measure", "jp", "text"),
    [
        # a day rule counts days: seminar 4, workshop 5 a day; international rates 6 and 7
        ("KL07", Measure(days=1), 5, "5 JP — Workshop/lokakarya, 1 hari, aturan KL07"),
        ("KL06", Measure(days=2), 8, "8 JP — Seminar/konferensi/sarasehan, 2 hari, aturan KL06"),
        (
            "KL07",
            Measure(days=1, international=True),
            7,
            "7 JP — Workshop/lokakarya, 1 hari, aturan KL07 (internasional)",
        ),
        # a session rule counts sessions, whatever the days
        ("NKL01", Measure(days=1, sessions=3), 6, "6 JP — Coaching, 3 sesi, aturan NKL01"),
        # an activity rule counts activities
        ("NKL07", Measure(days=3, sessions=5), 10, "10 JP — Patok banding (benchmarking), 1 kegiatan, aturan NKL07"),
        ("NKL03", Measure(), 3, "3 JP — E-learning, 1 kegiatan, aturan NKL03"),
        # a curriculum training counts 45-minute lessons when the minutes are known...
        (
            "KL03",
            Measure(days=1, minutes=360),
            8,
            "8 JP — Pelatihan teknis, 360 menit (45 menit per JP), aturan KL03",
        ),
        # ...never more than the rule's 10 JP per training day...
        (
            "KL03",
            Measure(days=1, minutes=600),
            10,
            "10 JP — Pelatihan teknis, 600 menit (45 menit per JP), aturan KL03; "
            "paling banyak 10 JP per hari pelatihan",
        ),
        # ...and without them (a certificate) its JP is the curriculum's: no conversion
        ("KL03", Measure(days=1), None, "Pelatihan teknis: JP sesuai kurikulum, aturan KL03"),
    ],
)
def test_convert_each_rule_kind(development_types, code, measure, jp, text):
    conversion = convert(_id(code), measure)
    assert conversion.jp == jp
    assert conversion.text == text


def test_minutes_per_jp_is_a_setting(development_types, app):
    app.config["WORKSHOPS_MINUTES_PER_JP"] = 60
    try:
        assert convert(_id("KL03"), Measure(days=1, minutes=360)).jp == 6
    finally:
        app.config["WORKSHOPS_MINUTES_PER_JP"] = 45


def test_a_type_without_a_rule_falls_back_to_classical_lessons(development_types):
    db.session.delete(rules.rule_for(_id("KL12")))
    db.session.commit()
    conversion = convert(_id("KL12"), Measure(days=1, minutes=100))
    assert (conversion.jp, conversion.rule) == (2, None)
    assert conversion.text == "2 JP — 100 menit (45 menit per JP), tanpa aturan jenis"
    assert convert(_id("KL12"), Measure.of_quantity(1)).jp is None  # self-reported: nothing to convert
    assert convert(None, Measure(minutes=90)).jp == 2


def test_workshop_sessions_and_a_self_reported_day_give_the_same_jp(development_types, make_user):
    """Issue 13: an 08:00-16:00 workshop was 10 JP in the portal (480 / 45) and 5 JP when self-reported."""
    held = convert(_id("KL07"), Measure.of_sessions(ONE_DAY))
    reported = check_claim(
        make_user().id,
        Claim(development_type_id=_id("KL07"), quantity=1, start_date=date(2026, 3, 2), end_date=date(2026, 3, 2)),
    )
    assert held.jp == reported.suggested == 5


def test_measure_of_sessions_counts_local_days_sessions_and_minutes():
    two_days = [
        *ONE_DAY,
        (datetime(2026, 3, 3, 1, tzinfo=UTC), datetime(2026, 3, 3, 4, tzinfo=UTC)),
        (datetime(2026, 3, 3, 5, tzinfo=UTC), datetime(2026, 3, 3, 7, tzinfo=UTC)),
    ]
    assert Measure.of_sessions(two_days) == Measure(days=2, sessions=3, activities=1, minutes=480 + 180 + 120)
    # 23:00-01:00 WIB crosses midnight in Sawahlunto, not in UTC: the day it starts counts
    late = [(datetime(2026, 3, 2, 16, tzinfo=UTC), datetime(2026, 3, 2, 18, tzinfo=UTC))]
    assert Measure.of_sessions(late).days == 1


def test_seeded_rules_say_where_their_conversion_comes_from(development_types):
    assert "non-klasikal" in rules.rule_for(_id("KL07")).source
    assert "45 menit" in rules.rule_for(_id("KL03")).source
    assert "bawaan portal" in rules.rule_for(_id("KL11")).source  # not from LAN's guideline: said so
    assert convert(_id("KL07"), Measure()).source == rules.rule_for(_id("KL07")).source


def test_an_admin_sets_a_rules_source_and_a_too_long_one_is_refused(development_types, make_user):
    from portal.core.permissions import Role
    from portal.learning import services

    admin = make_user(Role.ADMIN)
    kl07 = get_development_type_by_code("KL07")
    data = rules.RuleInput(unit="day", jp_per_unit=6, source="  Keputusan Kepala BKPSDM   2027  ")
    services.save_rule(admin, kl07, data)
    assert (rules.rule_for(kl07.id).jp_per_unit, rules.rule_for(kl07.id).source) == (6, "Keputusan Kepala BKPSDM 2027")
    with pytest.raises(rules.JpRuleError, match="Sumber paling banyak 300 karakter"):
        services.save_rule(admin, kl07, rules.RuleInput(unit="day", jp_per_unit=4, source="x" * 301))
    db.session.rollback()
    assert rules.rule_for(kl07.id).jp_per_unit == 6
