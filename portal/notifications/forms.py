from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from portal.core.forms import PortalForm


class SettingsForm(PortalForm):
    email_enabled = BooleanField(_l("Kirim juga setiap pemberitahuan ke email saya"))
