"""The personal home page: what a signed-in person should do next, and the public landing page for visitors.

Reads other features only through their ``queries`` modules and public services; writes nothing. The page is
served at ``/`` by ``core.views.home``, which asks this feature through ``core.signals.home_page``.
"""

from __future__ import annotations

from flask import Flask

from portal.core import signals


def init_app(app: Flask) -> None:
    from portal.home.views import home_page

    signals.home_page.connect(home_page)
    app.extensions["portal.home"] = home_page  # keeps the receiver alive (blinker holds weak references)
