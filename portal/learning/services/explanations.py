"""How each ledger line's JP was reached, in one sentence.

- A workshop held in the portal: the workshop's own explanation (its JP rule, or the organizer's figure and
  reason, or "stored before the rule"), from :func:`portal.workshops.services.jp_explanations`.
- A self-reported activity: the JP rule's conversion of its quantity (:func:`.conversion.convert`, the one a
  portal workshop of the type gets); a verified figure that differs from it is the verifier's, with their note.

Imported by module (``from portal.learning.services import explanations``): it imports workshops, which imports
the ledger package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _

from portal.learning.models import JpRule, LearningRecord, LearningStatus
from portal.learning.services.conversion import Measure, all_rules, convert
from portal.workshops import services as workshops


def _self_reported(record: LearningRecord, known_rules: Mapping[int, JpRule]) -> str:
    measure = Measure.of_quantity(record.quantity, record.is_international)
    conversion = convert(record.development_type_id, measure, known_rules)
    if record.status != LearningStatus.VERIFIED:
        return _("Saran aturan: %(rule)s", rule=conversion.text) if conversion.jp is not None else conversion.text
    if conversion.jp is not None and conversion.jp == record.jp:
        return conversion.text
    text = _("%(jp)d JP — diakui verifikator", jp=record.jp)
    if record.verifier_note:
        text += ": " + record.verifier_note
    if conversion.text:
        text += " " + _("(aturan: %(rule)s)", rule=conversion.text)
    return text


def record_notes(records: Iterable[LearningRecord]) -> dict[int, str]:
    """Record id -> how its JP was reached ("" when there is nothing to say)."""
    records = list(records)
    known_rules = all_rules()
    by_workshop = workshops.jp_explanations((r.workshop_id for r in records if r.workshop_id), known_rules)
    notes: dict[int, str] = {}
    for record in records:
        if record.workshop_id:
            explanation = by_workshop.get(record.workshop_id)
            notes[record.id] = explanation.text if explanation else ""
        else:
            notes[record.id] = _self_reported(record, known_rules)
    return notes
