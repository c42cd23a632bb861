"""notify() and friends: transaction behaviour, recipients, email delivery, reading and marking."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from portal.core.permissions import PermissionDenied
from portal.extensions import db
from portal.notifications import preferences, services
from portal.notifications.models import OTHER_KINDS, EmailChoice, Notification


def stored_count(user=None) -> int:
    stmt = select(func.count(Notification.id))
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return db.session.scalar(stmt)


def mails_to(caplog, user) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "portal.mail" and f"Mail to {user.email}:" in r.getMessage()
    ]


# ---------------------------------------------------------------- notify() and the caller's transaction


def test_notify_adds_rows_without_committing(greeting_kind, make_user):
    actor, reader = make_user(), make_user()
    assert services.notify([reader], greeting_kind, "/artikel/7", actor=actor, title="Bimtek") == 1
    db.session.rollback()
    assert stored_count() == 0


def test_notify_rows_commit_with_the_callers_change(greeting_kind, make_user):
    actor, reader = make_user(name="Budi Santoso"), make_user()
    services.notify([reader], greeting_kind, "/artikel/7#komentar", actor=actor, title="Bimtek SIASN")
    db.session.commit()
    notification = db.session.scalars(select(Notification)).one()
    assert (notification.user_id, notification.actor_id, notification.url) == (
        reader.id,
        actor.id,
        "/artikel/7#komentar",
    )
    assert notification.read_at is None
    assert services.message_for(notification) == "Budi Santoso menyapa Anda tentang Bimtek SIASN."


def test_actor_is_never_notified_and_recipients_are_deduplicated(greeting_kind, make_user):
    actor, first, second = make_user(), make_user(), make_user()
    count = services.notify(
        [first, actor, first.id, second, first, actor.id, None], greeting_kind, "/x", actor=actor, title="t"
    )
    db.session.commit()
    assert count == 2
    assert (stored_count(first), stored_count(second), stored_count(actor)) == (1, 1, 0)


def test_notify_without_actor_and_without_recipients(make_user):
    reader = make_user()
    services.register_kind("test.plain", "Pengumuman %(title)s")
    assert services.notify([], "test.plain", "/x", title="t") == 0
    assert services.notify([reader.id], "test.plain", "/x", title="JP 2026") == 1
    db.session.commit()
    notification = db.session.scalars(select(Notification)).one()
    assert notification.actor_id is None
    assert services.message_for(notification) == "Pengumuman JP 2026"


def test_unregistered_kind_is_refused(make_user):
    with pytest.raises(ValueError, match="not registered"):
        services.notify([make_user()], "nobody.registered", "/x")


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "artikel/1", "/a\nb", ""],
)
def test_only_same_site_paths_are_accepted_as_url(greeting_kind, make_user, url):
    with pytest.raises(ValueError, match="same-site path"):
        services.notify([make_user()], greeting_kind, url, title="t")
    assert stored_count() == 0


def test_message_falls_back_when_kind_or_params_no_longer_fit(make_user, make_notification):
    reader = make_user()
    unknown = make_notification(reader, kind="removed.kind")
    mismatched = make_notification(reader)
    mismatched.params = {"title": "tanpa aktor"}
    assert services.message_for(unknown) == "Ada pemberitahuan baru untuk Anda."
    assert services.message_for(mismatched) == "Ada pemberitahuan baru untuk Anda."


def test_message_is_rendered_when_shown_not_when_stored(make_user, make_notification):
    notification = make_notification(make_user(), title="Seminar")
    services.register_kind("test.later", "Versi baru: %(title)s")
    notification.kind = "test.later"
    assert services.message_for(notification) == "Versi baru: Seminar"


def test_register_kind_refuses_overlong_names():
    with pytest.raises(ValueError):
        services.register_kind("x" * 41, "pesan")


# ---------------------------------------------------------------- email delivery


def test_email_is_sent_after_commit_only_to_users_who_enabled_it(greeting_kind, make_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    actor, wants_mail, in_app_only = make_user(name="Budi"), make_user(name="Sari"), make_user()
    preferences.save(wants_mail, {OTHER_KINDS: "immediate"})
    services.notify([wants_mail, in_app_only], greeting_kind, "/artikel/3", actor=actor, title="Ombilin")
    assert mails_to(caplog, wants_mail) == []  # nothing leaves before the commit
    db.session.commit()
    [mail] = mails_to(caplog, wants_mail)
    assert "Halo Sari" in mail
    assert "Budi menyapa Anda tentang Ombilin." in mail
    assert "/artikel/3" in mail
    assert mails_to(caplog, in_app_only) == []


def test_rolled_back_notification_sends_no_email(greeting_kind, make_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    reader = make_user()
    preferences.save(reader, {OTHER_KINDS: "immediate"})
    services.notify([reader], greeting_kind, "/x", title="t", actor=None)
    db.session.rollback()
    db.session.commit()
    assert mails_to(caplog, reader) == []
    assert stored_count() == 0


def test_inactive_user_gets_no_email(greeting_kind, make_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    reader = make_user(active=False)
    preferences.save(reader, {OTHER_KINDS: "immediate"})
    services.notify([reader], greeting_kind, "/x", title="t", actor=None)
    db.session.commit()
    assert mails_to(caplog, reader) == []


def test_mail_failure_does_not_break_the_committed_action(greeting_kind, make_user, monkeypatch, caplog):
    def broken_mail(*_args):
        raise OSError("SMTP server down")

    monkeypatch.setattr(services, "send_mail", broken_mail)
    reader = make_user()
    preferences.save(reader, {OTHER_KINDS: "immediate"})
    services.notify([reader], greeting_kind, "/x", title="t", actor=None)
    db.session.commit()
    assert stored_count(reader) == 1
    assert "Could not send notification mail" in caplog.text


def test_email_for_other_kinds_defaults_off_and_can_be_changed(greeting_kind, make_user):
    user = make_user()
    assert preferences.choice(user, greeting_kind) == EmailChoice.OFF
    preferences.save(user, {OTHER_KINDS: "digest"})
    assert preferences.choice(user, greeting_kind) == EmailChoice.DIGEST
    preferences.save(user, {OTHER_KINDS: "off"})
    assert preferences.choice(user, greeting_kind) == EmailChoice.OFF


# ---------------------------------------------------------------- reading and marking


def test_unread_count_and_list_are_per_user(make_user, make_notification):
    reader, other = make_user(), make_user()
    for title in ("a", "b", "c"):
        make_notification(reader, title=title)
    make_notification(other)
    assert services.unread_count(reader) == 3
    page = services.list_for(reader, 1)
    assert page.total == 3
    assert [n.params["title"] for n in page.items] == ["c", "b", "a"]


def test_mark_read_own_notification(make_user, make_notification):
    reader = make_user()
    notification = make_notification(reader)
    services.mark_read(reader, notification.id)
    assert notification.read_at is not None
    assert services.unread_count(reader) == 0


def test_mark_read_of_someone_elses_notification_is_forbidden(make_user, make_notification):
    owner, intruder = make_user(), make_user()
    notification = make_notification(owner)
    with pytest.raises(PermissionDenied):
        services.mark_read(intruder, notification.id)
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_mark_read_of_missing_notification(make_user):
    with pytest.raises(services.NotificationNotFound):
        services.mark_read(make_user(), 999999)


def test_mark_all_read_touches_only_own_unread(make_user, make_notification):
    reader, other = make_user(), make_user()
    make_notification(reader)
    make_notification(reader)
    make_notification(other)
    assert services.mark_all_read(reader) == 2
    assert services.mark_all_read(reader) == 0
    assert services.unread_count(reader) == 0
    assert services.unread_count(other) == 1
