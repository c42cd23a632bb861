"""Cached thread lists and post cards: changes show on the next request, unread marks stay per reader, staff-only
threads never reach a member, and each reader's forms carry their own CSRF token."""

from __future__ import annotations

import re
from html import unescape

from portal.core.permissions import Role
from portal.forums import services
from portal.forums.models import Visibility

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_new_thread_and_a_reply_show_in_the_cached_list(member_client, make_thread, author):
    thread = make_thread(title="Topik Pertama Forum")
    assert "Topik Pertama Forum" in _text(member_client.get("/forum/k/umum"))
    services.reply(author, thread, "Balasan pertama untuk topik ini.")
    page = _text(member_client.get("/forum/k/umum"))
    assert "1 balasan" in page
    make_thread(title="Topik Kedua Forum")
    assert "Topik Kedua Forum" in _text(member_client.get("/forum/k/umum"))


def test_unread_marks_stay_with_their_reader(login_as, make_thread):
    make_thread(title="Topik Untuk Dibaca")
    first, second = login_as(Role.MEMBER), login_as(Role.MEMBER)
    assert "Baru" in _text(first.get("/forum/k/umum"))
    thread = services.list_threads(first.user, category=services.get_category(first.user, "umum")).items[0]
    first.get(f"/forum/t/{thread.id}")  # read
    first_page, second_page = _text(first.get("/forum/k/umum")), _text(second.get("/forum/k/umum"))
    assert ">Baru<" not in first_page and "forum-unread" not in first_page
    assert ">Baru<" in second_page and "forum-unread" in second_page
    services.reply(second.user, thread, "Ada balasan baru di sini.")
    assert "Ada balasan baru" in _text(first.get("/forum/k/umum"))
    assert "\x00" not in first.get("/forum/k/umum").get_data(as_text=True)  # no marker left


def test_staff_only_threads_stay_out_of_a_members_cached_listing(login_as, make_category, make_thread, make_user):
    staff_room = make_category("ruang-staf", "Ruang Staf", visibility=Visibility.STAFF)
    organizer = make_user(Role.ORGANIZER)
    make_thread(title="Rahasia Ruang Staf", by=organizer, category=staff_room)
    make_thread(title="Topik Umum Terbuka")
    staff, member = login_as(Role.MODERATOR), login_as(Role.MEMBER)
    assert "Rahasia Ruang Staf" in _text(staff.get("/forum/terbaru"))
    member_page = _text(member.get("/forum/terbaru"))
    assert "Rahasia Ruang Staf" not in member_page and "Topik Umum Terbuka" in member_page


def test_my_threads_are_not_served_to_another_reader(login_as, make_thread):
    first, second = login_as(Role.MEMBER), login_as(Role.MEMBER)
    make_thread(title="Topik Milik Pertama", by=first.user)
    assert "Topik Milik Pertama" in _text(first.get("/forum/saya"))
    assert "Topik Milik Pertama" not in _text(second.get("/forum/saya"))


def test_cached_post_cards_follow_edits_likes_and_hiding(login_as, make_thread, author, moderator):
    thread = make_thread(title="Topik Kartu", body="Isi pembuka yang asli.")
    reader = login_as(Role.MEMBER)
    assert "Isi pembuka yang asli." in _text(reader.get(f"/forum/t/{thread.id}"))
    services.edit_post(author, services.post_by_number(thread, 1), "Isi pembuka yang diubah.")
    page = _text(reader.get(f"/forum/t/{thread.id}"))
    assert "Isi pembuka yang diubah." in page and "diedit" in page
    reply = services.reply(author, thread, "Balasan yang akan disukai.")
    reader.get(f"/forum/t/{thread.id}")
    services.toggle_like(reader.user, reply)
    assert re.search(r"Suka <span[^>]*>1</span>", _text(reader.get(f"/forum/t/{thread.id}")))
    services.hide_post(moderator, reply, "Tidak sesuai topik forum.")
    page = _text(reader.get(f"/forum/t/{thread.id}"))
    assert "Balasan yang akan disukai." not in page and "Disembunyikan moderator" in page


def test_post_cards_differ_by_viewer_and_carry_each_viewers_token(login_as, make_thread, author):
    thread = make_thread(title="Topik Dua Pembaca")
    services.reply(author, thread, "Balasan dari penulis.")
    moderator, member = login_as(Role.MODERATOR), login_as(Role.MEMBER)
    moderator_page = moderator.get(f"/forum/t/{thread.id}").get_data(as_text=True)
    member_page = member.get(f"/forum/t/{thread.id}").get_data(as_text=True)
    assert "Sembunyikan" in moderator_page and "Sembunyikan" not in member_page
    moderator_tokens, member_tokens = set(TOKEN.findall(moderator_page)), set(TOKEN.findall(member_page))
    assert len(moderator_tokens) == 1 and len(member_tokens) == 1 and moderator_tokens != member_tokens
    assert "csrf-" not in member_page  # the placeholder never reaches a browser
    post = services.post_by_number(thread, 2)
    response = member.post(f"/forum/pos/{post.id}/suka", data={"csrf_token": member_tokens.pop()}, csrf=False)
    assert response.status_code in (200, 302)
