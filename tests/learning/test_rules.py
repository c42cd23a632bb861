"""JP rules: seeding, suggestions, over-claim and period-limit warnings (numbers computed by hand)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.learning.models import JpRule, JpUnit, LearningStatus, LimitPeriod
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code, rules
from portal.learning.services.rules import Claim, RuleInput, check_claim


def _type_id(code: str) -> int:
    return get_development_type_by_code(code).id


def _claim(code: str, quantity: int = 1, start: date = date(2025, 3, 20), end: date | None = None, **fields) -> Claim:
    return Claim(
        development_type_id=_type_id(code), quantity=quantity, start_date=start, end_date=end or start, **fields
    )


# ---------------------------------------------------------------- seeding


def test_seeding_gives_every_type_its_rule_once(development_types):
    assert db.session.scalar(select(func.count()).select_from(JpRule)) == 25
    seminar = rules.rule_for(_type_id("KL06"))
    assert (seminar.unit, seminar.jp_per_unit, seminar.jp_international) == (JpUnit.DAY, 4, 6)
    coaching = rules.rule_for(_type_id("NKL01"))
    assert (coaching.unit, coaching.jp_per_unit, coaching.max_units, coaching.limit_period) == (
        JpUnit.SESSION,
        2,
        2,
        LimitPeriod.MONTH,
    )
    self_study = rules.rule_for(_type_id("NKL09"))
    assert (self_study.jp_per_unit, self_study.max_units, self_study.limit_period) == (2, 2, LimitPeriod.DAY)
    assert rules.rule_for(_type_id("NKL07")).jp_per_unit == 10
    assert rules.rule_for(_type_id("NKL12")).jp_per_unit == 20
    assert rules.rule_for(_type_id("KL03")).unit == JpUnit.CURRICULUM

    assert upsert_development_types() == {"unchanged": 25}
    assert db.session.scalar(select(func.count()).select_from(JpRule)) == 25


def test_reseeding_keeps_an_admins_edit_and_restores_a_deleted_rule(development_types):
    seminar = rules.rule_for(_type_id("KL06"))
    seminar.jp_per_unit = 5
    db.session.delete(rules.rule_for(_type_id("NKL03")))
    db.session.commit()

    upsert_development_types()

    assert rules.rule_for(_type_id("KL06")).jp_per_unit == 5
    assert rules.rule_for(_type_id("NKL03")).jp_per_unit == 3


def test_describe_reads_like_the_regulation(development_types):
    assert rules.describe(rules.rule_for(_type_id("KL06"))) == "4 JP per hari (internasional 6 JP)"
    assert rules.describe(rules.rule_for(_type_id("NKL01"))) == "2 JP per sesi; paling banyak 2 sesi sebulan"
    assert rules.describe(rules.rule_for(_type_id("KL03"))) == (
        "JP sesuai kurikulum (paling banyak 10 JP per hari pelatihan)"
    )


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("start", "end", "period", "expected"),
    [
        (date(2025, 3, 5), date(2025, 3, 5), LimitPeriod.DAY, 1),
        (date(2025, 3, 5), date(2025, 3, 7), LimitPeriod.DAY, 3),
        (date(2025, 1, 31), date(2025, 3, 1), LimitPeriod.MONTH, 3),
        (date(2024, 12, 31), date(2025, 1, 1), LimitPeriod.MONTH, 2),
        (date(2024, 12, 31), date(2025, 1, 1), LimitPeriod.YEAR, 2),
    ],
)
def test_periods_spanned(start, end, period, expected):
    assert rules.periods_spanned(start, end, period) == expected


def test_period_bounds():
    assert rules.period_start(date(2024, 2, 17), LimitPeriod.MONTH) == date(2024, 2, 1)
    assert rules.period_end(date(2024, 2, 17), LimitPeriod.MONTH) == date(2024, 2, 29)  # leap year
    assert rules.period_end(date(2025, 2, 17), LimitPeriod.YEAR) == date(2025, 12, 31)


# ---------------------------------------------------------------- suggestions and over-claims


@pytest.mark.parametrize(
    ("code", "quantity", "international", "expected"),
    [
        ("KL06", 3, False, 12),  # seminar: 3 days x 4
        ("KL06", 3, True, 18),  # international: 3 x 6
        ("KL07", 2, True, 14),  # workshop, international: 2 x 7
        ("KL07", 2, False, 10),
        ("NKL01", 1, False, 2),  # coaching: a session
        ("NKL03", 1, False, 3),  # e-learning: an activity
        ("NKL07", 1, False, 10),  # benchmarking
        ("NKL05", 1, False, 20),  # secondment
        ("NKL03", 2, True, 6),  # no international rate: the normal one
    ],
)
def test_suggestion_is_rate_times_quantity(development_types, make_user, code, quantity, international, expected):
    user = make_user()
    end = date(2025, 3, 20 + quantity - 1)
    check = check_claim(user.id, _claim(code, quantity, end=end, is_international=international))
    assert check.suggested == expected
    assert check.capped == expected
    assert check.warnings == []


def test_claim_above_the_rule_warns_but_equal_does_not(development_types, make_user):
    user = make_user()
    assert check_claim(user.id, _claim("KL06", jp_claimed=4)).warnings == []
    warnings = check_claim(user.id, _claim("KL06", jp_claimed=6)).warnings
    assert warnings == ["Klaim 6 JP melebihi aturan (4 JP per hari (internasional 6 JP)): paling banyak 4 JP."]
    assert check_claim(user.id, _claim("KL06", jp_claimed=6, is_international=True)).warnings == []


def test_curriculum_training_has_no_suggestion_but_a_daily_ceiling(development_types, make_user):
    user = make_user()
    three_days = {"start": date(2025, 5, 5), "end": date(2025, 5, 7)}
    check = check_claim(user.id, _claim("KL03", 3, jp_claimed=30, **three_days))
    assert (check.suggested, check.ceiling, check.warnings) == (None, 30, [])
    assert len(check_claim(user.id, _claim("KL03", 3, jp_claimed=31, **three_days)).warnings) == 1


def test_type_without_rule_has_no_suggestion(development_types, make_user):
    db.session.delete(rules.rule_for(_type_id("NKL13")))
    db.session.commit()
    check = check_claim(make_user().id, _claim("NKL13", jp_claimed=500))
    assert (check.rule, check.suggested, check.warnings) == (None, None, [])


# ---------------------------------------------------------------- period limits


def test_third_coaching_of_a_month_warns_and_is_capped_to_zero(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "NKL01", date(2025, 3, 5), jp=2, quantity=1)
    make_record(user, "NKL01", date(2025, 3, 12), jp_claimed=2, quantity=1, status=LearningStatus.SUBMITTED)
    make_record(user, "NKL01", date(2025, 2, 27), jp=2, quantity=1)  # another month
    make_record(user, "NKL02", date(2025, 3, 14), jp=2, quantity=1)  # mentoring has its own limit

    check = check_claim(user.id, _claim("NKL01", start=date(2025, 3, 20), jp_claimed=2))

    assert (check.units_used, check.units_allowed, check.suggested, check.capped) == (2, 2, 2, 0)
    assert check.warnings == ["Melebihi batas 2 sesi sebulan: sebelumnya pada periode itu sudah tercatat 2 sesi."]
    assert check_claim(user.id, _claim("NKL01", start=date(2025, 4, 1))).warnings == []


def test_rejected_records_and_other_users_do_not_use_the_limit(development_types, make_user, make_record):
    user, colleague = make_user(), make_user()
    make_record(user, "NKL01", date(2025, 3, 5), jp=2, quantity=1)
    make_record(user, "NKL01", date(2025, 3, 6), quantity=1, jp_claimed=2, status=LearningStatus.REJECTED)
    make_record(colleague, "NKL01", date(2025, 3, 7), jp=2, quantity=1)

    check = check_claim(user.id, _claim("NKL01", start=date(2025, 3, 20)))

    assert (check.units_used, check.capped, check.warnings) == (1, 2, [])


def test_two_sessions_in_one_claim_after_one_are_capped_to_one(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "NKL02", date(2025, 7, 1), jp=2, quantity=1)
    check = check_claim(user.id, _claim("NKL02", 2, start=date(2025, 7, 10), end=date(2025, 7, 17)))
    assert (check.suggested, check.capped, len(check.warnings)) == (4, 2, 1)


def test_self_study_is_limited_per_day(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "NKL09", date(2025, 6, 10), jp=2, quantity=1)
    make_record(user, "NKL09", date(2025, 6, 10), jp=2, quantity=1)

    assert len(check_claim(user.id, _claim("NKL09", start=date(2025, 6, 10))).warnings) == 1
    assert check_claim(user.id, _claim("NKL09", start=date(2025, 6, 11))).warnings == []
    assert len(check_claim(user.id, _claim("NKL09", 3, start=date(2025, 6, 12))).warnings) == 1


def test_only_earlier_records_count_so_the_later_one_is_over(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "NKL01", date(2025, 3, 5), jp=2, quantity=1)
    third = make_record(user, "NKL01", date(2025, 3, 26), jp_claimed=2, quantity=1, status=LearningStatus.SUBMITTED)
    second = make_record(user, "NKL01", date(2025, 3, 12), jp_claimed=2, quantity=1, status=LearningStatus.SUBMITTED)
    same_day = make_record(user, "NKL01", date(2025, 3, 26), jp_claimed=2, quantity=1, status=LearningStatus.SUBMITTED)

    assert rules.check_record(second).warnings == []  # itself not counted; the 26th came after it
    assert (rules.check_record(third).units_used, rules.check_record(third).capped) == (2, 0)
    assert rules.check_record(same_day).units_used == 3  # same day: the earlier submission goes first
    assert check_claim(user.id, _claim("NKL01", start=date(2025, 3, 1))).warnings == []


def test_activity_spanning_two_months_may_use_both_months(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "NKL01", date(2025, 1, 10), jp=2, quantity=1)
    make_record(user, "NKL01", date(2025, 2, 10), jp=2, quantity=1)
    spanning = _claim("NKL01", 2, start=date(2025, 1, 30), end=date(2025, 2, 2))
    check = check_claim(user.id, spanning)
    assert (check.units_used, check.units_allowed, check.warnings) == (1, 4, [])  # 10 Feb comes after it


# ---------------------------------------------------------------- editing a rule


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (RuleInput(unit="hour", jp_per_unit=2), "unit"),
        (RuleInput(unit="day", jp_per_unit=None), "jp_per_unit"),
        (RuleInput(unit="day", jp_per_unit=-1), "jp_per_unit"),
        (RuleInput(unit="day", jp_per_unit=201), "jp_per_unit"),
        (RuleInput(unit="day", jp_per_unit=4, jp_international=-2), "jp_international"),
        (RuleInput(unit="session", jp_per_unit=2, max_units=2), "max_units"),
        (RuleInput(unit="session", jp_per_unit=2, limit_period="month"), "max_units"),
        (RuleInput(unit="session", jp_per_unit=2, max_units=0, limit_period="month"), "max_units"),
        (RuleInput(unit="session", jp_per_unit=2, max_units=2, limit_period="week"), "limit_period"),
        (RuleInput(unit="day", jp_per_unit=4, note="x" * 301), "note"),
    ],
)
def test_bad_rule_input_is_refused(data, field):
    with pytest.raises(rules.JpRuleError) as refused:
        rules.validated_rule(data)
    assert refused.value.field == field


def test_curriculum_rule_drops_the_international_rate():
    values = rules.validated_rule(RuleInput(unit="curriculum", jp_per_unit=8, jp_international=12, note=" x "))
    assert (values["unit"], values["jp_international"], values["note"]) == (JpUnit.CURRICULUM, None, "x")
