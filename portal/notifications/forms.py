from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from portal.core.i18n import lazy_gettext as _l


class SettingsForm(FlaskForm):
    email_enabled = BooleanField(_l("Kirim juga setiap pemberitahuan ke email saya"))
