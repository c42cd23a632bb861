"""JP rules: the conversions per development type (Peraturan LAN 10/2018 conventions) and the checks built on them.

A rule counts ``unit``s: days (seminar, workshop), sessions (coaching, mentoring), activities (an e-learning
course, a benchmarking visit, an internship) or, for curriculum trainings, the training's own JP. The
suggestion is ``jp_per_unit × quantity`` (``jp_international`` for international events), computed by
:func:`~portal.learning.services.conversion.convert`, the one conversion portal workshops use too. Each row says
where its conversion comes from (``source``). For a curriculum
training there is no conversion: the claim is the certificate's JP, and ``jp_per_unit`` (when set) is the most a
training day can hold, so a claim above ``jp_per_unit × days`` is flagged.

``max_units`` per ``limit_period`` (e.g. two coaching sessions a month) is checked against the user's other
records of the same type that were not rejected and that came **before** this one in the periods it covers (by
end date, then by submission): the first two coaching sessions of a month fit, the third is over. Exceeding a
rule or a limit only **warns**: the ASN may still submit, and the verifier sees the same warnings and the capped
suggestion. Warnings are computed from the rows each time they are shown, so a rule an admin corrects applies
at once.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import DevelopmentType, JpRule, JpUnit, LearningRecord, LearningStatus, LimitPeriod
from portal.learning.services.conversion import UNIT_NOUNS, Measure, convert, jp_for

MAX_JP_PER_UNIT = 200
MAX_UNITS_LIMIT = 100
NOTE_MAX = 300
SOURCE_MAX = 300


class JpRuleError(RuleError):
    """A JP rule an admin entered was refused."""


@dataclass(frozen=True)
class RuleDefault:
    unit: JpUnit
    jp_per_unit: int
    jp_international: int | None = None
    max_units: int | None = None
    limit_period: LimitPeriod | None = None
    note: str = ""
    source: str = ""


# Where each default conversion comes from (stored with the row, shown beside it; the migration that added the
# column fills the same texts into the seeded rows that still hold these conversions).
SOURCE_CLASSICAL = (
    "1 JP = 45 menit pembelajaran klasikal (Peraturan LAN 10/2018; menit per JP adalah pengaturan portal); "
    "pelatihan berkurikulum dihitung sesuai JP kurikulumnya."
)
SOURCE_NON_CLASSICAL = "Pedoman LAN tentang pengembangan kompetensi non-klasikal (2020)."
SOURCE_PORTAL = "Aturan bawaan portal, bukan dari pedoman LAN: sesuaikan dengan kebijakan BKPSDM."

_CURRICULUM = RuleDefault(JpUnit.CURRICULUM, 10, source=SOURCE_CLASSICAL)
_GUIDANCE = RuleDefault(JpUnit.SESSION, 2, max_units=2, limit_period=LimitPeriod.MONTH, source=SOURCE_NON_CLASSICAL)
_SELF_STUDY = RuleDefault(JpUnit.ACTIVITY, 2, max_units=2, limit_period=LimitPeriod.DAY, source=SOURCE_NON_CLASSICAL)
_PLACEMENT = RuleDefault(
    JpUnit.ACTIVITY, 20, note="Satu penugasan (magang/detasering/pertukaran).", source=SOURCE_NON_CLASSICAL
)

DEFAULT_RULES: dict[str, RuleDefault] = {
    **dict.fromkeys(("KL01", "KL02", "KL03", "KL04", "KL05", "KL08", "KL09", "KL10", "KL12"), _CURRICULUM),
    "KL06": RuleDefault(JpUnit.DAY, 4, jp_international=6, source=SOURCE_NON_CLASSICAL),
    "KL07": RuleDefault(JpUnit.DAY, 5, jp_international=7, source=SOURCE_NON_CLASSICAL),
    "KL11": RuleDefault(JpUnit.DAY, 3, note="Sosialisasi: setengah hari kerja.", source=SOURCE_PORTAL),
    "NKL01": _GUIDANCE,
    "NKL02": _GUIDANCE,
    "NKL03": RuleDefault(JpUnit.ACTIVITY, 3, source=SOURCE_NON_CLASSICAL),
    "NKL04": RuleDefault(JpUnit.ACTIVITY, 4, source=SOURCE_NON_CLASSICAL),
    "NKL05": _PLACEMENT,
    "NKL06": RuleDefault(JpUnit.ACTIVITY, 4, source=SOURCE_NON_CLASSICAL),
    "NKL07": RuleDefault(JpUnit.ACTIVITY, 10, source=SOURCE_NON_CLASSICAL),
    "NKL08": _PLACEMENT,
    "NKL09": _SELF_STUDY,
    "NKL10": _SELF_STUDY,
    "NKL11": _GUIDANCE,
    "NKL12": _PLACEMENT,
    "NKL13": _CURRICULUM,
}

UNIT_LABELS: dict[JpUnit, Any] = {
    JpUnit.DAY: _l("per hari"),
    JpUnit.SESSION: _l("per sesi"),
    JpUnit.ACTIVITY: _l("per kegiatan"),
    JpUnit.CURRICULUM: _l("sesuai kurikulum"),
}
QUANTITY_LABELS: dict[JpUnit, Any] = {
    JpUnit.DAY: _l("Jumlah hari"),
    JpUnit.SESSION: _l("Jumlah sesi"),
    JpUnit.ACTIVITY: _l("Jumlah kegiatan"),
    JpUnit.CURRICULUM: _l("Jumlah hari pelatihan"),
}
PERIOD_LABELS: dict[LimitPeriod, Any] = {
    LimitPeriod.DAY: _l("sehari"),
    LimitPeriod.MONTH: _l("sebulan"),
    LimitPeriod.YEAR: _l("setahun"),
}
# Records that still count toward a period limit: everything but a rejection.
COUNTED_STATUSES = (LearningStatus.SUBMITTED, LearningStatus.NEEDS_REVISION, LearningStatus.VERIFIED)


# ---------------------------------------------------------------- the rows


def ensure_default_rules() -> Counter[str]:
    """Add the default rule of every seeded type that has none; an admin's edits are never overwritten.

    Does not commit (the caller seeds the types in the same transaction). Returns created/unchanged counts.
    """
    db.session.flush()
    types = {t.code: t for t in db.session.scalars(select(DevelopmentType))}
    ruled = set(db.session.scalars(select(JpRule.development_type_id)))
    counts: Counter[str] = Counter()
    for code, default in DEFAULT_RULES.items():
        development_type = types.get(code)
        if development_type is None or development_type.id in ruled:
            counts["unchanged"] += 1
            continue
        db.session.add(
            JpRule(
                development_type_id=development_type.id,
                unit=default.unit,
                jp_per_unit=default.jp_per_unit,
                jp_international=default.jp_international,
                max_units=default.max_units,
                limit_period=default.limit_period,
                note=default.note,
                source=default.source,
            )
        )
        counts["created"] += 1
    return counts


def rule_for(development_type_id: int | None) -> JpRule | None:
    if not development_type_id:
        return None
    return db.session.scalar(select(JpRule).where(JpRule.development_type_id == development_type_id))


def rules_by_type() -> dict[int, JpRule]:
    return {rule.development_type_id: rule for rule in db.session.scalars(select(JpRule))}


def describe(rule: JpRule) -> str:
    """'4 JP per hari (internasional 6 JP); paling banyak 2 sesi sebulan' for pages and the form's help text."""
    if rule.unit == JpUnit.CURRICULUM:
        text = _("JP sesuai kurikulum")
        if rule.jp_per_unit:
            text += " " + _("(paling banyak %(jp)d JP per hari pelatihan)", jp=rule.jp_per_unit)
    else:
        text = _("%(jp)d JP %(unit)s", jp=rule.jp_per_unit, unit=UNIT_LABELS[rule.unit])
        if rule.jp_international is not None:
            text += " " + _("(internasional %(jp)d JP)", jp=rule.jp_international)
    if rule.max_units and rule.limit_period:
        text += "; " + _(
            "paling banyak %(n)d %(unit)s %(period)s",
            n=rule.max_units,
            unit=UNIT_NOUNS[rule.unit],
            period=PERIOD_LABELS[rule.limit_period],
        )
    return text


