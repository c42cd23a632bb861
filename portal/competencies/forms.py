from __future__ import annotations

from typing import Any

from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from portal.competencies.models import LEVELS
from portal.competencies.services import CATEGORY_LABELS
from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l


def category_choices() -> list[tuple[str, Any]]:
    return [(category.value, label) for category, label in CATEGORY_LABELS.items()]


class CompetencyForm(PortalForm):
    code = StringField(_l("Kode"), validators=[DataRequired(message=_l("Kode kompetensi wajib diisi."))])
    category = SelectField(_l("Kategori"), choices=category_choices, validate_choice=False)
    name = StringField(
        _l("Nama kompetensi"),
        validators=[DataRequired(message=_l("Nama kompetensi wajib diisi."))],
    )
    description = TextAreaField(
        _l("Definisi"),
    )

    def level_fields(self) -> list[Field]:
        return [self[f"level_{level}"] for level in LEVELS]

    def level_texts(self) -> dict[int, str]:
        return {level: self[f"level_{level}"].data or "" for level in LEVELS}


for _level in LEVELS:
    setattr(
        CompetencyForm,
        f"level_{_level}",
        TextAreaField(
            _l("Level %(n)d", n=_level),
            validators=[
                DataRequired(message=_l("Deskripsi level %(n)d wajib diisi.", n=_level)),
            ],
        ),
    )
