"""The thread page reads the viewer's likes, subscription and read mark in one statement, and what it shows
follows each of them on the next view."""

from __future__ import annotations

from portal.extensions import db
from portal.forums import services
from portal.forums.models import ReadMark


def test_likes_subscription_and_read_mark_follow_the_viewer(member_client, make_thread, make_user):
    thread = make_thread()
    reply = services.reply(make_user(), thread, "Balasan yang disukai.")
    path = f"/forum/t/{thread.id}"
    viewer = member_client.user
    first = services.thread_view(viewer, thread, 1)
    assert first.liked == set() and not first.subscribed and first.read_up_to is None
    member_client.get(path)  # records the read mark
    assert db.session.get(ReadMark, (viewer.id, thread.id)).last_read_number == 2
    services.toggle_like(viewer, reply)
    services.subscribe(viewer.id, thread.id)
    db.session.commit()
    view = services.thread_view(viewer, thread, 1)
    assert view.liked == {reply.id} and view.subscribed and view.read_up_to == 2
    services.reply(make_user(), thread, "Balasan baru.")
    member_client.get(path)
    db.session.expire_all()
    assert db.session.get(ReadMark, (viewer.id, thread.id)).last_read_number == 3
