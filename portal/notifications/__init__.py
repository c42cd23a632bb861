"""In-app notifications (and email, immediately or in a daily digest) that every feature sends through
:func:`services.notify`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.core import signals
    from portal.notifications import receivers
    from portal.notifications.cli import notifications_cli
    from portal.notifications.views import bp, register_template_helpers

    app.register_blueprint(bp)
    register_template_helpers(app)
    app.cli.add_command(notifications_cli)
    receivers.register_notification_kinds()
    signals.account_verified.connect(receivers.account_verified)
