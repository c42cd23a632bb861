"""Forms of the results, needs-analysis and program-review pages (the services do the real checks)."""

from __future__ import annotations

from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

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
    owner_id = SelectField(_l("Penanggung jawab"), coerce=int, validate_choice=False)
    due_on = DateField(_l("Tenggat"), validators=[Optional()])
    next_workshop_id = SelectField(
        _l("Pelaksanaan berikutnya"), coerce=int, validate_choice=False, default=0
    )  # 0: the first run after the decision


class EvaluationForm(PortalForm):
    """A program's evaluation: the source form per level (0: none) and the L3 delay."""

    l1_form_id = SelectField(_l("L1: evaluasi pelatihan"), coerce=int, validate_choice=False, default=0)
    pre_test_form_id = SelectField(_l("L2: pre-test"), coerce=int, validate_choice=False, default=0)
    post_test_form_id = SelectField(_l("L2: post-test"), coerce=int, validate_choice=False, default=0)
    participant_form_id = SelectField(_l("L3: tindak lanjut peserta"), coerce=int, validate_choice=False, default=0)
    supervisor_form_id = SelectField(_l("L3: tindak lanjut atasan"), coerce=int, validate_choice=False, default=0)
    followup_days = IntegerField(_l("Jeda tindak lanjut L3 (hari)"), validators=[Optional()])


class NeedLinkForm(PortalForm):
    competency_id = HiddenField()
    survey_id = HiddenField()
    workshop_id = SelectField(_l("Pelatihan yang direncanakan"), coerce=int, validate_choice=False)
