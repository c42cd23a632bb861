"""Ids, numbers and text are checked before they reach a query: 404 in URLs, field errors in forms."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField

from portal.core.forms import CONTROL_CHARACTERS_MESSAGE, NUMBER_RANGE_MESSAGE, IdField, PortalForm
from portal.core.inputs import DB_INT_MAX, db_int, int_arg


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(2**31), None),
        (str(10**20), None),
        ("1" * 5000, None),
        ("-1", -1),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
        (2**63, None),
        (5, 5),
        ("٣", None),
    ],
)
def test_db_int(value, expected):
    assert db_int(value) == expected


def test_db_int_minimum():
    assert db_int("-1", minimum=0) is None
    assert db_int("0", minimum=0) == 0


@pytest.mark.parametrize("bad", [str(2**31), str(2**63), str(10**20), "-1", "1" * 5000])
def test_out_of_range_id_in_url_is_404(member_client, bad):
    assert member_client.get(f"/pelatihan/{bad}").status_code == 404
    assert member_client.get(f"/forum/t/{bad}").status_code == 404


def test_largest_id_in_range_reaches_the_view(member_client):
    assert member_client.get(f"/pelatihan/{DB_INT_MAX}").status_code == 404  # no such workshop, but no error


def test_nul_in_text_path_argument_is_404(member_client):
    assert member_client.get("/kompetensi/a%00b").status_code == 404


def test_int_arg_and_stripped_query_text(app):
    with app.test_request_context("/?page=99999999999&unit=12&q=a%00b%1bc%0a"):
        from flask import request

        assert int_arg("page", 1) == 1
        assert int_arg("unit") == 12
        assert request.args["q"] == "abc\n"


class _Form(PortalForm):
    class Meta:
        csrf = False

    title = StringField()
    body = TextAreaField()
    count = IntegerField()
    choice = SelectField(coerce=int, validate_choice=False)
    many = SelectMultipleField(coerce=int, validate_choice=False)
    parent = IdField()


def _form(app, **data) -> _Form:
    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict(data))
        form.validate()
        return form


def test_form_refuses_control_characters_and_keeps_the_safe_text(app):
    form = _form(app, title="Judul\x00", body="Baris satu\r\n\tbaris dua\x1b")
    assert form.title.errors == [CONTROL_CHARACTERS_MESSAGE]
    assert form.body.errors == [CONTROL_CHARACTERS_MESSAGE]
    assert form.title.data == "Judul"
    assert form.body.data == "Baris satu\r\n\tbaris dua"


def test_multi_line_text_may_hold_line_breaks_and_tabs_single_line_may_not(app):
    form = _form(app, title="a\tb", body="a\r\n\tb")
    assert form.title.errors == [CONTROL_CHARACTERS_MESSAGE]
    assert not form.body.errors


def test_form_refuses_numbers_beyond_the_database_range(app):
    form = _form(app, count=str(2**31), choice=str(10**20), many=["1", str(2**63)])
    assert form.count.errors == [NUMBER_RANGE_MESSAGE]
    assert form.choice.errors == [NUMBER_RANGE_MESSAGE]
    assert form.many.errors == [NUMBER_RANGE_MESSAGE]
    assert form.count.data is None
    assert form.many.data == [1]


def test_form_accepts_numbers_in_range(app):
    form = _form(app, count="12", choice="3", many=["1", "2"], parent="5")
    assert not any(field.errors for field in form)
    assert (form.count.data, form.choice.data, form.many.data, form.parent.data) == (12, 3, [1, 2], 5)


@pytest.mark.parametrize("bad", ["abc", str(2**31), "-1", "0"])
def test_id_field_refuses_anything_but_an_id(app, bad):
    form = _form(app, parent=bad)
    assert form.parent.errors
    assert form.parent.data is None


def test_id_field_empty_is_none(app):
    form = _form(app, parent="")
    assert not form.parent.errors
    assert form.parent.data is None
