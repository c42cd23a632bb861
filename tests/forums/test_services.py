"""Forum rules through the services: counters, fan-out, solutions, likes, edits, moderation, visibility."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.forums import services
from portal.forums.models import (
    CategorySubscription,
    ForumCategory,
    ForumPost,
    ForumPostRevision,
    ForumReport,
    ForumThread,
)
from portal.forums.services import CategoryInput, ForumError
from portal.notifications.models import Notification


def _notifications(user, kind: str | None = None) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- threads, replies, counters


def test_a_thread_and_its_replies_keep_counters_and_numbers(make_thread, make_user, general):
    thread = make_thread()
    first, second = make_user(), make_user()
    services.reply(first, thread, "Buka menu SKP, pilih rencana kinerja.")
    last = services.reply(second, thread, "Sudah dicoba, berhasil.")
    db.session.refresh(thread)
    db.session.refresh(general)
    assert [p.number for p in db.session.scalars(select(ForumPost).order_by(ForumPost.number))] == [1, 2, 3]
    assert (thread.reply_count, thread.last_post_number, thread.last_poster_id) == (2, 3, second.id)
    assert thread.last_post_at == last.created_at
    assert (general.thread_count, general.post_count, general.last_post_at) == (1, 3, last.created_at)


def test_counters_stay_right_after_delete_hide_unhide_and_move(
    make_thread, make_user, moderator, make_category, general
):
    thread = make_thread()
    replier = make_user()
    keep = services.reply(replier, thread, "Balasan yang tetap ada.")
    withdrawn = services.reply(replier, thread, "Balasan yang ditarik penulisnya.")
    hidden = services.reply(make_user(), thread, "Balasan yang disembunyikan moderator.")

    services.delete_post(replier, withdrawn)
    services.hide_post(moderator, hidden, "Tidak sesuai topik.")
    db.session.refresh(thread)
    db.session.refresh(general)
    assert (thread.reply_count, thread.last_post_number) == (1, keep.number)
    assert (general.thread_count, general.post_count) == (1, 2)

    services.unhide_post(moderator, db.session.get(ForumPost, hidden.id))
    db.session.refresh(thread)
    assert (thread.reply_count, thread.last_post_number) == (2, hidden.number)

    target = make_category("spbe-ti", "SPBE & TI")
    services.move_thread(moderator, thread, target.id)
    db.session.refresh(general)
    db.session.refresh(target)
    assert (general.thread_count, general.post_count, general.last_post_at) == (0, 0, None)
    assert (target.thread_count, target.post_count) == (1, 3)


def test_hiding_the_opening_post_hides_the_thread_from_lists(make_thread, moderator, member_client, general):
    thread = make_thread()
    services.hide_post(moderator, services.post_by_number(thread, 1), "Memuat data pribadi warga.")
    db.session.refresh(general)
    assert general.thread_count == 0
    assert services.list_threads(member_client.user).items == []
    assert services.get_thread(member_client.user, thread.id) is None
    assert services.get_thread(thread.author, thread.id) is not None, "the author still sees why"


def test_author_deletes_an_unanswered_thread_but_not_an_answered_one(make_thread, author, make_user, general):
    lonely = make_thread(title="Topik tanpa balasan")
    services.delete_post(author, services.post_by_number(lonely, 1))
    assert db.session.get(ForumThread, lonely.id).deleted_at is not None

    answered = make_thread(title="Topik yang sudah dibalas")
    services.reply(make_user(), answered, "Jawaban rekan.")
    with pytest.raises(ForumError, match="sudah dibalas"):
        services.delete_post(author, services.post_by_number(answered, 1))
    db.session.refresh(general)
    assert general.thread_count == 1


def test_only_the_author_deletes_a_post(make_thread, make_user, moderator):
    thread = make_thread()
    post = services.reply(make_user(), thread, "Balasan saya.")
    for someone in (make_user(), moderator):
        with pytest.raises(PermissionDenied):
            services.delete_post(someone, post)


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Isi", "title"),
        ("SKP", "Isi", "title"),
        ("Judul yang cukup", "   ", "body"),
        ("Judul", "x" * 20_001, "body"),
    ],
)
def test_bad_thread_input_is_refused_and_writes_nothing(author, general, title, body, field):
    with pytest.raises(ForumError) as caught:
        services.create_thread(author, general, title, body)
    assert caught.value.field == field
    assert _count(ForumThread) == 0
    assert _count(ForumPost) == 0


# ---------------------------------------------------------------- notifications


def test_a_reply_notifies_every_subscriber_but_its_author_exactly_once(make_thread, author, make_user):
    thread = make_thread()
    first, second, third = make_user(), make_user(), make_user()
    services.reply(first, thread, "Balasan pertama.")
    services.reply(second, thread, "Balasan kedua.")
    services.toggle_thread_subscription(third, thread)
    db.session.query(Notification).delete()
    db.session.commit()

    services.reply(first, thread, "Balasan ketiga dari penulis balasan pertama.")

    assert len(_notifications(author, "forum.replied")) == 1
    assert len(_notifications(second, "forum.replied")) == 1
    assert len(_notifications(third, "forum.replied")) == 1
    assert _notifications(first) == []
    assert _count(Notification) == 3


def test_a_mentioned_subscriber_gets_one_mention_not_a_reply_too(make_thread, author, make_user):
    thread = make_thread()
    replier = make_user()
    services.reply(replier, thread, f"Betul begitu, @{author.handle}? Dan @{make_user(name='Budi Santoso').nip}")
    assert len(_notifications(author)) == 1
    assert _notifications(author)[0].kind == "forum.mentioned"


def test_a_muted_thread_stays_quiet_even_after_replying(make_thread, author, make_user):
    thread = make_thread()
    assert services.toggle_thread_subscription(author, thread) is False
    services.reply(author, thread, "Saya tambahkan sedikit.")
    services.reply(make_user(), thread, "Balasan orang lain.")
    assert _notifications(author) == []


def test_category_subscribers_hear_of_new_threads(general, author, make_user):
    follower = make_user()
    assert services.toggle_category_subscription(follower, general) is True
    services.create_thread(author, general, "Topik baru untuk pengikut", "Isi topik.")
    assert [n.kind for n in _notifications(follower)] == ["forum.new_thread"]
    assert services.toggle_category_subscription(follower, general) is False
    assert _count(CategorySubscription) == 0


def test_people_outside_a_unit_room_are_never_notified(unit_room, make_user, make_unit):
    insider = make_user(unit_id=unit_room.unit_id)
    outsider = make_user()
    thread = services.create_thread(insider, unit_room, "Jadwal pelatihan PPI", f"Info untuk @{outsider.handle}")
    colleague = make_user(unit_id=unit_room.unit_id)
    services.reply(colleague, thread, "Siap, terima kasih.")
    assert _notifications(outsider) == []
    assert len(_notifications(insider, "forum.replied")) == 1


def test_mentions_inside_code_are_not_mentions(make_thread, author, make_user):
    colleague = make_user(name="Ikhsan Maulana")
    thread = make_thread(body=f"Contoh: `@{colleague.handle}` dan\n\n```\n@{colleague.handle}\n```")
    assert _notifications(colleague) == []
    post = services.post_by_number(thread, 1)
    assert "/pegawai/" not in post.body_html


def test_mentions_link_to_profiles_by_handle_and_nip(make_thread, make_user):
    colleague = make_user(name="Lili Suryani, S.Kom.")
    thread = make_thread(body=f"Tanya @{colleague.handle.upper()}. Atau @{colleague.nip}.")
    html = services.post_by_number(thread, 1).body_html
    assert html.count(f'href="/pegawai/{colleague.id}"') == 2
    assert len(_notifications(colleague, "forum.mentioned")) == 1


# ---------------------------------------------------------------- solutions, likes, edits


def test_the_thread_author_marks_one_solution(make_thread, author, make_user):
    thread = make_thread()
    one = services.reply(make_user(), thread, "Jawaban pertama.")
    two = services.reply(make_user(), thread, "Jawaban kedua yang tepat.")
    assert services.toggle_solution(author, one) is True
    assert services.toggle_solution(author, db.session.get(ForumPost, two.id)) is True
    solutions = list(db.session.scalars(select(ForumPost.id).where(ForumPost.is_solution.is_(True))))
    assert solutions == [two.id]
    assert db.session.get(ForumThread, thread.id).solved_at is not None
    assert len(_notifications(two.author, "forum.solution")) == 1
    assert [t.id for t in services.list_threads(author, "terjawab").items] == [thread.id]
    assert services.toggle_solution(author, db.session.get(ForumPost, two.id)) is False
    assert db.session.get(ForumThread, thread.id).solved_at is None


def test_others_cannot_mark_a_solution_and_the_question_is_no_answer(make_thread, author, make_user, moderator):
    thread = make_thread()
    answer = services.reply(make_user(), thread, "Jawaban.")
    with pytest.raises(PermissionDenied):
        services.toggle_solution(make_user(), answer)
    with pytest.raises(ForumError):
        services.toggle_solution(author, services.post_by_number(thread, 1))
    assert services.toggle_solution(moderator, answer) is True
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "forum.solution"))


def test_likes_toggle_once_per_user_and_not_on_own_posts(make_thread, author, make_user):
    post = services.post_by_number(make_thread(), 1)
    fan = make_user()
    assert services.toggle_like(fan, post) is True
    assert services.toggle_like(make_user(), post) is True
    assert db.session.get(ForumPost, post.id).like_count == 2
    assert services.toggle_like(fan, post) is False
    assert db.session.get(ForumPost, post.id).like_count == 1
    with pytest.raises(ForumError, match="sendiri"):
        services.toggle_like(author, post)


def test_edits_keep_history_and_moderator_edits_are_audited(make_thread, author, moderator):
    thread = make_thread()
    post = services.post_by_number(thread, 1)
    services.edit_post(author, post, "Isi yang diperbaiki.", "Cara mengisi SKP di e-Kinerja 2025")
    services.edit_post(moderator, post, "Isi dirapikan moderator.")
    post = db.session.get(ForumPost, post.id)
    assert (post.edit_count, post.thread.title) == (2, "Cara mengisi SKP di e-Kinerja 2025")
    bodies = [r.body_md for r in services.revisions(moderator, post)]
    assert bodies == ["Isi yang diperbaiki.", "Mohon petunjuknya."]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "forum.post_edit"))
    assert len(_notifications(author, "forum.post_edited")) == 1
    with pytest.raises(PermissionDenied):
        services.revisions(author, post)


def test_an_edit_notifies_only_newly_mentioned_people(make_thread, author, make_user):
    old, new = make_user(name="Rekan Lama"), make_user(name="Rekan Baru")
    thread = make_thread(body=f"Halo @{old.handle}")
    post = services.post_by_number(thread, 1)
    services.edit_post(author, post, f"Halo @{old.handle} dan @{new.handle}")
    assert len(_notifications(old)) == 1
    assert len(_notifications(new)) == 1
    assert _count(ForumPostRevision) == 1


# ---------------------------------------------------------------- moderation


def test_reports_reach_the_queue_and_hiding_resolves_them(make_thread, make_user, moderator):
    thread = make_thread()
    spam = services.reply(make_user(), thread, "Promo pulsa murah!")
    reporter = make_user()
    services.report(reporter, spam, "Promosi jualan.")
    with pytest.raises(ForumError, match="sudah melaporkan"):
        services.report(reporter, spam, "Promosi jualan lagi.")
    assert [r.post_id for r in services.open_reports(moderator)] == [spam.id]

    services.hide_post(moderator, spam, "Promosi di luar topik.")
    assert services.open_reports(moderator) == []
    assert db.session.scalar(select(ForumReport.resolution)) == "hidden"
    hidden = _notifications(spam.author, "forum.post_hidden")
    assert len(hidden) == 1 and hidden[0].params["reason"] == "Promosi di luar topik."
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "forum.post_hide"))["reports"] == 1


def test_bad_reports_and_moderation_reasons_are_refused(make_thread, author, make_user, moderator):
    post = services.reply(make_user(), make_thread(), "Balasan biasa.")
    with pytest.raises(ForumError, match="Alasan"):
        services.report(make_user(), post, "x")
    with pytest.raises(ForumError, match="sendiri"):
        services.report(post.author, post, "Laporan diri sendiri.")
    with pytest.raises(ForumError, match="Alasan"):
        services.hide_post(moderator, post, "")
    with pytest.raises(PermissionDenied):
        services.hide_post(author, post, "Bukan moderator.")
    assert _count(ForumReport) == 0
    assert db.session.get(ForumPost, post.id).hidden_at is None


def test_dismissing_reports_keeps_the_post(make_thread, make_user, moderator):
    post = services.reply(make_user(), make_thread(), "Balasan yang dilaporkan keliru.")
    services.report(make_user(), post, "Saya kira ini iklan.")
    assert services.dismiss_reports(moderator, post) == 1
    assert db.session.get(ForumPost, post.id).is_visible
    with pytest.raises(ForumError):
        services.dismiss_reports(moderator, post)


def test_a_locked_thread_takes_no_replies_except_from_moderators(make_thread, make_user, moderator, author):
    thread = make_thread()
    services.set_locked(moderator, thread, True)
    with pytest.raises(ForumError, match="dikunci"):
        services.reply(make_user(), thread, "Masih boleh?")
    services.reply(moderator, thread, "Catatan penutup moderator.")
    assert len(_notifications(author, "forum.thread_locked")) == 1
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert "forum.thread_lock" in actions


def test_pinning_puts_a_thread_on_top_of_its_category(make_thread, moderator, general, member_client):
    pinned = make_thread(title="Aturan bertanya di forum")
    make_thread(title="Topik yang lebih baru")
    services.set_pinned(moderator, pinned, True)
    page = services.list_threads(member_client.user, category=general)
    assert [t.id for t in page.pinned] == [pinned.id]
    assert pinned.id not in [t.id for t in page.items]


def test_moving_needs_an_existing_other_category(make_thread, moderator, general):
    thread = make_thread()
    with pytest.raises(ForumError, match="sudah berada"):
        services.move_thread(moderator, thread, general.id)
    with pytest.raises(ForumError, match="tidak ditemukan"):
        services.move_thread(moderator, thread, 999)


# ---------------------------------------------------------------- visibility and categories


def test_read_only_categories_are_for_staff(announcements, author, login_as):
    with pytest.raises(PermissionDenied):
        services.create_thread(author, announcements, "Pengumuman palsu", "Isi.")
    organizer = login_as(Role.ORGANIZER).user
    thread = services.create_thread(organizer, announcements, "Jadwal Latsar CPNS 2026", "Mulai Februari.")
    with pytest.raises(PermissionDenied):
        services.reply(author, thread, "Bolehkah bertanya di sini?")


def test_unit_and_staff_rooms_are_invisible_to_others(unit_room, make_category, make_user, moderator, login_as):
    staff_room = make_category("ruang-staf", "Ruang staf", visibility="staff")
    outsider, insider = make_user(), make_user(unit_id=unit_room.unit_id)
    organizer = login_as(Role.ORGANIZER).user
    assert unit_room not in services.visible_categories(outsider)
    assert staff_room not in services.visible_categories(outsider)
    assert services.get_category(outsider, "ruang-rsud") is None
    assert unit_room in services.visible_categories(insider)
    assert staff_room in services.visible_categories(organizer)
    assert {unit_room, staff_room} <= set(services.visible_categories(moderator))


def test_the_general_category_always_exists_and_stays_open(admin_client):
    admin = admin_client.user
    assert _count(ForumCategory) == 0
    assert [c.slug for c in services.visible_categories(admin)] == ["umum"]
    general = services.get_category(admin, "umum")
    with pytest.raises(ForumError, match="Umum"):
        services.update_category(admin, general, CategoryInput(name="Umum", slug="umum", is_read_only=True))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CategoryInput(name="X", slug="x-y"), "name"),
        (CategoryInput(name="Pelayanan", slug="Bukan Slug"), "slug"),
        (CategoryInput(name="Pelayanan", slug="umum"), "slug"),
        (CategoryInput(name="Pelayanan", slug="layanan", visibility="rahasia"), "visibility"),
        (CategoryInput(name="Ruang unit", slug="ruang", visibility="unit"), "unit_id"),
        (CategoryInput(name="Pelayanan", slug="layanan", position="satu"), "position"),
    ],
)
def test_bad_categories_are_refused(admin_client, general, data, field):
    with pytest.raises(ForumError) as caught:
        services.create_category(admin_client.user, data)
    assert caught.value.field == field
    assert _count(ForumCategory) == 1


def test_only_admins_manage_categories(moderator):
    with pytest.raises(PermissionDenied):
        services.create_category(moderator, CategoryInput(name="Ruang baru", slug="ruang-baru"))


# ---------------------------------------------------------------- unread tracking


def test_unread_marks_and_the_first_unread_post(make_thread, author, make_user):
    thread = make_thread()
    reader = make_user()
    assert services.unread_marks(reader, [thread]) == {thread.id: "new"}
    assert services.first_unread_number(reader, thread) == 1
    services.mark_read(reader, thread, 1)
    assert services.unread_marks(reader, [thread]) == {}
    reply = services.reply(make_user(), thread, "Balasan baru.")
    db.session.refresh(thread)
    assert services.unread_marks(reader, [thread]) == {thread.id: "unread"}
    assert services.first_unread_number(reader, thread) == reply.number
    assert services.unread_marks(author, [thread]) == {thread.id: "unread"}
    services.mark_read(reader, thread, 1)  # never moves backwards
    services.mark_read(reader, thread, reply.number)
    assert services.unread_marks(reader, [thread]) == {}
