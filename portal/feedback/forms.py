"""Builder forms. Choices are checked by the services (with Indonesian messages), not by WTForms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.dates import LocalDateTimeField
from portal.core.forms import PortalForm, PortalSubform
from portal.core.i18n import lazy_gettext as _l
from portal.feedback.services import (
    AUDIENCE_LABELS,
    DESCRIPTION_MAX,
    HELP_MAX,
    KIND_LABELS,
    LABEL_MAX,
    OPTION_MAX,
    PURPOSE_LABELS,
    SCALE_NAMES,
    STANDALONE_AUDIENCES,
    TITLE_MAX,
    TRAINER_MAX,
    WORKSHOP_PURPOSES,
)


def _purpose_choices(purposes=None):
    return [(p.value, label) for p, label in PURPOSE_LABELS.items() if purposes is None or p in purposes]


class SettingsForm(PortalForm):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Judul wajib diisi.")), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Keterangan untuk responden"), validators=[Length(max=DESCRIPTION_MAX)])
    purpose = SelectField(_l("Kegunaan"), choices=_purpose_choices, validate_choice=False)
    workshop_id = SelectField(_l("Pelatihan"), coerce=int, validate_choice=False)
    followup_days = IntegerField(_l("Dikirim berapa hari setelah pelatihan selesai"), validators=[Optional()])
    audience = SelectField(
        _l("Siapa yang mengisi"),
        choices=lambda: [(a.value, AUDIENCE_LABELS[a]) for a in STANDALONE_AUDIENCES],
        validate_choice=False,
    )
    units = SelectMultipleField(_l("Unit kerja yang disurvei"), coerce=int, validate_choice=False)
    is_anonymous = BooleanField(_l("Anonim: jawaban disimpan tanpa nama pengisi"))
    opens_at = LocalDateTimeField(_l("Dibuka mulai (WIB)"), validators=[Optional()])
    closes_at = LocalDateTimeField(_l("Ditutup pada (WIB)"), validators=[Optional()])


class SectionForm(PortalForm):
    title = StringField(
        _l("Judul bagian"), validators=[DataRequired(message=_l("Judul bagian wajib diisi.")), Length(max=TITLE_MAX)]
    )
    description = TextAreaField(_l("Keterangan bagian (opsional)"), validators=[Length(max=DESCRIPTION_MAX)])


class OptionRow(PortalSubform):
    label = StringField(_l("Label"), validators=[Length(max=OPTION_MAX)])
    is_correct = BooleanField(_l("Jawaban benar"))
    competency = SelectField(_l("Kompetensi"), validate_choice=False)


class QuestionForm(PortalForm):
    kind = SelectField(
        _l("Jenis pertanyaan"),
        choices=lambda: [(k.value, label) for k, label in KIND_LABELS.items()],
        validate_choice=False,
    )
    label = TextAreaField(
        _l("Pertanyaan"),
        validators=[DataRequired(message=_l("Teks pertanyaan wajib diisi.")), Length(max=LABEL_MAX)],
    )
    help_text = StringField(_l("Keterangan tambahan (opsional)"), validators=[Length(max=HELP_MAX)])
    required = BooleanField(_l("Wajib dijawab"), default=True)
    section_id = SelectField(_l("Bagian"), coerce=int, validate_choice=False)
    scale = SelectField(
        _l("Skala"), choices=lambda: [(s.value, label) for s, label in SCALE_NAMES.items()], validate_choice=False
    )
    min_value = FloatField(_l("Nilai terkecil (opsional)"), validators=[Optional()])
    max_value = FloatField(_l("Nilai terbesar (opsional)"), validators=[Optional()])
    trainer_name = StringField(_l("Pengajar yang dinilai (opsional)"), validators=[Length(max=TRAINER_MAX)])
    points = IntegerField(_l("Poin bila dijawab benar"), validators=[Optional()])
    options = FieldList(FormField(OptionRow))


class AttachForm(PortalForm):
    form_id = SelectField(_l("Formulir"), coerce=int, validate_choice=False)
    purpose = SelectField(
        _l("Dipasang sebagai"), choices=lambda: _purpose_choices(WORKSHOP_PURPOSES), validate_choice=False
    )
    followup_days = IntegerField(_l("Untuk evaluasi pasca pelatihan: hari setelah selesai"), validators=[Optional()])
