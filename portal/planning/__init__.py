"""The annual competency development plan (rencana pengembangan kompetensi tahunan) per OPD and for the city,
its budget workbook and its progress, and the workshops that carry it out with their invite lists.

Above learning in the import order (it reads needs, gaps and individual plans); workshops learn nothing of it:
planning links a new workshop through ``core.signals.workshop_created`` and shows its blocks on the workshop's
pages through ``workshop_page_sections`` and ``workshop_dashboard_sections``. See docs/planning.md.
"""

from __future__ import annotations

from flask import Flask

from portal.core import signals


def init_app(app: Flask) -> None:
    from portal.planning import (
        invite_views,  # noqa: F401 - adds the invitation routes to bp
        receivers,
        services,
    )
    from portal.planning.views import bp

    app.register_blueprint(bp)
    services.register_notification_kinds()
    signals.workshop_created.connect(receivers.workshop_created)
    signals.workshop_page_sections.connect(receivers.workshop_page_section)
    signals.workshop_dashboard_sections.connect(receivers.workshop_dashboard_section)
