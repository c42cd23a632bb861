"""The template translation fast path (core.templating, core.fragments) answers exactly as Flask-Babel does.

It reads Flask-Babel's per-request state through private names (``flask.globals._cv_app``,
``flask_babel._get_current_context``, ``g._flask_babel``) to skip the ``g`` proxy and the catalogue lookup on every
call. A library upgrade that renames or reshapes them must fail here, not translate pages wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path

import flask.globals
import flask_babel
import jinja2
import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, get_translations

from portal.core import fragments

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")

# Each call is rendered escaped and not, twice in a row (the second answer comes from the portal's cache).
SOURCE = (
    "{% autoescape true %}[{{ CALL }}][{{ CALL }}]{% endautoescape %}"
    "{% autoescape false %}[{{ CALL }}][{{ CALL }}]{% endautoescape %}"
)
CALLS = {
    "gettext": "gettext(m.id, **v)",
    "ngettext": "ngettext(m.id, m.plural, n, **v)",
    "pgettext": "pgettext(m.context, m.id, **v)",
    "npgettext": "npgettext(m.context, m.id, m.plural, n, **v)",
}


def _messages(locale: str) -> list:
    path = ROOT / "portal" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    return [message for message in catalogue if message.id]


def _variables(message) -> dict:
    """A value for every placeholder of the message and its translations: numbers for %d, markup-like text for %s
    (so escaping of values is compared too)."""
    texts = [*(message.id if isinstance(message.id, tuple) else (message.id,))]
    texts += [t for t in (message.string if isinstance(message.string, tuple) else (message.string,)) if t]
    found = {}
    for text in texts:
        for name, kind in PLACEHOLDER.findall(text):
            found[name] = 7 if kind == "d" else "<i>x</i>"
    return found


def _reference_env() -> jinja2.Environment:
    """Jinja's own i18n extension with the callables Flask-Babel installs (flask_babel.Babel.init_app)."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # noqa: S701 - as Flask's from_string
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    return env


def _render(template: jinja2.Template, **context) -> str:
    try:
        return template.render(**context)
    except (KeyError, TypeError, ValueError) as error:  # a message that cannot be formatted must fail the same way
        return f"error: {type(error).__name__}"


def _kind(message) -> str:
    plural = isinstance(message.id, tuple)
    if message.context:
        return "npgettext" if plural else "pgettext"
    return "ngettext" if plural else "gettext"


class _Message:
    def __init__(self, message) -> None:
        plural = isinstance(message.id, tuple)
        self.id = message.id[0] if plural else message.id
        self.plural = message.id[1] if plural else None
        self.context = message.context


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_message_renders_as_with_flask_babel(app, locale):
    messages = _messages(locale)
    assert len(messages) > 100
    reference = _reference_env()
    portal_templates = {k: app.jinja_env.from_string(SOURCE.replace("CALL", c)) for k, c in CALLS.items()}
    reference_templates = {k: reference.from_string(SOURCE.replace("CALL", c)) for k, c in CALLS.items()}
    differences = []
    for request_round in range(2):  # the second request starts from the catalogue kept on the translations
        with app.test_request_context(), force_locale(locale):
            for message in messages:
                kind = _kind(message)
                context = {"m": _Message(message), "v": _variables(message)}
                for n in (1, 2, 5) if "n" in kind[:2] else (1,):
                    ours = _render(portal_templates[kind], n=n, **context)
                    theirs = _render(reference_templates[kind], n=n, **context)
                    if ours != theirs:
                        differences.append((request_round, message.id, n, ours, theirs))
    assert not differences, differences[:5]


def test_fast_path_translates_and_switches_locale(app):
    template = app.jinja_env.from_string("{{ _('Masuk') }}")
    with app.test_request_context():
        with force_locale("en"):
            assert template.render() == "Log in"
        with force_locale("id"):
            assert template.render() == "Masuk"
        with force_locale("en"):
            assert template.render() == "Log in"


def test_private_names_still_exist(app):
    """The names core.templating and core.fragments read; if one goes, rewrite babel_context() and _csrf_token()."""
    assert isinstance(flask.globals._cv_app, __import__("contextvars").ContextVar)
    assert callable(flask_babel._get_current_context)
    with app.test_request_context():
        assert flask.globals._cv_app.get().g is flask.g._get_current_object()  # type: ignore[attr-defined]
        locale = flask_babel.get_locale()
        namespace = flask.g._flask_babel  # Flask-Babel's per-request namespace ...
        assert namespace is flask_babel._get_current_context()
        assert namespace.babel_locale is locale  # ... holding the chosen locale under this name
        assert fragments.babel_context() == (namespace, locale)
        with force_locale("en"):
            assert str(fragments.current_locale()) == "en"
        assert fragments.current_locale() is locale
