"""Every export of every feature, downloaded from the demo city, opens in the program it is for.

The export endpoints are found in the URL map (GET routes ending in .csv, .xlsx, .ics, .pdf or .atom, or choosing
between csv and xlsx), so a new export is covered as soon as it exists; the test fails when it does not know how to
fill in one of its URL parameters. Each file is opened the way its program would read it: openpyxl for XLSX, the
csv module for CSV, icalendar for ICS, an XML parser for Atom, and for PDF the header and a page object.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date

import openpyxl
from icalendar import Calendar
from sqlalchemy import select

from portal.accounts.models import User
from portal.articles.models import Article, ArticleStatus, Tag
from portal.competencies.models import Competency
from portal.demo.context import DemoContext
from portal.demo.steps import STEPS
from portal.extensions import db
from portal.feedback.models import FeedbackForm, Response
from portal.feedback.services import program_review
from portal.learning.models import LearningRecord, LearningSource
from portal.planning import services as planning
from portal.workshops import services as workshops
from portal.workshops.models import Registration
from portal.workshops.services.certificates import certificate_unlocked

EXPORT_RULE = re.compile(r"\.(csv|xlsx|ics|pdf|atom)$|<any\(csv, xlsx\):\w+>$")


def _load_demo(app) -> None:
    context = DemoContext(app.config["DEMO_ADMIN_PASSWORD"])
    for step in STEPS:
        step.load(context)


def _login(client, user: User, password: str) -> None:
    response = client.post("/masuk", data={"identifier": user.nip, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def _export_rules(app) -> list:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and EXPORT_RULE.search(rule.rule)),
        key=lambda rule: rule.rule,
    )


def _first(stmt):
    value = db.session.scalar(stmt.limit(1))
    assert value is not None, f"the demo city has no row for {stmt}"
    return value


def _certificate_holder() -> Registration:
    for registration in db.session.scalars(
        select(Registration).where(Registration.certificate_number.is_not(None)).order_by(Registration.id)
    ):
        if certificate_unlocked(registration):
            return registration
    raise AssertionError("the demo city has no downloadable certificate")


def _parameter_values(app) -> dict[str, list]:
    """For each URL parameter of the exports, the demo rows to fill it with."""
    forms_with_answers = select(FeedbackForm.id).where(FeedbackForm.id.in_(select(Response.form_id).distinct()))
    person = _first(
        select(LearningRecord.user_id)
        .where(LearningRecord.source == LearningSource.ATTENDANCE)
        .order_by(LearningRecord.user_id)
    )
    return {
        "workshop_id": [_certificate_holder().workshop_id],
        "form_id": list(db.session.scalars(forms_with_answers.order_by(FeedbackForm.id))),
        "user_id": [person],
        "code": [_first(select(Competency.code).order_by(Competency.code))],
        "slug": [
            _first(
                select(Tag.slug).join(Article.tags).where(Article.status == ArticleStatus.PUBLISHED).order_by(Tag.slug)
            )
        ],
        "kind": ["csv", "xlsx"],
        "extension": ["csv", "xlsx"],
        "year": [planning.local_today().year],  # the demo's approved city plan: its budget workbook
    }


def _urls(app, rule, values: dict[str, list]) -> Iterator[str]:
    combos: list[dict] = [{}]
    for name in sorted(rule.arguments):
        if name == "token":
            continue  # the personal calendar: its own client below
        assert name in values, f"{rule.rule}: no demo value for <{name}>; add one to _parameter_values"
        combos = [{**combo, name: value} for combo in combos for value in values[name]]
    for combo in combos:
        if "token" in rule.arguments:
            continue
        with app.test_request_context():
            yield app.url_for(rule.endpoint, **combo)


def _check_file(url: str, response) -> str:
    """The problem with the downloaded file, or "" when it opens."""
    if response.status_code != 200:
        return f"{url}: HTTP {response.status_code}"
    body = response.get_data()
    kind = url.rsplit(".", 1)[-1].split("?")[0]
    try:
        if kind == "xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(body))
            assert workbook.worksheets and all(sheet.max_row >= 1 for sheet in workbook.worksheets)
        elif kind == "csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            assert rows and rows[0], "no header row"
            assert len({len(row) for row in rows}) == 1, "rows of different lengths"
        elif kind == "ics":
            calendar = Calendar.from_ical(body)
            assert calendar.name == "VCALENDAR"
        elif kind == "pdf":
            assert body.startswith(b"%PDF-") and b"/Type /Page" in body and b"%%EOF" in body[-64:]
        elif kind == "atom":
            root = ET.fromstring(body)  # noqa: S314 - the portal's own feed
            assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        else:
            return f"{url}: unknown kind {kind}"
    except Exception as error:  # noqa: BLE001 - reported with the URL below
        return f"{url}: {type(error).__name__}: {error}"
    return ""


def test_every_export_of_the_demo_city_opens(app):
    _load_demo(app)
    password = app.config["DEMO_ADMIN_PASSWORD"]
    admin = db.session.scalar(select(User).where(User.nip == app.config["DEMO_ADMIN_NIP"]))
    holder = _certificate_holder()
    values = _parameter_values(app)
    # The 500 of issue 13: the dashboard workbook broke whenever a program was flagged; the demo flags one.
    assert program_review.flagged_programs(), "the demo city should flag a program for review"

    admin_client, holder_client = app.test_client(), app.test_client()
    _login(admin_client, admin, password)
    _login(holder_client, holder.user, password)

    problems, downloaded = [], []
    for rule in _export_rules(app):
        for url in _urls(app, rule, values):
            # A certificate is its holder's; everything else is downloaded by BKPSDM's admin.
            client = holder_client if rule.endpoint == "workshops.certificate" else admin_client
            response = client.get(url)
            problems.append(_check_file(url, response))
            downloaded.append(url)
            response.close()
    feed = workshops.renew_feed_token(holder.user)
    url = f"/kalender/{feed}.ics"
    problems.append(_check_file(url, app.test_client().get(url)))
    downloaded.append(url)
    # The dashboard workbook for each recent year, city-wide and per unit of the flagged programs' city.
    this_year = date.today().year
    for year in range(this_year - 1, this_year + 1):
        for unit_id in ("", str(holder.user.unit_id)):
            url = f"/dasbor-pengembangan/unduh.xlsx?tahun={year}&unit={unit_id}"
            problems.append(_check_file(url, admin_client.get(url)))
            downloaded.append(url)

    assert [p for p in problems if p] == []
    endpoints = {rule.endpoint for rule in _export_rules(app)}
    assert {
        "learning.dashboard_export",
        "workshops.certificate",
        "workshops.personal_feed",
        "articles.feed",
    } <= endpoints
    assert len(downloaded) >= len(endpoints)
