from __future__ import annotations

from wtforms import BooleanField

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l


class SettingsForm(PortalForm):
    email_enabled = BooleanField(_l("Kirim juga setiap pemberitahuan ke email saya"))
