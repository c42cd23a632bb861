"""Globals and filters available in every template."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, request, url_for
from flask.globals import _cv_app
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from portal.core import dates, fragments
from portal.core.markdown import render_markdown


def _has_endpoint(endpoint: str) -> bool:
    """Lets the layout link only to sections that exist in this build."""
    return endpoint in current_app.view_functions


def _url_with(**params) -> str:
    args: dict[str, Any] = request.args.to_dict()
    args.update(params)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    assert request.endpoint is not None  # templates render in a routed request
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# ---------------------------------------------------------------- translations in templates
# Flask-Babel's Jinja callables look the locale and the catalogue up again on every call (~13 µs; a page makes
# 40-150 calls). These find the request's catalogue once, keep each translated string of a catalogue once, and
# otherwise behave exactly like Jinja's "newstyle" gettext: the result is always %-formatted and is Markup when
# the template autoescapes. force_locale() (mails in the recipient's language) swaps the locale, and with it the
# catalogue, because the per-request entry is checked against the locale object Flask-Babel holds. Translations
# are trusted markup in autoescaped templates, as with Jinja's own callables (S704 below).


class _Catalogue:
    __slots__ = ("translations", "plain", "escaped", "plain_done", "escaped_done")

    def __init__(self, translations: Any) -> None:
        self.translations = translations
        self.plain: dict[str, str] = {}  # msgid -> translation
        self.escaped: dict[str, Markup] = {}
        self.plain_done: dict[str, str] = {}  # msgid -> translation formatted without variables
        self.escaped_done: dict[str, str] = {}  # the same as Markup (what _translated gives when escaping)


def _catalogue() -> _Catalogue:
    namespace, locale = fragments.babel_context()
    if namespace is None:  # no app context: Flask-Babel's own answer (untranslated)
        return _Catalogue(get_translations())
    kept = getattr(namespace, "portal_catalogue", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    catalogue = getattr(translations, "portal_catalogue", None)
    if catalogue is None:
        # Kept on the catalogue object itself: an attribute of ours that Babel's classes do not declare.
        catalogue = translations.portal_catalogue = _Catalogue(translations)  # pyright: ignore[reportAttributeAccessIssue]
    namespace.portal_catalogue = (locale, catalogue)
    return catalogue


def _translated(context: Context, string: str) -> str:
    catalogue = _catalogue()
    if context.eval_ctx.autoescape:
        found = catalogue.escaped.get(string)
        if found is None:
            found = catalogue.escaped[string] = Markup(catalogue.translations.ugettext(string))  # noqa: S704
        return found
    found = catalogue.plain.get(string)
    if found is None:
        found = catalogue.plain[string] = catalogue.translations.ugettext(string)
    return found


def _formatted(context: Context, string: str) -> str:
    """A string used without variables: formatted once (Jinja formats even then, turning "%%" into "%")."""
    catalogue = _catalogue()
    table = catalogue.escaped_done if context.eval_ctx.autoescape else catalogue.plain_done
    found = table.get(string)
    if found is None:
        found = table[string] = _translated(context, string) % {}
    return found


@pass_context
def _gettext(__context: Context, __string: str, **variables: Any) -> str:
    if variables:
        return _translated(__context, __string) % variables
    return _formatted(__context, __string)


@pass_context
def _ngettext(__context: Context, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
    variables.setdefault("num", __num)
    rv = _catalogue().translations.ungettext(__singular, __plural, __num)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - a translation, trusted as Jinja's own gettext does
    return rv % variables


@pass_context
def _pgettext(__context: Context, __string_ctx: str, __string: str, **variables: Any) -> str:
    variables.setdefault("context", __string_ctx)
    rv = _catalogue().translations.upgettext(__string_ctx, __string)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - a translation, trusted as Jinja's own gettext does
    return rv % variables


@pass_context
def _npgettext(
    __context: Context, __string_ctx: str, __singular: str, __plural: str, __num: int, **variables: Any
) -> str:
    variables.setdefault("context", __string_ctx)
    variables.setdefault("num", __num)
    rv = _catalogue().translations.unpgettext(__string_ctx, __singular, __plural, __num)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - a translation, trusted as Jinja's own gettext does
    return rv % variables


def _date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    """Flask-Babel's format_date; a calendar date's text is kept per locale (~25 µs a call: a ledger shows ~130)."""
    if not value:
        return ""
    if type(value) is date:
        return _date_text(value, fmt, str(fragments.current_locale()))
    return format_date(value, fmt)


@lru_cache(maxsize=4096)
def _date_text(value: date, fmt: str, locale: str) -> str:
    """``locale`` is only the cache key: format_date formats in the request's locale, which it names."""
    return format_date(value, fmt)


def _csrf_token() -> str:
    """Flask-WTF's token, made once per request (a thread page asks for it once per form); a placeholder in a
    fragment shared between viewers, replaced in the response by the token of the viewer it goes to."""
    if fragments.rendering_shared():
        return fragments.CSRF_PLACEHOLDER
    request_globals = _cv_app.get().g
    token = getattr(request_globals, "portal_csrf_token", None)
    if token is None:
        token = request_globals.portal_csrf_token = generate_csrf()
    return token


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        url_with=_url_with,
        has_endpoint=_has_endpoint,
        csrf_token=_csrf_token,
        gettext=_gettext,
        _=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["date_input"] = dates.input_value  # templates/_macros/forms.html date_input()
    app.jinja_env.globals["date_pattern"] = dates.HTML_PATTERN
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["decimal"] = lambda value, fmt="#,##0.##": "" if value is None else format_decimal(value, fmt)
    app.jinja_env.filters["markdown"] = render_markdown  # the only filter whose output is trusted as HTML
    fragments.init_app(app)

    @app.context_processor
    def inject_site() -> dict:
        return {
            "site_name": app.config["SITE_NAME"],
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "csrf_token": _csrf_token,  # Flask-WTF's context processor (registered earlier) passes generate_csrf
        }
