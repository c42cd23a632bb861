"""Workshops (pelatihan): publish, sign up with a waiting list, check in, JP credit, certificates, exports."""

from __future__ import annotations

from flask import Flask

DEFAULTS = {
    "WORKSHOPS_MINUTES_PER_JP": 45,  # one JP (jam pelajaran); Peraturan LAN 10/2018 commonly uses 45
    "WORKSHOPS_CANCEL_CUTOFF_HOURS": 24,  # participants give up a confirmed seat until this long before the start
    # Attendance for a session can be recorded from this long before its start ...
    "WORKSHOPS_CHECKIN_OPENS_MINUTES": 60,
    # ... until this long after its end (the correction period); later corrections need a reason (audited).
    "WORKSHOPS_CORRECTION_DAYS": 14,
    "WORKSHOPS_SELF_CHECKIN_CLOSES_MINUTES": 30,  # a participant's own (QR) check-in closes this long after the end
    "WORKSHOPS_PAGE_SIZE": 20,
    # The certificate's heading and the place of its place-and-date line ("Sawahlunto, 7 Desember 2026").
    "CERTIFICATE_GOVERNMENT": "Pemerintah Kota Sawahlunto",
    "CERTIFICATE_PLACE": "Sawahlunto",
}


def init_app(app: Flask) -> None:
    from portal.content.services import register_importer
    from portal.workshops import (
        document_views,  # noqa: F401 - adds calendar files, certificates, QR check-in to bp
        importer,
        organizer_views,  # noqa: F401 - adds authoring, participants and attendance to bp
        services,
    )
    from portal.workshops.cli import workshops_cli
    from portal.workshops.views import bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    app.cli.add_command(workshops_cli)
    register_importer("workshop", importer.import_workshop)
    services.register_notification_kinds()
