"""One conversion from an activity to JP, for portal workshops and self-reported records alike.

It describes development types (their :class:`~portal.competencies.models.JpRule` rows), so it lives in the
competency catalogue, below both workshops and learning; ``portal.learning.services.conversion`` re-exports it.

:func:`convert` takes a development type and the activity's :class:`Measure` (days, sessions, activities and,
when known, the minutes of classical learning) and returns a :class:`Conversion`: the JP, the rule row it came
from (with the row's ``source``) and a sentence saying how the figure was reached ("5 JP — Workshop/lokakarya,
1 hari, aturan KL07").

- A day/session/activity rule multiplies its rate (the international rate for international events) by the
  count of its unit: a one-day workshop is 5 JP whether it ran in the portal or was reported by the ASN.
- A curriculum training counts its lessons: the minutes of classical learning ÷ the minutes of one JP (setting
  ``WORKSHOPS_MINUTES_PER_JP``, 45), never more than ``jp_per_unit`` per training day when the rule sets it.
  Without minutes (a certificate reported by the ASN) there is no conversion: the certificate's JP counts.
- A type without a rule falls back to the classical lesson (minutes ÷ 45) when the minutes are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal.competencies.models import DevelopmentType, JpRule, JpUnit
from portal.core.i18n import lazy_gettext as _l
from portal.core.timezone import to_local
from portal.extensions import db

DEFAULT_MINUTES_PER_JP = 45

UNIT_NOUNS: dict[JpUnit, Any] = {
    JpUnit.DAY: _l("hari"),
    JpUnit.SESSION: _l("sesi"),
    JpUnit.ACTIVITY: _l("kegiatan"),
    JpUnit.CURRICULUM: _l("hari"),
}


def minutes_per_jp() -> int:
    """The minutes of one JP of classical learning (a setting; Peraturan LAN 10/2018 commonly uses 45)."""
    return max(1, int(current_app.config.get("WORKSHOPS_MINUTES_PER_JP", DEFAULT_MINUTES_PER_JP)))


@dataclass(frozen=True)
class Measure:
    """How much of an activity there was, in every unit a rule may count."""

    days: int = 1
    sessions: int = 1
    activities: int = 1
    minutes: int | None = None  # classical learning time, when known (a portal workshop's sessions)
    international: bool = False

    @classmethod
    def of_quantity(cls, quantity: int, international: bool = False) -> Measure:
        """A claim's measure: its quantity counts whatever the type's rule counts (days, sessions, activities)."""
        quantity = max(0, quantity)
        return cls(days=quantity, sessions=quantity, activities=quantity, international=international)

    @classmethod
    def of_sessions(cls, sessions: Iterable[tuple[datetime, datetime]]) -> Measure:
        """A portal workshop's measure: its calendar days (WIB), sessions and total minutes; one activity."""
        times = list(sessions)
        return cls(
            days=len({to_local(start).date() for start, _end in times}),
            sessions=len(times),
            activities=1,
            minutes=sum(max(0, int((end - start).total_seconds() // 60)) for start, end in times),
        )


@dataclass(frozen=True)
class Conversion:
    jp: int | None  # None: no conversion (a curriculum training reported without its minutes, or no rule)
    development_type: DevelopmentType | None
    rule: JpRule | None
    units: int  # what the rate was multiplied by (days, sessions, activities; curriculum: training days)
    minutes: int | None = None
    minutes_per_jp: int = DEFAULT_MINUTES_PER_JP
    international: bool = False
    capped: bool = False  # curriculum: the lessons were more than the rule's JP per training day allow

    @property
    def code(self) -> str:
        return self.development_type.code if self.development_type else ""

    @property
    def source(self) -> str:
        return self.rule.source if self.rule else ""

    @property
    def text(self) -> str:
        """How the figure was reached: "5 JP — Workshop/lokakarya, 1 hari, aturan KL07"."""
        if self.jp is None:
            if self.rule is not None and self.rule.unit == JpUnit.CURRICULUM:
                return _("%(type)s: JP sesuai kurikulum, aturan %(code)s", type=self._type_name, code=self.code)
            return ""
        if self.rule is None:
            return _(
                "%(jp)d JP — %(minutes)d menit (%(per)d menit per JP), tanpa aturan jenis",
                jp=self.jp,
                minutes=self.minutes or 0,
                per=self.minutes_per_jp,
            )
        if self.rule.unit == JpUnit.CURRICULUM:
            text = _(
                "%(jp)d JP — %(type)s, %(minutes)d menit (%(per)d menit per JP), aturan %(code)s",
                jp=self.jp,
                type=self._type_name,
                minutes=self.minutes or 0,
                per=self.minutes_per_jp,
                code=self.code,
            )
            if self.capped:
                text += "; " + _("paling banyak %(jp)d JP per hari pelatihan", jp=self.rule.jp_per_unit)
            return text
        text = _(
            "%(jp)d JP — %(type)s, %(count)d %(unit)s, aturan %(code)s",
            jp=self.jp,
            type=self._type_name,
            count=self.units,
            unit=UNIT_NOUNS[self.rule.unit],
            code=self.code,
        )
        if self.international and self.rule.jp_international is not None:
            text += " " + _("(internasional)")
        return text

    @property
    def _type_name(self) -> str:
        return str(self.development_type.name) if self.development_type else ""


def rate(rule: JpRule, international: bool) -> int:
    """JP per unit: the international rate for an international event when the rule has one."""
    return rule.jp_international if international and rule.jp_international is not None else rule.jp_per_unit


def jp_for(rule: JpRule, units: int, international: bool) -> int:
    return rate(rule, international) * max(0, units)


def units_of(rule: JpRule, measure: Measure) -> int:
    if rule.unit == JpUnit.SESSION:
        return measure.sessions
    if rule.unit == JpUnit.ACTIVITY:
        return measure.activities
    return measure.days  # day rules, and the training days a curriculum rule caps


def all_rules() -> dict[int, JpRule]:
    """Every rule by development type id, in one query (with their types), for converting many activities."""
    return {rule.development_type_id: rule for rule in db.session.scalars(select(JpRule))}


def convert(
    development_type_id: int | None, measure: Measure, known_rules: Mapping[int, JpRule] | None = None
) -> Conversion:
    """The JP of an activity of a development type, with the rule it came from. Never raises.

    ``known_rules`` (from :func:`all_rules`) saves the look-up when many activities are converted at once.
    """
    development_type = db.session.get(DevelopmentType, development_type_id) if development_type_id else None
    if development_type is None:
        rule = None
    elif known_rules is not None:
        rule = known_rules.get(development_type.id)
    else:
        rule = db.session.scalar(select(JpRule).where(JpRule.development_type_id == development_type.id))
    per = minutes_per_jp()
    lessons = measure.minutes // per if measure.minutes is not None else None
    common = {
        "development_type": development_type,
        "rule": rule,
        "minutes": measure.minutes,
        "minutes_per_jp": per,
        "international": measure.international,
    }
    if rule is None:
        return Conversion(jp=lessons, units=0, **common)
    units = units_of(rule, measure)
    if rule.unit != JpUnit.CURRICULUM:
        return Conversion(jp=jp_for(rule, units, measure.international), units=units, **common)
    if lessons is None:
        return Conversion(jp=None, units=units, **common)
    ceiling = rule.jp_per_unit * units if rule.jp_per_unit else None
    if ceiling is not None and lessons > ceiling:
        return Conversion(jp=ceiling, units=units, capped=True, **common)
    return Conversion(jp=lessons, units=units, **common)
