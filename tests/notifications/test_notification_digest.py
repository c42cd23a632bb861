"""Email choices decide the mail: immediate, one daily digest per person (never an item twice), or none."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.core.permissions import Role
from portal.extensions import db
from portal.notifications import digest, preferences, services
from portal.notifications.models import OTHER_KINDS, EmailChoice
from tests.notified import mails_to, watch_mail

WORK = "test.work"


@pytest.fixture(autouse=True)
def work_kind():
    """A kind with its own settings row, mailed in the digest unless the person chose otherwise."""
    services.register_kind(WORK, _l("%(actor)s menyapa Anda tentang %(title)s."), label=_l("Segera"), email="digest")
    yield
    services.register_kind(WORK, _l("%(actor)s menyapa Anda tentang %(title)s."))  # no row left for other tests


@pytest.fixture
def send(make_user):
    """``send(reader, title, kind=WORK, actor=None)``: a committed notification (the messages name who acted)."""
    someone = make_user(name="Budi")

    def factory(recipient, title: str, kind: str = WORK, actor=None) -> None:
        services.notify([recipient], kind, f"/artikel/{len(title)}", actor=actor or someone, title=title)
        db.session.commit()

    return factory


def _digest(app) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def test_digest_choice_sends_no_mail_at_once_and_one_digest_mail(app, send, make_user, caplog):
    watch_mail(caplog)
    actor, reader = make_user(name="Budi"), make_user(name="Sari")
    send(reader, "Bimtek SKP", actor=actor)
    send(reader, "Rapat koordinasi", actor=actor)
    assert mails_to(caplog, reader) == []
    assert "1 email, 2 pemberitahuan" in _digest(app)
    [mail] = mails_to(caplog, reader)
    assert "Halo Sari" in mail
    assert "Budi menyapa Anda tentang Bimtek SKP." in mail and "Rapat koordinasi" in mail
    assert "/artikel/10" in mail


def test_running_the_digest_twice_the_same_day_sends_one_mail(app, send, make_user, caplog):
    watch_mail(caplog)
    reader = make_user()
    send(reader, "Bimtek SKP")
    _digest(app)
    assert "0 email, 0 pemberitahuan" in _digest(app)
    assert len(mails_to(caplog, reader)) == 1
    send(reader, "Pengumuman baru")  # a later item goes into the next digest, alone
    _digest(app)
    mails = mails_to(caplog, reader)
    assert len(mails) == 2 and "Bimtek SKP" not in mails[1] and "Pengumuman baru" in mails[1]


def test_email_off_sends_nothing_ever(app, send, make_user, caplog):
    watch_mail(caplog)
    reader = make_user()
    preferences.save(reader, {WORK: "off"})
    send(reader, "Bimtek SKP")
    _digest(app)
    assert mails_to(caplog, reader) == []


def test_immediate_choice_mails_at_once_and_not_in_the_digest(app, send, make_user, caplog):
    watch_mail(caplog)
    reader = make_user()
    preferences.save(reader, {WORK: "immediate"})
    send(reader, "Bimtek SKP")
    assert len(mails_to(caplog, reader)) == 1
    _digest(app)
    assert len(mails_to(caplog, reader)) == 1


def test_other_kinds_follow_the_other_row(app, send, make_user, greeting_kind, caplog):
    watch_mail(caplog)
    reader = make_user()
    send(reader, "Bimtek SKP", kind=greeting_kind)
    _digest(app)
    assert mails_to(caplog, reader) == []  # default: no email for other kinds
    preferences.save(reader, {OTHER_KINDS: "digest"})
    send(reader, "Rapat koordinasi", kind=greeting_kind)
    _digest(app)
    [mail] = mails_to(caplog, reader)
    assert "Rapat koordinasi" in mail and "Bimtek SKP" not in mail


def test_the_digest_is_in_the_persons_language(app, send, make_user, caplog):
    watch_mail(caplog)
    reader = make_user(locale="en")
    send(reader, "Bimtek SKP")
    _digest(app)
    [mail] = mails_to(caplog, reader)
    assert "daily digest: 1 notifications" in mail and "Your notifications since the last digest" in mail


def test_inactive_people_get_no_digest(app, send, make_user, caplog):
    watch_mail(caplog)
    reader = make_user(active=False)
    send(reader, "Bimtek SKP")
    _digest(app)
    assert mails_to(caplog, reader) == []


def test_a_failed_digest_mail_is_tried_again_on_the_next_run(app, send, make_user, monkeypatch, caplog):
    watch_mail(caplog)
    reader = make_user()
    send(reader, "Bimtek SKP")

    def broken_mail(*_args):
        raise OSError("SMTP server down")

    monkeypatch.setattr(digest, "send_mail", broken_mail)
    assert "Gagal dikirim" in _digest(app)
    monkeypatch.undo()
    _digest(app)
    assert len(mails_to(caplog, reader)) == 1


def test_the_actor_gets_no_digest_item_of_their_own_action(app, send, make_user, caplog):
    watch_mail(caplog)
    actor = make_user()
    services.notify([actor], WORK, "/artikel/1", actor=actor, title="Sendiri")
    db.session.commit()
    _digest(app)
    assert mails_to(caplog, actor) == []


# ---------------------------------------------------------------- the choices


def test_defaults_and_saved_choices(make_user):
    person = make_user()
    assert preferences.choice(person, WORK) == EmailChoice.DIGEST
    assert preferences.choice(person, "account.verified") == EmailChoice.IMMEDIATE
    assert preferences.choice(person, "learning.verified") == EmailChoice.IMMEDIATE
    assert preferences.choice(person, "forum.replied") == EmailChoice.OFF
    assert preferences.save(person, {WORK: "off", OTHER_KINDS: "immediate"}) == 2
    assert preferences.choice(person, WORK) == EmailChoice.OFF
    assert preferences.choice(person, "forum.replied") == EmailChoice.IMMEDIATE


@pytest.mark.parametrize(
    "choices",
    [
        {WORK: "off", "no.such.kind": "off"},
        {WORK: "off", OTHER_KINDS: "weekly"},
        {WORK: "off", "forum.replied": "off"},  # a kind without a row of its own
    ],
)
def test_a_choice_the_page_does_not_offer_changes_nothing(make_user, choices):
    person = make_user()
    with pytest.raises(preferences.PreferenceError):
        preferences.save(person, choices)
    db.session.rollback()
    assert preferences.choice(person, WORK) == EmailChoice.DIGEST


def test_staff_rows_are_shown_only_to_those_who_do_the_work(make_user):
    member, moderator, organizer, admin = (make_user(role) for role in Role)
    kinds_of = {
        person.role: {row.kind for row in preferences.rows_for(person)}
        for person in (member, moderator, organizer, admin)
    }
    assert {"account.verified", "learning.verified", "forum.report_hidden", OTHER_KINDS} <= kinds_of[Role.MEMBER]
    assert not {"forum.reported", "workshop.registration_pending", "learning.claim_submitted"} & kinds_of[Role.MEMBER]
    assert (
        "forum.reported" in kinds_of[Role.MODERATOR] and "workshop.registration_pending" not in kinds_of[Role.MODERATOR]
    )
    assert (
        "workshop.registration_pending" in kinds_of[Role.ORGANIZER] and "forum.reported" not in kinds_of[Role.ORGANIZER]
    )
    assert {
        "forum.reported",
        "workshop.waitlist_moved",
        "learning.claim_submitted",
        "article.review_waiting",
    } <= kinds_of[Role.ADMIN]
    with pytest.raises(preferences.PreferenceError):
        preferences.save(member, {"forum.reported": "off"})


def test_saving_at_the_same_moment_as_another_tab_asks_to_save_again(make_user, monkeypatch):
    person = make_user()
    real_commit = db.session.commit

    def clashing_commit():
        monkeypatch.setattr(db.session, "commit", real_commit)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(db.session, "commit", clashing_commit)
    with pytest.raises(preferences.PreferenceError, match="tab lain"):
        preferences.save(person, {WORK: "off"})
    assert preferences.choice(person, WORK) == EmailChoice.DIGEST
