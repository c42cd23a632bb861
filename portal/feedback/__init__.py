"""Feedback forms and surveys: training evaluation (Kirkpatrick L1-L3), needs analysis, program review.

One blueprint, ``feedback``, defined in ``views.py`` (building forms); ``answer_views.py`` (answering, the public
survey link) and ``result_views.py`` (results, needs analysis, program review) add their routes to it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.core import signals
    from portal.feedback import answer_views, need_receivers, program_views, question_views, result_views  # noqa: F401 - they add routes to the blueprint
    from portal.feedback.cli import feedback_cli
    from portal.feedback.services import program_evaluation
    from portal.feedback.services.followups import register_notification_kinds
    from portal.feedback.services.pending import certificate_step
    from portal.feedback.views import bp, workshop_dashboard_section

    app.register_blueprint(bp)
    app.config.setdefault("FEEDBACK_PUBLIC_RATE_LIMIT", "10 per minute;100 per hour")  # public survey posts per address
    # An anonymous form shows no result, and no breakdown shows, with fewer responses than this.
    app.config.setdefault("FEEDBACK_MIN_RESPONSES", 5)
    app.cli.add_command(feedback_cli)
    register_notification_kinds()
    signals.certificate_pending.connect(certificate_step)  # the evaluation holds the certificate back
    signals.workshop_dashboard_sections.connect(workshop_dashboard_section)
    signals.workshop_created.connect(need_receivers.workshop_created)  # "Buat pelatihan untuk kebutuhan ini"
    signals.workshop_page_sections.connect(need_receivers.workshop_page_section)
    signals.workshop_created.connect(program_evaluation.workshop_created)  # "evaluasi:<program>": the next run
