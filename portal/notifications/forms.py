from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class SettingsForm(FlaskForm):
    email_enabled = BooleanField(_l("Kirim juga setiap pemberitahuan ke email saya"))
