"""Forgotten password: /lupa-sandi mails a single-use link to /atur-sandi/<token>."""

import logging
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from portal.accounts import services
from portal.accounts.models import PasswordResetToken
from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from tests.accounts.conftest import NEW_PASSWORD
from tests.conftest import PASSWORD, login

SENT = "Bila NIP/email tersebut terdaftar, kami sudah mengirim tautan atur ulang kata sandi ke email akun itu."
INVALID = "Tautan atur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."
LINK = re.compile(r"http://localhost(/atur-sandi/[\w-]+)")


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def mails(caplog):
    """The mails written to the log (MAIL_BACKEND=log) during the test."""
    caplog.set_level(logging.INFO, logger="portal.mail")

    def sent() -> list[str]:
        return [record.getMessage() for record in caplog.records if record.name == "portal.mail"]

    return sent


def request_link(client, mails, identifier: str) -> str:
    before = len(mails())
    client.post("/lupa-sandi", data={"identifier": identifier})
    new = mails()[before:]
    assert len(new) == 1, new
    return LINK.search(new[0]).group(1)


def new_password_form(password: str = NEW_PASSWORD) -> dict:
    return {"password": password, "password_confirm": password}


def test_forgot_password_page_renders(client):
    assert client.get("/lupa-sandi").status_code == 200


@pytest.mark.parametrize("identifier", ["nip", "email"])
def test_known_account_gets_a_mail_with_a_link(client, make_user, mails, identifier):
    user = make_user(name="Sri Wahyuni", email="sri@sawahluntokota.go.id")
    response = client.post("/lupa-sandi", data={"identifier": getattr(user, identifier)}, follow_redirects=True)
    assert SENT in page_text(response)
    (mail,) = mails()
    assert "Mail to sri@sawahluntokota.go.id" in mail
    assert "Halo Sri Wahyuni" in mail
    assert "berlaku 2 jam" in mail
    assert LINK.search(mail)


def test_known_and_unknown_accounts_get_the_same_answer(client, make_user, mails):
    user = make_user()
    deactivated = make_user(active=False)
    answers = [
        client.post("/lupa-sandi", data={"identifier": identifier})
        for identifier in (user.nip, "199001012015031001", "siapa@x.go.id", deactivated.email)
    ]
    assert {(answer.status_code, answer.headers["Location"]) for answer in answers} == {(302, "/masuk")}
    flashes = []
    with client.session_transaction() as session:
        flashes = session["_flashes"]
    assert flashes == [("info", SENT)] * 4
    assert len(mails()) == 1


def test_the_link_sets_a_new_password_and_signs_out_every_session(app, client, make_user, mails):
    user = make_user()
    old_session = login(app.test_client(), user)
    path = request_link(client, mails, user.email)

    assert client.get(path).status_code == 200
    response = client.post(path, data=new_password_form(), follow_redirects=True)
    assert "Kata sandi sudah diganti. Silakan masuk dengan kata sandi baru." in page_text(response)

    assert old_session.get("/akun/sandi").status_code == 302
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    refused = app.test_client().post("/masuk", data={"identifier": user.nip, "password": PASSWORD})
    assert "NIP/email atau kata sandi salah." in page_text(refused)
    login(app.test_client(), user, NEW_PASSWORD)


def test_the_link_works_once(client, make_user, mails):
    user = make_user()
    path = request_link(client, mails, user.nip)
    client.post(path, data=new_password_form())

    for response in (client.get(path), client.post(path, data=new_password_form("Lain-lagi#2027"))):
        assert response.status_code == 302
        assert response.headers["Location"] == "/lupa-sandi"
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)


def test_an_expired_link_is_refused(client, make_user, mails):
    user = make_user()
    path = request_link(client, mails, user.nip)
    record = db.session.scalar(select(PasswordResetToken))
    record.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    response = client.post(path, data=new_password_form(), follow_redirects=True)
    assert INVALID in page_text(response)
    db.session.refresh(user)
    assert not check_password_hash(user.password_hash, NEW_PASSWORD)


def test_the_link_expires_after_the_configured_hours(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_HOURS", 5)
    user = make_user()
    services.request_password_reset(user.nip)
    record = db.session.scalar(select(PasswordResetToken))
    assert timedelta(hours=4, minutes=59) < record.expires_at - utcnow() <= timedelta(hours=5)


def test_a_new_request_kills_the_older_links(client, make_user, mails):
    user = make_user()
    first = request_link(client, mails, user.nip)
    second = request_link(client, mails, user.email)
    assert client.get(first).headers["Location"] == "/lupa-sandi"
    assert client.post(second, data=new_password_form()).headers["Location"] == "/masuk"


def test_using_a_link_kills_every_outstanding_link(make_user):
    user = make_user()
    _user, first = services.request_password_reset(user.nip)
    db.session.add(
        PasswordResetToken(user_id=user.id, token_hash="f" * 64, expires_at=utcnow() + timedelta(hours=1))
    )  # an outstanding link from before links superseded each other
    db.session.commit()
    services.reset_password(first, NEW_PASSWORD)
    assert all(record.used_at for record in db.session.scalars(select(PasswordResetToken)))


def test_links_of_a_deactivated_account_stop_working(client, make_user, mails):
    admin = make_user(Role.ADMIN)
    user = make_user()
    path = request_link(client, mails, user.nip)
    services.set_active(admin, user, False)
    assert client.get(path).headers["Location"] == "/lupa-sandi"


@pytest.mark.parametrize("path", ["/atur-sandi/tidak-ada", "/atur-sandi/" + "x" * 300])
def test_an_unknown_link_is_refused(client, path):
    response = client.get(path, follow_redirects=True)
    assert INVALID in page_text(response)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (new_password_form("pendek1"), "Kata sandi minimal 10 karakter."),
        ({"password": NEW_PASSWORD, "password_confirm": "Songket-Silungkang8"}, "Kedua kata sandi tidak sama."),
    ],
)
def test_a_bad_new_password_keeps_the_link_and_the_old_password(client, make_user, mails, form, message):
    user = make_user()
    path = request_link(client, mails, user.nip)
    response = client.post(path, data=form)
    assert response.status_code == 200
    assert message in page_text(response)
    db.session.expire_all()
    assert check_password_hash(user.password_hash, PASSWORD)
    assert client.get(path).status_code == 200


def test_reset_without_csrf_token_changes_nothing(client, make_user, mails):
    user = make_user()
    path = request_link(client, mails, user.nip)
    assert client.post(path, data=new_password_form(), csrf=False).status_code == 400
    db.session.expire_all()
    assert check_password_hash(user.password_hash, PASSWORD)


def test_links_use_the_public_address_whatever_host_the_request_named(app, client, make_user, mails, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://kompetensi.sawahluntokota.go.id/")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the session cookie belongs to another host
    user = make_user()
    client.post("/lupa-sandi", data={"identifier": user.nip}, headers={"Host": "evil.example"}, csrf=False)
    (mail,) = mails()
    assert "https://kompetensi.sawahluntokota.go.id/atur-sandi/" in mail
    assert "evil.example" not in mail


def test_a_failing_mail_server_does_not_reveal_the_account(client, make_user, monkeypatch, caplog):
    def refuse(*_args):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("portal.accounts.views.send_mail", refuse)
    user = make_user()
    known = client.post("/lupa-sandi", data={"identifier": user.nip})
    unknown = client.post("/lupa-sandi", data={"identifier": "199001012015031001"})
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert "could not be sent" in caplog.text
