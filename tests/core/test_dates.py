"""Dates in Indonesian order: the field shows dd/mm/yyyy whatever the browser's language, and reads it back."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from portal.core.dates import DATE_INVALID_MESSAGE, LocalDateField, format_date, parse_date
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
