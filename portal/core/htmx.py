"""One way to answer both full-page and htmx requests.

``render(template, partial=...)`` renders only the fragment for htmx requests and the whole page
otherwise, and marks the response ``Vary: HX-Request`` so caches keep the two apart.
``redirect_to(url)`` becomes an ``HX-Redirect`` header for htmx (a 302 would be swapped into the page).
"""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from portal.extensions import htmx


def is_htmx() -> bool:
    """True for requests that want a fragment: not boosted links, not Back-button history restores."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, partial: str | None = None, status: int = 200, **context) -> Response:
    name = partial if (partial and is_htmx()) else template
    response = make_response(render_template(name, **context), status)
    response.vary.add("HX-Request")
    return response


def html(body: str, status: int = 200) -> Response:
    """An already rendered fragment (e.g. from portal.core.fragments) as an htmx answer."""
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str) -> BaseResponse:
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)
