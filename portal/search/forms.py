from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l


class ApiTokenForm(PortalForm):
    name = StringField(
        _l("Nama token"),
        validators=[
            DataRequired(_l("Beri nama token, misalnya nama skrip yang memakainya.")),
            Length(max=80, message=_l("Nama token maksimal 80 karakter.")),
        ],
    )