# ---------------------------------------------------------------- periods


def period_start(day: date, period: LimitPeriod) -> date:
    if period == LimitPeriod.DAY:
        return day
    if period == LimitPeriod.MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def period_end(day: date, period: LimitPeriod) -> date:
    if period == LimitPeriod.DAY:
        return day
    if period == LimitPeriod.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day.replace(month=12, day=31)


def periods_spanned(start: date, end: date, period: LimitPeriod) -> int:
    """How many days/months/years the activity touches (1 for a one-day activity)."""
    if period == LimitPeriod.DAY:
        return (end - start).days + 1
    if period == LimitPeriod.MONTH:
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return end.year - start.year + 1


def days_spanned(start: date, end: date) -> int:
    return (end - start).days + 1


# ---------------------------------------------------------------- checking a claim


@dataclass
class Claim:
    """What is claimed, as the form (or a stored record) gives it."""

    development_type_id: int | None
    quantity: int
    start_date: date
    end_date: date
    jp_claimed: int | None = None
    is_international: bool = False
    exclude_record_id: int | None = None  # the record being edited or verified


@dataclass
class ClaimCheck:
    rule: JpRule | None
    suggested: int | None  # the rule's JP for the claim (None: curriculum or no rule)
    capped: int | None  # the suggestion after the period limit (what a verifier would normally recognise)
    ceiling: int | None  # the most the rule allows for the claim, beyond which it warns
    units_used: int = 0  # units of earlier records counted in the limit's window
    units_allowed: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rule_text(self) -> str:
        return describe(self.rule) if self.rule else ""


