"""Knowledge articles written by ASN: authoring, review, revisions, attachments, votes, comments, feeds."""

from __future__ import annotations

from flask import Flask

DEFAULTS = {
    "ARTICLES_MAX_ATTACHMENTS": 5,
    "ARTICLES_MAX_TAGS": 10,
    "ARTICLES_PAGE_SIZE": 20,
    "ARTICLES_REVIEW_REQUIRED": False,  # True: every unit's articles go through a moderator
    "ARTICLES_POPULAR_TAGS_SECONDS": 300,  # how long a process reuses the list page's popular tags
}


def init_app(app: Flask) -> None:
    from portal.articles import importer, review_views, services  # noqa: F401 - review_views adds its routes to bp
    from portal.articles.views import bp
    from portal.content.services import register_importer
    from portal.core import signals

    if app.testing:  # tests share one app: a kept answer would leak from one test into the next
        app.config.setdefault("ARTICLES_POPULAR_TAGS_SECONDS", 0)
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    register_importer("article", importer.import_article)
    services.register_notification_kinds()
    signals.profile_sections.connect(services.profile_section)  # the person's articles on their profile
