"""The public survey link: no sign-in, CSRF still on, no person stored, a honeypot, a rate limit, and friendly 404
pages for closed or unknown links."""

# ruff: noqa: F811 - pytest fixtures imported from other test modules are parameters of the tests
from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FormAudience, FormPurpose, FormStatus, QuestionKind, Response
from tests.conftest import login
from tests.core.conftest import make_app  # noqa: F401 - a fixture: an app with rate limits on
from tests.feedback.answering_setup import EVERY_KIND, counts, every_kind_answers, organizer  # noqa: F401
from tests.feedback.factories import Q, make_form

TOKEN = "survei-layanan-publik-sawahlunto-2026"
CSRF_MESSAGE = "Sesi formulir sudah kedaluwarsa"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def public_form(organizer):
    return make_form(
        organizer,
        EVERY_KIND,
        title="Survei Kepuasan Layanan Publik",
        purpose=FormPurpose.SURVEY,
        audience=FormAudience.PUBLIC,
        public_token=TOKEN,
    )


def test_anyone_can_open_the_survey_without_signing_in(client, public_form):
    response = client.get(f"/survei/{TOKEN}")
    html = _text(response)
    assert response.status_code == 200
    assert "Survei Kepuasan Layanan Publik" in html
    assert 'name="csrf_token"' in html
    assert "Survei ini tanpa nama: kami tidak menanyakan dan tidak menyimpan siapa Anda." in html
    assert "Simpan dulu" not in html  # drafts need an account
    for personal in ("NIP", "email", "Nama lengkap", "Telepon"):
        assert personal not in html.split('<main id="main"', 1)[1]


def test_the_honeypot_is_hidden_by_a_class_not_an_inline_style(client, public_form):
    html = _text(client.get(f"/survei/{TOKEN}"))
    assert '<div class="fb-hp" aria-hidden="true">' in html
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in html
    assert 'style="' not in html


def test_an_answer_through_the_link_stores_no_person(client, public_form):
    response = client.post(f"/survei/{TOKEN}", data=every_kind_answers(public_form))
    assert response.status_code == 302 and response.location.endswith(f"/survei/{TOKEN}/terima-kasih")
    assert "sudah kami terima" in _text(client.get(response.location))

    response_row = db.session.scalar(select(Response))
    assert (response_row.user_id, response_row.unit_id, response_row.subject_user_id) == (None, None, None)
    assert counts() == {"responses": 1, "answers": 9, "respondents": 0, "drafts": 0}


def test_a_signed_in_visitor_also_answers_anonymously(app, make_user, public_form):
    client = app.test_client()
    login(client, make_user())
    client.post(f"/survei/{TOKEN}", data=every_kind_answers(public_form))
    assert db.session.scalar(select(Response.user_id)) is None
    assert counts()["respondents"] == 0


def test_a_filled_honeypot_pretends_success_and_stores_nothing(client, public_form):
    data = every_kind_answers(public_form, website="https://obat-murah.example")
    response = client.post(f"/survei/{TOKEN}", data=data)
    assert response.status_code == 302 and response.location.endswith(f"/survei/{TOKEN}/terima-kasih")
    assert counts() == {"responses": 0, "answers": 0, "respondents": 0, "drafts": 0}


def test_bad_answers_are_refused_with_messages_and_nothing_is_stored(client, public_form):
    likert = public_form.questions[0]
    response = client.post(f"/survei/{TOKEN}", data=every_kind_answers(public_form, **{f"q{likert.id}": "9"}))
    assert response.status_code == 400
    assert "Pilih salah satu nilai 1 sampai 5." in _text(response)
    assert counts()["responses"] == 0


def test_posting_without_the_csrf_token_is_refused(client, public_form):
    response = client.post(f"/survei/{TOKEN}", data=every_kind_answers(public_form), csrf=False)
    assert response.status_code == 400
    assert CSRF_MESSAGE in _text(response)
    assert counts()["responses"] == 0


@pytest.mark.parametrize(
    "change",
    [{"status": FormStatus.CLOSED}, {"closes_at": utcnow() - timedelta(minutes=1)}],
    ids=["closed", "past-closing-date"],
)
def test_a_closed_survey_answers_404_with_a_friendly_page(client, public_form, change):
    for name, value in change.items():
        setattr(public_form, name, value)
    db.session.commit()
    for response in (
        client.get(f"/survei/{TOKEN}"),
        client.post(f"/survei/{TOKEN}", data=every_kind_answers(public_form)),
    ):
        assert response.status_code == 404
        html = _text(response)
        assert "Survei Kepuasan Layanan Publik" in html
        assert "Formulir ini sudah ditutup dan tidak menerima jawaban lagi." in html
    assert counts()["responses"] == 0


def test_unknown_links_and_links_of_other_forms_answer_404(client, organizer, public_form):
    response = client.get("/survei/tautan-yang-tidak-ada")
    assert response.status_code == 404
    assert "Tautan survei ini tidak dikenal. Periksa kembali alamatnya." in _text(response)
    assert client.get("/survei/tautan-yang-tidak-ada/terima-kasih").status_code == 404
    make_form(
        organizer,
        [Q(QuestionKind.LIKERT, "X")],
        audience=FormAudience.ALL_ASN,
        public_token="token-bukan-publik",
        title="Survei Internal",
    )
    assert client.get("/survei/token-bukan-publik").status_code == 404
    draft = make_form(organizer, [Q(QuestionKind.LIKERT, "X")], audience=FormAudience.PUBLIC, status=FormStatus.DRAFT)
    draft.public_token = "token-draf"
    db.session.commit()
    assert client.get("/survei/token-draf").status_code == 404
    assert client.get("/survei/" + "x" * 60).status_code == 404


def test_public_posts_are_rate_limited_per_address(make_app, public_form):
    limited = make_app(RATELIMIT_ENABLED=True, FEEDBACK_PUBLIC_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    data = every_kind_answers(public_form)
    statuses = [client.post(f"/survei/{TOKEN}", data=data).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert "Terlalu banyak percobaan" in _text(client.post(f"/survei/{TOKEN}", data=data))
    assert client.get(f"/survei/{TOKEN}").status_code == 200  # reading the survey is not counted
    assert counts()["responses"] == 3