def _units_before(user_id: int, claim: Claim, period: LimitPeriod) -> int:
    """Units of the user's earlier records of the type in the claim's window (a new claim comes after its day's)."""
    earlier = LearningRecord.end_date < claim.end_date
    same_day = LearningRecord.end_date == claim.end_date
    if claim.exclude_record_id is None:
        earlier = earlier | same_day
    else:
        earlier = earlier | (same_day & (LearningRecord.id < claim.exclude_record_id))
    stmt = select(func.coalesce(func.sum(LearningRecord.quantity), 0)).where(
        LearningRecord.user_id == user_id,
        LearningRecord.development_type_id == claim.development_type_id,
        LearningRecord.status.in_(COUNTED_STATUSES),
        LearningRecord.end_date >= period_start(claim.start_date, period),
        earlier,
    )
    return int(db.session.scalar(stmt) or 0)


def check_claim(user_id: int, claim: Claim) -> ClaimCheck:
    """The rule's suggestion for a claim and every warning about it (never raises for an over-claim)."""
    rule = rule_for(claim.development_type_id)
    if rule is None:
        return ClaimCheck(rule=None, suggested=None, capped=None, ceiling=None)
    quantity = max(0, claim.quantity)
    # The same conversion a portal workshop of the type gets (a curriculum claim has no minutes: no suggestion).
    suggested = convert(claim.development_type_id, Measure.of_quantity(quantity, claim.is_international)).jp
    if rule.unit == JpUnit.CURRICULUM:
        ceiling = rule.jp_per_unit * days_spanned(claim.start_date, claim.end_date) if rule.jp_per_unit else None
    else:
        ceiling = suggested
    check = ClaimCheck(rule=rule, suggested=suggested, capped=suggested, ceiling=ceiling)
    if claim.jp_claimed is not None and ceiling is not None and claim.jp_claimed > ceiling:
        check.warnings.append(
            _(
                "Klaim %(claimed)d JP melebihi aturan (%(rule)s): paling banyak %(max)d JP.",
                claimed=claim.jp_claimed,
                rule=describe(rule),
                max=ceiling,
            )
        )
    if rule.max_units and rule.limit_period:
        _check_limit(user_id, claim, rule, check, quantity)
    return check


