"""The authorization matrix: every route of the app, every role, one real request each.

Rows live in ``tests/security/routes_*.py`` modules, each exporting ``ROUTES``, a list of dicts:

``endpoint``  the Flask endpoint, e.g. ``"accounts.profile"``
``method``    ``"GET"`` or ``"POST"`` (one row per method; several rows per endpoint are allowed)
``path``      the URL with placeholders, e.g. ``"/pegawai/{user_id}"``
``needs``     objects to create first (names from :data:`BUILTIN_NEEDS` or a module's ``NEEDS``); each one
              provides placeholders for ``path``
``expect``    ``{role: outcome}`` for every role in :data:`ROLES`; an outcome is an int status code,
              ``"login"`` (redirect to /masuk), ``"redirect"`` (any other redirect) or ``"ok"``
              (200, 204, a redirect that is not to /masuk, or 400 with a form error: the request was allowed);
              for htmx requests an ``HX-Redirect`` header counts as a redirect
``data``      optional form data for a POST (default: empty - the point is authorization, not validation)
``headers``   optional request headers, e.g. ``{"HX-Request": "true"}``

A module may also export ``NEEDS = {"name": factory}`` where ``factory(ctx: MatrixContext) -> dict`` creates
what a row needs and returns its placeholders.

The personas: ``member`` is a verified member of the main unit and owns everything the needs create;
``organizer``, ``moderator`` and ``admin`` work in the same unit; ``other_unit_member`` is a member of
another unit. Each (row, role) pair runs against a fresh database.
"""

from __future__ import annotations

import importlib.util
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from portal.accounts.models import User
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from portal.units.models import Unit

ROLES = ("anonymous", "member", "organizer", "moderator", "admin", "other_unit_member")
LOGIN_PATH = "/masuk"
REDIRECTS = {301, 302, 303, 307, 308}
ALLOWED_STATUSES = {200, 204, 400}  # 400: the request was let through and failed validation
IGNORED_METHODS = {"HEAD", "OPTIONS"}
CSRF_MESSAGE = "Sesi formulir sudah kedaluwarsa"


@dataclass
class MatrixContext:
    unit: Unit
    other_unit: Unit
    member: User
    make_user: Callable[..., User]
    values: dict[str, Any] = field(default_factory=dict)


def _user_need(ctx: MatrixContext) -> dict[str, Any]:
    return {"user_id": ctx.member.id}


def _pending_user_need(ctx: MatrixContext) -> dict[str, Any]:
    return {"pending_user_id": ctx.make_user(Role.MEMBER, is_verified=False).id}


def _unit_need(ctx: MatrixContext) -> dict[str, Any]:
    return {"unit_id": ctx.unit.id}


def _other_unit_need(ctx: MatrixContext) -> dict[str, Any]:
    return {"other_unit_id": ctx.other_unit.id}


def _competency_need(ctx: MatrixContext) -> dict[str, Any]:
    competency = Competency(code="M.01", category=CompetencyCategory.MANAGERIAL, name="Integritas")
    db.session.add(competency)
    db.session.commit()
    return {"competency_code": competency.code, "competency_id": competency.id}


BUILTIN_NEEDS: dict[str, Callable[[MatrixContext], dict[str, Any]]] = {
    "user": _user_need,
    "pending_user": _pending_user_need,
    "unit": _unit_need,
    "other_unit": _other_unit_need,
    "competency": _competency_need,
}


def _load_route_modules() -> list[ModuleType]:
    modules = []
    for path in sorted(Path(__file__).parent.glob("routes_*.py")):
        spec = importlib.util.spec_from_file_location(f"access_matrix_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


ROUTE_MODULES = _load_route_modules()
ROWS: list[dict[str, Any]] = [row for module in ROUTE_MODULES for row in module.ROUTES]
NEEDS = dict(BUILTIN_NEEDS)
for _module in ROUTE_MODULES:
    NEEDS.update(getattr(_module, "NEEDS", {}))


def _row_id(row: dict[str, Any]) -> str:
    return f"{row['method']} {row['path']} ({row['endpoint']})"


def _app_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    }


# ---------------------------------------------------------------- the matrix is complete and well-formed


def test_every_route_has_a_matrix_row(app):
    covered = {(row["endpoint"], row["method"]) for row in ROWS}
    missing = sorted(_app_routes(app) - covered)
    assert not missing, (
        "Routes without an authorization row (add one to a tests/security/routes_*.py module): "
        + ", ".join(f"{endpoint} {method}" for endpoint, method in missing)
    )


