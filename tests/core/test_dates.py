"""Dates in Indonesian order: the field shows dd/mm/yyyy whatever the browser's language, and reads it back."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from portal.core.dates import (
    DATE_INVALID_MESSAGE,
    DATETIME_INVALID_MESSAGE,
    LocalDateField,
    LocalDateTimeField,
    format_date,
    format_datetime,
    parse_date,
    parse_datetime,
)
from portal.core.forms import PortalForm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/2026", date(2026, 8, 17)),
        ("5/3/2026", date(2026, 3, 5)),  # 5 March, never 3 May
        (" 05-03-2026 ", date(2026, 3, 5)),
        ("05.03.2026", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),  # ISO: links and older bookmarks
        ("31/02/2026", None),
        ("13/13/2026", None),
        ("2026/03/05", None),
        ("05/03/26", None),
        ("kemarin", None),
        ("", None),
        (None, None),
        ("1" * 5000, None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_format_date_is_day_first():
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    assert format_date(None) == ""


class _Form(PortalForm):
    class Meta:
        csrf = False

    day = LocalDateField("Tanggal")
    when = LocalDateTimeField("Waktu")


def test_the_field_is_a_text_input_showing_day_first(app):
    with app.test_request_context():
        form = _Form(data={"day": date(2026, 3, 5)})
        html = str(form.day())
    assert 'type="text"' in html and 'value="05/03/2026"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="hh/bb/tttt"' in html and "pattern=" in html


def test_the_field_reads_day_first_and_iso(app):
    with app.test_request_context():
        for text in ("05/03/2026", "2026-03-05"):
            form = _Form(MultiDict({"day": text}))
            assert form.validate() and form.day.data == date(2026, 3, 5)


def test_a_bad_date_gives_the_message_and_shows_what_was_typed(app):
    with app.test_request_context():
        form = _Form(MultiDict({"day": "03/15/2026"}))
        assert not form.validate()
        assert form.day.errors == [str(DATE_INVALID_MESSAGE)]
        assert 'value="03/15/2026"' in str(form.day())


def test_an_empty_date_is_none(app):
    with app.test_request_context():
        form = _Form(MultiDict({"day": ""}))
        assert form.validate() and form.day.data is None


# ---------------------------------------------------------------- date and time (the old datetime-local inputs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/2026 08.00", datetime(2026, 8, 17, 8, 0)),
        ("17/08/2026 08:00", datetime(2026, 8, 17, 8, 0)),
        ("2026-08-17T08:00", datetime(2026, 8, 17, 8, 0)),  # what the native datetime-local sent
        (" 5/3/2026  7.30 ", datetime(2026, 3, 5, 7, 30)),  # 5 March, never 3 May
        ("05-03-2026 23.59", datetime(2026, 3, 5, 23, 59)),
        ("17/08/2026", None),  # the time is required
        ("17/08/2026 24.00", None),
        ("17/08/2026 08.60", None),
        ("31/02/2026 08.00", None),
        ("08/17/2026 08.00", None),  # month first is refused, not silently swapped
        ("17/08/2026 8", None),
        ("17/08/2026T08.00", None),
        ("besok pagi", None),
        ("", None),
        (None, None),
        ("1" * 5000 + " 08.00", None),
    ],
)
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


def test_format_datetime_is_day_first_with_a_dot():
    assert format_datetime(datetime(2026, 3, 5, 8, 5)) == "05/03/2026 08.05"
    assert format_datetime(None) == ""


def test_the_datetime_field_is_a_text_input_showing_day_first(app):
    with app.test_request_context():
        form = _Form(data={"when": datetime(2026, 3, 5, 8, 0)})
        html = str(form.when())
    assert 'type="text"' in html and 'value="05/03/2026 08.00"' in html
    assert 'placeholder="hh/bb/tttt jj.mm"' in html and "pattern=" in html and "datetime-local" not in html


def test_the_datetime_field_reads_every_accepted_form(app):
    with app.test_request_context():
        for text in ("05/03/2026 08.00", "05/03/2026 08:00", "2026-03-05T08:00"):
            form = _Form(MultiDict({"when": text}))
            assert form.validate() and form.when.data == datetime(2026, 3, 5, 8, 0)


def test_a_bad_datetime_gives_the_message_and_shows_what_was_typed(app):
    with app.test_request_context():
        form = _Form(MultiDict({"when": "03/15/2026 08.00"}))
        assert not form.validate()
        assert form.when.errors == [str(DATETIME_INVALID_MESSAGE)]
        assert 'value="03/15/2026 08.00"' in str(form.when())


def test_the_datetime_message_is_translated(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            assert str(DATETIME_INVALID_MESSAGE).startswith("Invalid date and time.")
