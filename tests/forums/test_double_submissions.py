"""Issue 13 §7 / issue 19 §7: a second click, a re-sent form or two identical requests at the same moment post one
reply or one topic, and the page goes where the first one went."""

from __future__ import annotations

from portal.accounts import services as accounts
from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.notifications.models import Notification
from tests.postings import at_the_same_moment, count_rows, move_clock


def test_the_same_reply_twice_within_seconds_is_one_post(make_thread, make_user, author, monkeypatch):
    thread = make_thread()
    helper = make_user(Role.MEMBER)
    first = services.reply(helper, thread, "Isi di menu Kinerja, lalu Rencana SKP.")
    again = services.reply(helper, thread, "Isi di menu Kinerja, lalu Rencana SKP.")
    assert again.id == first.id
    assert count_rows(ForumPost, ForumPost.thread_id == thread.id) == 2  # the question and one answer
    db.session.refresh(thread)
    assert thread.reply_count == 1 and thread.last_number == 2
    assert count_rows(Notification, Notification.user_id == author.id, Notification.kind == "forum.replied") == 1

    move_clock(monkeypatch, 31)
    later = services.reply(helper, services.get_thread(helper, thread.id), "Isi di menu Kinerja, lalu Rencana SKP.")
    assert later.id != first.id and later.number == 3


def test_the_same_topic_twice_is_one_topic(general, make_user):
    asker = make_user(Role.MEMBER)
    first = services.create_thread(asker, general, "Cara klaim JP webinar", "Sertifikat tanpa jam pelajaran.")
    again = services.create_thread(asker, general, "Cara klaim JP webinar", "Sertifikat tanpa jam pelajaran.")
    assert again.id == first.id
    assert count_rows(ForumThread) == 1 and count_rows(ForumPost) == 1
    assert db.session.get(ForumCategory, general.id).thread_count == 1
    other = services.create_thread(asker, general, "Cara klaim JP webinar", "Pertanyaan yang lain.")
    assert other.id != first.id


def test_reply_form_sent_twice_lands_on_the_same_post(member_client, make_thread):
    thread = make_thread()
    url = f"/forum/t/{thread.id}/balas"
    first = member_client.post(url, data={"body": "Sudah saya coba, berhasil."})
    second = member_client.post(url, data={"body": "Sudah saya coba, berhasil."})
    assert first.status_code == second.status_code == 302
    assert first.location == second.location and "#pos-" in first.location
    assert count_rows(ForumPost, ForumPost.thread_id == thread.id) == 2


def test_new_topic_form_sent_twice_opens_one_topic(member_client, general):
    data = {"title": "Jadwal pelatihan Juli", "body": "Kapan jadwalnya diumumkan?"}
    first = member_client.post("/forum/k/umum/topik-baru", data=data)
    second = member_client.post("/forum/k/umum/topik-baru", data=data)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count_rows(ForumThread) == 1


def test_identical_replies_at_the_same_moment_are_one(app, make_thread, make_user):
    thread_id = make_thread().id
    helper_id = make_user(Role.MEMBER).id
    db.session.commit()

    def post():
        helper = accounts.get_user(helper_id)
        return services.reply(helper, services.get_thread(helper, thread_id), "Saya juga mengalami hal yang sama.").id

    results, errors = at_the_same_moment(app, 8, post)
    assert errors == []
    assert len(results) == 8 and len(set(results)) == 1
    assert count_rows(ForumPost, ForumPost.thread_id == thread_id) == 2


def test_identical_topics_at_the_same_moment_are_one(app, general, make_user):
    asker_id, category_id = make_user(Role.MEMBER).id, general.id
    db.session.commit()

    def create():
        category = db.session.get(ForumCategory, category_id)
        return services.create_thread(accounts.get_user(asker_id), category, "Sosialisasi SIASN", "Kapan?").id

    results, errors = at_the_same_moment(app, 8, create)
    assert errors == []
    assert len(set(results)) == 1
    assert count_rows(ForumThread) == 1