def test_matrix_rows_name_existing_routes(app):
    stale = sorted({(row["endpoint"], row["method"]) for row in ROWS} - _app_routes(app))
    assert not stale, f"Rows for routes that no longer exist: {stale}"


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_matrix_row_is_well_formed(app, row):
    assert set(row["expect"]) == set(ROLES), f"expect must list exactly {ROLES}"
    for outcome in row["expect"].values():
        assert isinstance(outcome, int) or outcome in {"login", "redirect", "ok"}, outcome
    unknown = [need for need in row.get("needs", []) if need not in NEEDS]
    assert not unknown, f"unknown needs {unknown}; known: {sorted(NEEDS)}"
    sample = dict.fromkeys(_placeholders(row["path"]), 1)
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(row["path"].format(**sample), method=row["method"])
    except HTTPException as error:
        pytest.fail(f"{row['path']} does not match a {row['method']} route: {error}")
    assert endpoint == row["endpoint"], f"{row['path']} is served by {endpoint}, not {row['endpoint']}"


def _placeholders(path: str) -> list[str]:
    return [name for _text, name, _spec, _conv in string.Formatter().parse(path) if name]


# ---------------------------------------------------------------- every role gets what the row says


@pytest.fixture
def matrix(app, unit, make_unit, make_user, login_as):
    """Build the personas and needs for a row; return a client for a role and the formatted path."""

    def prepare(row: dict[str, Any], role: str):
        other_unit = make_unit("Dinas Pendidikan", short_name="Disdik")
        if role == "member":
            client = login_as(Role.MEMBER)
            member = client.user
        else:
            member = make_user(Role.MEMBER)
            client = _client_for(role, app, login_as, other_unit)
        ctx = MatrixContext(unit=unit, other_unit=other_unit, member=member, make_user=make_user)
        for need in row.get("needs", []):
            ctx.values.update(NEEDS[need](ctx))
        return client, row["path"].format(**ctx.values)

    return prepare


def _client_for(role: str, app, login_as, other_unit: Unit):
    if role == "anonymous":
        return app.test_client()
    if role == "other_unit_member":
        return login_as(Role.MEMBER, unit_id=other_unit.id)
    return login_as(Role(role))


def _send(client, row: dict[str, Any], path: str, csrf: bool = True):
    kwargs: dict[str, Any] = {"method": row["method"], "headers": row.get("headers", {})}
    if row["method"] != "GET":
        kwargs["data"] = dict(row.get("data", {}))
        kwargs["csrf"] = csrf
    response = client.open(path, **kwargs)
    response.get_data()  # buffer the body, then release what the app opened (a served file's handle)
    response.close()
    return response


def _redirect_target(response) -> str | None:
    """Where the response sends the browser: a 3xx Location, or htmx's HX-Redirect header."""
    if response.status_code in REDIRECTS:
        return response.location
    return response.headers.get("HX-Redirect")


def _is_login_redirect(response) -> bool:
    target = _redirect_target(response)
    return target is not None and urlsplit(target).path == LOGIN_PATH


def _describe(response) -> str:
    target = _redirect_target(response)
    return f"{response.status_code}{f' -> {target}' if target else ''}"


def _matches(response, outcome: int | str) -> bool:
    if outcome == "login":
        return _is_login_redirect(response)
    if outcome == "redirect":
        return _redirect_target(response) is not None and not _is_login_redirect(response)
    if outcome == "ok":
        allowed = _redirect_target(response) is not None or response.status_code in ALLOWED_STATUSES
        return allowed and not _is_login_redirect(response)
    return response.status_code == outcome


MATRIX_CASES = [pytest.param(row, role, id=f"{_row_id(row)} as {role}") for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), MATRIX_CASES)
def test_role_gets_expected_outcome(matrix, row, role):
    client, path = matrix(row, role)
    response = _send(client, row, path)
    expected = row["expect"][role]
    assert _matches(response, expected), (
        f"{role} {row['method']} {path}: expected {expected}, got {_describe(response)}"
    )


# ---------------------------------------------------------------- CSRF on every state-changing request

POST_CASES = [
    pytest.param(row, role, id=f"{_row_id(row)} as {role}")
    for row in ROWS
    if row["method"] != "GET"
    for role in ("anonymous", "admin")
]


@pytest.mark.parametrize(("row", "role"), POST_CASES)
def test_post_without_csrf_token_is_rejected(matrix, row, role):
    client, path = matrix(row, role)
    response = _send(client, row, path, csrf=False)
    assert response.status_code == 400, f"{role} {path} without CSRF token: {_describe(response)}"
    assert CSRF_MESSAGE in response.get_data(as_text=True)
