"""Flask-Babel's lazy strings, typed as what they stand in for."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import lazy_gettext as _lazy_gettext


def lazy_gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``lazy_gettext``: translated when used, in the locale of that moment.

    Its ``LazyString`` goes wherever a str goes (WTForms labels and messages, ``flash``, templates) but is no str
    subclass, so the str annotations of those libraries reject it; it is typed here as the str it becomes.
    """
    return cast(str, _lazy_gettext(string, **variables))
