"""Full-text search across the portal's content (articles, forum threads, workshops)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the search pages, the API, the ``flask search`` commands and every feature's document types."""
    from portal.search import registry
    from portal.search.cli import search_cli
    from portal.search.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
    registry.discover()