def _check_limit(user_id: int, claim: Claim, rule: JpRule, check: ClaimCheck, quantity: int) -> None:
    period = rule.limit_period
    assert rule.max_units is not None and period is not None  # the caller checks both
    allowed = rule.max_units * periods_spanned(claim.start_date, claim.end_date, period)
    used = _units_before(user_id, claim, period)
    check.units_used, check.units_allowed = used, allowed
    if used + quantity <= allowed:
        return
    if check.suggested is not None:
        check.capped = jp_for(rule, min(quantity, max(0, allowed - used)), claim.is_international)
    check.warnings.append(
        ngettext(
            "Melebihi batas %(max)d %(unit)s %(period)s: sebelumnya pada periode itu sudah tercatat %(num)d %(unit)s.",
            "Melebihi batas %(max)d %(unit)s %(period)s: sebelumnya pada periode itu sudah tercatat %(num)d %(unit)s.",
            used,
            max=rule.max_units,
            unit=UNIT_NOUNS[rule.unit],
            period=PERIOD_LABELS[period],
        )
    )


def check_record(record: LearningRecord) -> ClaimCheck:
    """The same check for a stored record, as its verifier sees it."""
    return check_claim(
        record.user_id,
        Claim(
            development_type_id=record.development_type_id,
            quantity=record.quantity,
            start_date=record.start_date,
            end_date=record.end_date,
            jp_claimed=record.jp_claimed,
            is_international=record.is_international,
            exclude_record_id=record.id,
        ),
    )


# ---------------------------------------------------------------- editing a rule


@dataclass
class RuleInput:
    unit: JpUnit | str
    jp_per_unit: int | None
    jp_international: int | None = None
    max_units: int | None = None
    limit_period: LimitPeriod | str | None = None
    note: str = ""
    source: str = ""


def validated_rule(data: RuleInput) -> dict[str, Any]:
    """The column values of a rule; :class:`JpRuleError` for bad input."""
    try:
        unit = JpUnit(data.unit)
    except ValueError:
        raise JpRuleError(_l("Pilih satuan yang dihitung."), "unit") from None
    if data.jp_per_unit is None or not 0 <= data.jp_per_unit <= MAX_JP_PER_UNIT:
        raise JpRuleError(_l("JP per satuan harus 0 sampai %(max)d.", max=MAX_JP_PER_UNIT), "jp_per_unit")
    if data.jp_international is not None and not 0 <= data.jp_international <= MAX_JP_PER_UNIT:
        raise JpRuleError(_l("JP internasional harus 0 sampai %(max)d.", max=MAX_JP_PER_UNIT), "jp_international")
    try:
        period = LimitPeriod(data.limit_period) if data.limit_period else None
    except ValueError:
        raise JpRuleError(_l("Pilih periode batas."), "limit_period") from None
    if (data.max_units is None) != (period is None):
        raise JpRuleError(_l("Isi batas dan periodenya bersama-sama, atau kosongkan keduanya."), "max_units")
    if data.max_units is not None and not 1 <= data.max_units <= MAX_UNITS_LIMIT:
        raise JpRuleError(_l("Batas harus 1 sampai %(max)d.", max=MAX_UNITS_LIMIT), "max_units")
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise JpRuleError(_l("Catatan paling banyak %(max)d karakter.", max=NOTE_MAX), "note")
    source = " ".join((data.source or "").split())
    if len(source) > SOURCE_MAX:
        raise JpRuleError(_l("Sumber paling banyak %(max)d karakter.", max=SOURCE_MAX), "source")
    return {
        "unit": unit,
        "jp_per_unit": data.jp_per_unit,
        "jp_international": data.jp_international if unit != JpUnit.CURRICULUM else None,
        "max_units": data.max_units,
        "limit_period": period,
        "note": note,
        "source": source,
        "updated_at": utcnow(),
    }
