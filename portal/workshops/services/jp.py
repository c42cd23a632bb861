"""A workshop's JP: the JP rule of its development type, or a figure the organizer set with a reason.

The figure comes from :func:`portal.competencies.conversion.convert`, the same conversion a self-reported
activity of the type gets (an 08:00–16:00 workshop of type KL07 is 1 day = 5 JP either way). An organizer may
set a different JP only with a reason, which is stored and shown. Workshops stored before the rule keep their JP
(``JpBasis.LEGACY*``) until the organizer clears the field or sets a figure with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.competencies.conversion import Conversion, Measure, all_rules, convert
from portal.competencies.models import JpRule
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.workshops.models import JpBasis, Workshop
from portal.workshops.services.common import MAX_JP, REASON_MAX, REASON_MIN, WorkshopError

DEFAULT_TYPE_CODE = "KL07"  # a new workshop's development type until the organizer picks another: Workshop/lokakarya
LEGACY_BASES = (JpBasis.LEGACY, JpBasis.LEGACY_ORGANIZER)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class JpDecision:
    jp: int
    basis: JpBasis
    reason: str = ""


@dataclass(frozen=True)
class JpExplanation:
    text: str  # "5 JP — Workshop/lokakarya, 1 hari, aturan KL07" or "6 JP — ditetapkan penyelenggara: …"
    source: str = ""  # where the rule's conversion comes from (shown for a figure reached by the rule)


def conversion_for(
    development_type_id: int | None,
    sessions: Iterable[tuple[datetime, datetime]],
    known_rules: Mapping[int, JpRule] | None = None,
) -> Conversion:
    return convert(development_type_id, Measure.of_sessions(sessions), known_rules)


def decide_jp(
    development_type_id: int | None,
    sessions: list[tuple[datetime, datetime]],
    jp: int | None,
    reason: str | None,
    current: Workshop | None = None,
) -> JpDecision:
    """The JP to store. Empty: the rule. A figure: the organizer's, only with a reason (:class:`WorkshopError`).

    A workshop stored before the rule keeps its figure when the organizer saves it unchanged; typing the rule's
    own figure is the rule.
    """
    ruled = conversion_for(development_type_id, sessions).jp or 0
    if jp is None:
        return JpDecision(ruled, JpBasis.RULE)
    if not 0 <= jp <= MAX_JP:
        raise WorkshopError(_l("JP harus bilangan bulat 0-%(max)d.", max=MAX_JP), "jp")
    reason = " ".join(_CONTROL_CHARACTERS.sub(" ", reason or "").split())
    if current is not None and current.jp_basis in LEGACY_BASES and jp == current.jp and not reason:
        return JpDecision(int(jp), current.jp_basis)
    if jp == ruled:
        return JpDecision(ruled, JpBasis.RULE)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise WorkshopError(
            _l(
                "JP %(jp)d berbeda dari aturan (%(rule)d JP): tulis alasannya, %(min)d-%(max)d karakter.",
                jp=jp,
                rule=ruled,
                min=REASON_MIN,
                max=REASON_MAX,
            ),
            "jp_reason",
        )
    return JpDecision(int(jp), JpBasis.ORGANIZER, reason)


def explain_jp(workshop: Workshop, known_rules: Mapping[int, JpRule] | None = None) -> JpExplanation:
    """How the workshop's JP was reached, for its page and the ledger line of everyone it credits."""
    if workshop.jp_basis == JpBasis.LEGACY:
        return JpExplanation(
            _("%(jp)d JP — tersimpan sebelum aturan JP berlaku (dihitung dari durasi sesi)", jp=workshop.jp)
        )
    if workshop.jp_basis == JpBasis.LEGACY_ORGANIZER:
        return JpExplanation(
            _("%(jp)d JP — tersimpan sebelum aturan JP berlaku (ditetapkan penyelenggara)", jp=workshop.jp)
        )
    sessions = [(s.starts_at, s.ends_at) for s in workshop.sessions]
    conversion = conversion_for(workshop.development_type_id, sessions, known_rules)
    if workshop.jp_basis == JpBasis.ORGANIZER:
        text = _("%(jp)d JP — ditetapkan penyelenggara: %(reason)s", jp=workshop.jp, reason=workshop.jp_reason)
        if conversion.jp is not None:
            text += " " + _("(menurut aturan: %(jp)d JP)", jp=conversion.jp)
        return JpExplanation(text)
    if conversion.jp == workshop.jp:
        return JpExplanation(conversion.text, conversion.source)
    # The rule changed after the workshop was saved: its stored figure stands until the organizer saves it again.
    return JpExplanation(
        _("%(jp)d JP — menurut aturan saat disimpan; aturan kini: %(rule)s", jp=workshop.jp, rule=conversion.text),
        conversion.source,
    )


def jp_explanations(
    workshop_ids: Iterable[int], known_rules: Mapping[int, JpRule] | None = None
) -> dict[int, JpExplanation]:
    """:func:`explain_jp` for several workshops at once (the ledger's attendance lines), in two queries."""
    ids = {int(i) for i in workshop_ids if i}
    if not ids:
        return {}
    workshops = db.session.scalars(
        select(Workshop).where(Workshop.id.in_(ids)).options(selectinload(Workshop.sessions))
    )
    known_rules = all_rules() if known_rules is None else known_rules
    return {workshop.id: explain_jp(workshop, known_rules) for workshop in workshops}
