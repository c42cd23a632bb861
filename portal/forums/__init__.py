"""Forums: categories, threads and replies where ASN ask, answer and share across units."""

from __future__ import annotations

from flask import Flask

DEFAULTS = {
    "FORUMS_POSTS_PER_PAGE": 25,
    "FORUMS_THREADS_PER_PAGE": 20,
    # Flood control (see flood.py); "limits" notation, several separated by ";".
    "FORUMS_POST_RATE_LIMIT": "6 per minute;60 per hour",
    "FORUMS_NEW_ACCOUNT_RATE_LIMIT": "2 per minute;10 per hour",
    "FORUMS_NEW_ACCOUNT_HOURS": 24,
}


def init_app(app: Flask) -> None:
    from portal.content.services import register_importer
    from portal.forums import importer, moderation_views, services  # noqa: F401 - moderation_views adds routes to bp
    from portal.forums.views import bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    register_importer("thread", importer.import_thread)
    services.register_notification_kinds()
