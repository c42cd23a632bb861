from __future__ import annotations

from portal.core.forms import PortalForm

CHOICE_PREFIX = "email:"  # the settings page posts one radio group per kind, named "email:<kind>"


class SettingsForm(PortalForm):
    """Only the CSRF check: the kinds are registered at start-up, so the view reads their ``email:<kind>`` radio
    groups itself and the service refuses any kind or value it does not offer."""
