from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.units.models import UnitKind

KIND_LABELS: dict[UnitKind, Any] = {
    UnitKind.SECRETARIAT: _l("Sekretariat"),
    UnitKind.INSPECTORATE: _l("Inspektorat"),
    UnitKind.AGENCY: _l("Badan"),
    UnitKind.OFFICE: _l("Dinas"),
    UnitKind.HOSPITAL: _l("Rumah sakit daerah"),
    UnitKind.SERVICE: _l("Unit layanan"),
    UnitKind.DISTRICT: _l("Kecamatan"),
    UnitKind.OTHER: _l("Lainnya"),
}


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind.value, label) for kind, label in KIND_LABELS.items()]


class UnitForm(PortalForm):
    code = StringField(_l("Kode"), validators=[DataRequired(message=_l("Kode unit wajib diisi."))])
    name = StringField(_l("Nama unit"), validators=[DataRequired(message=_l("Nama unit wajib diisi."))])
    short_name = StringField(
        _l("Nama singkat"),
    )
    kind = SelectField(_l("Jenis"), choices=kind_choices, default=UnitKind.OFFICE.value, validate_choice=False)
