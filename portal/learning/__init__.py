"""Learning records (rekam jejak belajar): the JP an ASN earned, by development type, from any source.

Workshops credit attendance here through signals (:mod:`portal.learning.receivers`); the 20 JP
ledger and the verification queue of self-reported records build on the same rows.
"""

from __future__ import annotations

from flask import Flask

DEFAULTS = {
    "LEARNING_TARGET_PNS": 20,  # JP a year for PNS and CPNS (PP 11/2017 art. 203) without an AnnualTarget row
    "LEARNING_TARGET_PPPK": 24,  # JP a year for PPPK (full and part time)
    "LEARNING_PAGE_SIZE": 20,  # rows per page of the verification queue
}


def init_app(app: Flask) -> None:
    from portal.learning import (
        dashboard_views,  # noqa: F401 - adds the dashboard's routes to bp
        plan_views,  # noqa: F401 - adds the development plan's routes to bp
        position_views,  # noqa: F401 - adds the positions' routes to bp
        profile_views,  # noqa: F401 - adds the competency profile's routes to bp
        receivers,
        record_import_views,  # noqa: F401 - adds the import of external records to bp
        services,
        siasn_views,  # noqa: F401 - adds the SIASN reference numbers page to bp
        team_views,  # noqa: F401 - adds "Tim saya" to bp
    )
    from portal.learning.cli import learning_cli
    from portal.learning.services import reminders
    from portal.learning.views import bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    services.register_notification_kinds()
    reminders.register_notification_kinds()
    app.cli.add_command(learning_cli)
    receivers.connect()  # workshop completions credit JP (portal.core.signals)
