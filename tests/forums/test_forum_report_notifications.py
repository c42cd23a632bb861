"""Reports reach the moderators (never the reporter themself), and the reporter hears how it was handled."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services
from portal.notifications import preferences
from tests.notified import mails_to, notes, recipients, watch_mail


@pytest.fixture
def reply(make_thread, make_user):
    thread = make_thread()
    return services.reply(make_user(name="Penulis Balasan"), thread, "Silakan buka menu SKP lalu isi target.")


def test_a_report_notifies_every_moderator_with_a_link_to_it(reply, make_user, moderator):
    admin, member, reporter = make_user(Role.ADMIN), make_user(), make_user(name="Dewi Pelapor")
    inactive = make_user(Role.MODERATOR, active=False)
    report = services.report(reporter, reply, "Isinya menyinggung rekan kerja.")
    assert recipients("forum.reported") == {moderator.id, admin.id}
    assert member.id not in recipients("forum.reported") and inactive.id not in recipients("forum.reported")
    note = notes("forum.reported")[0]
    assert note.url == f"/forum/moderasi#report-{report.id}"
    assert note.actor_id == reporter.id
    assert note.params["reason"] == "Isinya menyinggung rekan kerja."


def test_a_moderator_reporting_is_not_told_of_their_own_report(reply, moderator, make_user):
    other = make_user(Role.MODERATOR)
    services.report(moderator, reply, "Promosi barang dagangan.")
    assert recipients("forum.reported") == {other.id}


def test_a_refused_report_notifies_nobody(reply, moderator, make_user):
    reporter = make_user()
    services.report(reporter, reply, "Laporan pertama saya.")
    with pytest.raises(services.ForumError):
        services.report(reporter, reply, "Laporan yang sama sekali lagi.")
    with pytest.raises(services.ForumError):
        services.report(reply.author, reply, "Kiriman sendiri tidak boleh dilaporkan.")
    assert len(notes("forum.reported")) == 1


def test_a_rolled_back_report_sends_nothing(reply, moderator, make_user, monkeypatch, caplog):
    watch_mail(caplog)
    preferences.save(moderator, {"forum.reported": "immediate"})

    def failing_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        services.report(make_user(), reply, "Isinya tidak pantas.")
    monkeypatch.undo()
    db.session.rollback()
    db.session.commit()
    assert notes("forum.reported") == []
    assert mails_to(caplog, moderator) == []


def test_the_reporters_hear_that_the_post_was_hidden(reply, moderator, make_user):
    first, second = make_user(), make_user()
    services.report(first, reply, "Isinya menyinggung rekan kerja.")
    services.report(second, reply, "Bahasa kasar di balasan ini.")
    services.hide_post(moderator, reply, "Melanggar tata tertib forum.")
    assert recipients("forum.report_hidden") == {first.id, second.id}
    assert notes("forum.report_hidden")[0].url == f"/forum/pos/{reply.id}"
    assert notes("forum.report_dismissed") == []


def test_the_reporter_hears_that_the_report_was_dismissed_but_not_the_moderator_who_reported(reply, make_user):
    reporter, moderating_reporter = make_user(), make_user(Role.MODERATOR)
    services.report(reporter, reply, "Sepertinya ini spam.")
    services.report(moderating_reporter, reply, "Perlu dicek moderator lain.")
    services.dismiss_reports(moderating_reporter, reply)
    assert recipients("forum.report_dismissed") == {reporter.id}
