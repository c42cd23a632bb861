"""Forms of the results, needs-analysis and program-review pages (the services do the real checks)."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.feedback.services import DECISION_LABELS, DEFAULT_THRESHOLD


class ProgramForm(PortalForm):
    name = StringField(_l("Nama program"))
    description = TextAreaField(_l("Deskripsi"))
    l1_threshold = StringField(_l("Ambang rata-rata L1 (1–5)"), default=str(DEFAULT_THRESHOLD))


class AssignForm(PortalForm):
    workshop_id = SelectField(_l("Pelatihan"), coerce=int, validate_choice=False)


class ReviewForm(PortalForm):
    decision = SelectField(
        _l("Keputusan"),
        choices=lambda: [("", _l("— pilih —"))] + [(d.value, label) for d, label in DECISION_LABELS.items()],
        validate_choice=False,
    )
    note = TextAreaField(_l("Catatan (alasan, apa yang diubah)"))


class NeedLinkForm(PortalForm):
    competency_id = HiddenField()
    survey_id = HiddenField()
    workshop_id = SelectField(_l("Pelatihan yang direncanakan"), coerce=int, validate_choice=False)
