"""Never a 500: every route of the URL map, every role, hostile input.

Reuses the authorization matrix's rows (``tests/security/routes_*.py``): their paths, needs and personas. For
each route module and role, the module's needs are created once and every row is sent:

- its path with every integer placeholder out of the database's range (2**31, 2**63, 10**20, -1) and every
  text placeholder holding a NUL byte;
- its real path with hostile query strings: negative and huge page numbers, garbage sorts and filters, NUL and
  control characters, invalid UTF-8, and (for one role) a 64 KB value and a 5,000-digit page number;
- for POST rows, the same values in every form field name the code base reads, and (for one role) 1 MB values.

Parameter and field names are read from the source (``args.get("…")``, ``form.get("…")``, every form class),
so a new route or field is fuzzed without touching this file. The test fails on any 500 (or an exception
escaping the error handlers, or an error logged with a traceback) and names the request and the logged
traceback's last line.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import portal
from portal.extensions import db

from .test_access_matrix import NEEDS, ROLES, ROUTE_MODULES, MatrixContext, _client_for, _placeholders

OUT_OF_RANGE_IDS = (str(2**31), str(2**63), str(10**20), "-1")
# Ids out of range are refused by the route converter, whoever asks: every role sends one, these two all four.
ALL_IDS_ROLES = {"anonymous", "admin"}
ONE_MEGABYTE = "x" * (1024 * 1024)
# Query strings get 64 KB: web servers refuse longer request lines (gunicorn at 4 KB), and decoding a 1 MB URL
# costs the test a second per request. Form posts get the full megabyte.
LONG_QUERY_VALUE = "x" * (64 * 1024)
BIG_VALUE_ROLE = "admin"  # the long values are sent once per route, by the role that reaches the most code
# The member of another unit meets the member's code paths: the fuzz uses the matrix's other personas.
FUZZ_ROLES = tuple(role for role in ROLES if role != "other_unit_member")
# Routes whose POST ends the persona's session: sent last, so the other rows still run signed in.
SESSION_ENDING = {"accounts.logout", "accounts.logout_everywhere", "accounts.delete_account"}

_SOURCE = Path(portal.__file__).parent
_ARG_NAME = re.compile(r"""(?:args|values|params)\.get(?:list)?\(\s*["']([\w-]+)["']""")
_ARG_HELPER = re.compile(r"""_\w*arg\(\s*["']([\w-]+)["']""")
_FORM_NAME = re.compile(r"""form\.get(?:list)?\(\s*["']([\w-]+)["']""")


def _names(patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    found: set[str] = set()
    for path in _SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            found.update(pattern.findall(text))
    return sorted(found)


def _form_classes() -> Iterator[type[FlaskForm]]:
    for module in pkgutil.walk_packages([str(_SOURCE)], prefix="portal."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    pending = [FlaskForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        yield cls


def _form_field_names() -> list[str]:
    names = set(_names((_FORM_NAME,)))
    for cls in _form_classes():
        names.update(name for name, value in vars(cls).items() if isinstance(value, UnboundField))
    names.discard("csrf_token")
    return sorted(names)


QUERY_NAMES = sorted({*_names((_ARG_NAME, _ARG_HELPER)), "page", "halaman", "per_page", "urut", "sort"})
FIELD_NAMES = _form_field_names()

# Each variant is one request; every name gets the same hostile value. 2**31 is beyond PostgreSQL's integer,
# 10**20 beyond SQLite's and PostgreSQL's bigint.
HOSTILE_VALUES = {
    "negative": "-1",
    "int32": str(2**31),
    "huge": str(10**20),
    "garbage": "zz'\"<>;--",
    "control": "a\x00b\x01\x08\x1b\x7f\x85",
}


DENIED_VALUES = {label: HOSTILE_VALUES[label] for label in ("huge", "control")}
LET_IN = {"ok", "redirect", 200, 204}  # matrix outcomes of a role that may use the route


def _urlencode(names: list[str], value: str) -> str:
    return "&".join(f"{quote(name)}={quote(value)}" for name in names)


def _invalid_utf8(names: list[str]) -> bytes:
    return b"&".join(name.encode() + b"=%ff%fe%c0%00" for name in names)


def _path_variants(row: dict[str, Any], values: dict[str, Any], role: str) -> Iterator[tuple[str, str]]:
    """The path with out-of-range integers, and with NUL in text placeholders."""
    names = _placeholders(row["path"])
    numeric = [name for name in names if isinstance(values.get(name), int)]
    text = [name for name in names if name not in numeric]
    ids = OUT_OF_RANGE_IDS if role in ALL_IDS_ROLES else OUT_OF_RANGE_IDS[1:2]
    for bad in ids if numeric else ():
        yield f"ids={bad}", row["path"].format(**{**values, **dict.fromkeys(numeric, bad)})
    if text:
        yield "nul-in-path", row["path"].format(**{**values, **dict.fromkeys(text, quote("a\x00b"))})


class Fuzzer:
    def __init__(self, client, role: str, caplog):
        self.client = client
        self.role = role
        self.caplog = caplog
        self.failures: list[str] = []
        self.seen: set[tuple[str, str, str]] = set()  # several rows may name the same request

    def send(self, label: str, method: str, path: str, **kwargs) -> None:
        self.caplog.clear()
        try:
            response = self.client.open(path, method=method, **kwargs)
            response.get_data()
            response.close()
        except Exception as error:  # an error that escaped the error handlers
            self.failures.append(f"{method} {path[:120]} [{label}]: raised {_last_frame(error)}")
            db.session.rollback()
            return
        # An error logged with a traceback counts too: the error handlers' safety net answers 400 to unchecked
        # input that reached the database, and logs it.
        logged = [record for record in self.caplog.records if record.exc_info]
        if response.status_code >= 500 or logged:
            where = _last_frame(logged[-1].exc_info[1]) if logged else "no traceback logged"
            self.failures.append(f"{method} {path[:120]} [{label}]: {response.status_code} {where}")

    def row(self, row: dict[str, Any], values: dict[str, Any]) -> None:
        method, headers = row["method"], row.get("headers", {})
        key = (method, row["path"].format(**values), repr(sorted(headers.items())))
        if key in self.seen:
            return
        self.seen.add(key)
        for label, path in _path_variants(row, values, self.role):
            self.send(label, method, path, headers=headers, data={} if method != "GET" else None)
        path = row["path"].format(**values)
        # A role the matrix turns away never reaches the parameters: two requests check that it is turned away
        # before they are read; a role let in gets every variant.
        hostile = HOSTILE_VALUES if row["expect"][self.role] in LET_IN else DENIED_VALUES
        if method == "GET":
            self._query_variants(path, headers, hostile)
        else:
            self._form_variants(path, headers, row.get("data", {}), hostile)

    def _query_variants(self, path: str, headers: dict[str, str], hostile: dict[str, str]) -> None:
        for label, value in hostile.items():
            self.send(f"query {label}", "GET", f"{path}?{_urlencode(QUERY_NAMES, value)}", headers=headers)
        if hostile is not HOSTILE_VALUES:
            return
        self.send("query invalid utf-8", "GET", path, query_string=_invalid_utf8(QUERY_NAMES).decode(), headers=headers)
        if self.role == BIG_VALUE_ROLE:
            self.send("query 64 KB", "GET", path, query_string={"q": LONG_QUERY_VALUE, "page": "1" * 5000})

    def _form_variants(self, path: str, headers: dict[str, str], base: dict[str, Any], hostile: dict[str, str]) -> None:
        for label, value in hostile.items():
            data = {**base, **dict.fromkeys(FIELD_NAMES, value)}
            self.send(f"form {label}", "POST", path, data=data, headers=headers)
        if hostile is not HOSTILE_VALUES:
            return
        body = _invalid_utf8(FIELD_NAMES) + b"&csrf_token=" + self.client.csrf_token().encode()
        form_type = {"Content-Type": "application/x-www-form-urlencoded"}
        self.send("form invalid utf-8", "POST", path, data=body, headers={**headers, **form_type})
        if self.role == BIG_VALUE_ROLE:
            data = {**base, **dict.fromkeys(FIELD_NAMES, ONE_MEGABYTE[: 1024 * 1024 // len(FIELD_NAMES)])}
            data.update(body=ONE_MEGABYTE, title=ONE_MEGABYTE)
            self.send("form 1 MB", "POST", path, data=data, headers=headers)


def _last_frame(error: BaseException) -> str:
    """The error, the view that received the request and the line that raised (paths inside ``portal/``)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "/portal/" in frame.filename] or frames

    def where(frame: traceback.FrameSummary) -> str:
        return f"{frame.filename.rpartition('/portal/')[2]}:{frame.lineno} {frame.line}"

    trail = f" via {where(ours[0])}" if len(ours) > 1 else ""
    return f"{type(error).__name__}: {str(error)[:160]} at {where(ours[-1]) if ours else '?'}{trail}"


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """GETs first, then POSTs, then the POSTs that end the session."""
    return sorted(rows, key=lambda row: (row["endpoint"] in SESSION_ENDING, row["method"] != "GET"))


FUZZ_CASES = [
    pytest.param(module, role, id=f"{Path(module.__file__).stem} as {role}")
    for module in ROUTE_MODULES
    for role in FUZZ_ROLES
]


@pytest.mark.parametrize(("module", "role"), FUZZ_CASES)
def test_no_route_answers_500(app, unit, make_unit, make_user, login_as, caplog, module, role):
    caplog.set_level(logging.ERROR, logger="portal")
    other_unit = make_unit("Dinas Pendidikan", short_name="Disdik")
    if role == "member":
        client = login_as("member")
        member = client.user
    else:
        member = make_user("member")
        client = _client_for(role, app, login_as, other_unit)
    ctx = MatrixContext(unit=unit, other_unit=other_unit, member=member, make_user=make_user)
    for need in dict.fromkeys(need for row in module.ROUTES for need in row.get("needs", [])):
        ctx.values.update(NEEDS[need](ctx))
    fuzzer = Fuzzer(client, role, caplog)
    for row in _ordered(module.ROUTES):
        fuzzer.row(row, ctx.values)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} requests failed:\n" + "\n".join(fuzzer.failures)
