"""Globals and filters available in every template."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from portal.core.markdown import render_markdown


def _has_endpoint(endpoint: str) -> bool:
    """Lets the layout link only to sections that exist in this build."""
    return endpoint in current_app.view_functions


def _url_with(**params) -> str:
    args = request.args.to_dict()
    args.update(params)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(url_with=_url_with, has_endpoint=_has_endpoint)
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["decimal"] = lambda value, fmt="#,##0.##": "" if value is None else format_decimal(value, fmt)
    app.jinja_env.filters["markdown"] = render_markdown  # the only filter whose output is trusted as HTML

    @app.context_processor
    def inject_site() -> dict:
        return {
            "site_name": app.config["SITE_NAME"],
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
        }
