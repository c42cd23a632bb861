"""Forum pages as members, moderators and admins use them: journeys, bad input, limits, query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, ForumLike, ForumPost, ForumReport, ForumThread
from portal.notifications.models import Notification
from tests.conftest import login
from tests.forums.conftest import counting_queries


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- the journey


def test_ask_answer_quote_mention_and_solve(login_as, general, make_user):
    asker = login_as(Role.MEMBER, name="Hendri Saputra, S.Pd.")
    helper = login_as(Role.MEMBER, name="Yulia Rahmi, S.E.")
    response = asker.post(
        "/forum/k/umum/topik-baru",
        data={"title": "Bagaimana mencatat JP dari webinar?", "body": "Sertifikatnya tanpa jam pelajaran."},
    )
    thread = db.session.scalar(select(ForumThread))
    assert response.status_code == 302 and response.location.endswith(f"/forum/t/{thread.id}")

    page = _text(helper.get(f"/forum/t/{thread.id}?kutip={services.post_by_number(thread, 1).id}"))
    assert (
        "&gt; [Hendri Saputra, S.Pd. menulis](/forum/pos/" in page.replace(">", "&gt;", 0)
        or "menulis](/forum/pos/" in page
    )
    response = helper.post(
        f"/forum/t/{thread.id}/balas",
        data={"body": f"Dihitung 4 JP per hari, @{asker.user.handle}. Unggah sertifikatnya."},
    )
    answer = db.session.scalar(select(ForumPost).where(ForumPost.number == 2))
    assert response.status_code == 302 and response.location.endswith(f"#pos-{answer.id}")
    assert [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == asker.user.id))] == [
        "forum.mentioned"
    ]

    assert asker.post(f"/forum/pos/{answer.id}/solusi").status_code == 302
    page = _text(asker.get(f"/forum/t/{thread.id}"))
    assert "Solusi dari Yulia Rahmi, S.E." in page
    assert f'href="/pegawai/{asker.user.id}"' in page
    assert "Bagaimana mencatat JP dari webinar?" in _text(helper.get("/forum/terjawab"))
    assert "Bagaimana mencatat JP dari webinar?" not in _text(helper.get("/forum/belum-terjawab"))


def test_quote_prefills_the_reply_with_a_link_back(member_client, make_thread):
    thread = make_thread(body="Baris pertama\nBaris kedua")
    post = services.post_by_number(thread, 1)
    page = member_client.get(f"/forum/t/{thread.id}?kutip={post.id}").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert (
        unescape(textarea).strip().startswith(f"> [Rina Marlina, S.E. menulis](/forum/pos/{post.id}):\n> Baris pertama")
    )


def test_permalinks_and_first_unread_land_on_the_right_page(app, member_client, make_thread, make_user):
    app.config["FORUMS_POSTS_PER_PAGE"] = 3
    try:
        thread = make_thread()
        writer = make_user()
        posts = [services.reply(writer, thread, f"Balasan nomor {n}") for n in range(2, 8)]
        target = posts[3]  # number 5: page 2
        response = member_client.get(f"/forum/pos/{target.id}")
        assert response.location.endswith(f"/forum/t/{thread.id}?halaman=2#pos-{target.id}")
        page = _text(member_client.get(f"/forum/t/{thread.id}?halaman=2"))
        assert "Balasan nomor 5" in page and "Balasan nomor 7" not in page
        response = member_client.get(f"/forum/t/{thread.id}/belum-dibaca")
        assert response.location.endswith(f"/forum/t/{thread.id}?halaman=3#pos-{posts[5].id}")  # read up to #6
        assert member_client.get(f"/forum/t/{thread.id}?halaman=99").status_code == 200
    finally:
        app.config["FORUMS_POSTS_PER_PAGE"] = 25


def test_lists_mark_threads_with_new_posts(member_client, make_thread, make_user):
    thread = make_thread()
    assert "Baru" in _text(member_client.get("/forum/terbaru"))
    member_client.get(f"/forum/t/{thread.id}")
    assert "Ada balasan baru" not in _text(member_client.get("/forum/terbaru"))
    services.reply(make_user(), thread, "Kabar terbaru.")
    assert "Ada balasan baru" in _text(member_client.get("/forum/k/umum"))


def test_my_threads_lists_what_i_started_or_answered(member_client, make_thread, make_user):
    mine = make_thread(title="Topik yang saya jawab")
    make_thread(title="Topik orang lain saja")
    services.reply(member_client.user, mine, "Jawaban saya.")
    page = _text(member_client.get("/forum/saya"))
    assert "Topik yang saya jawab" in page and "Topik orang lain saja" not in page


def test_more_threads_load_with_htmx(app, member_client, make_thread):
    app.config["FORUMS_THREADS_PER_PAGE"] = 2
    try:
        for n in range(3):
            make_thread(title=f"Topik berurutan {n}")
        first = _text(member_client.get("/forum/terbaru"))
        cursor = re.search(r'hx-get="/forum/terbaru\?setelah=([^"]+)"', first).group(1)
        more = _text(member_client.get(f"/forum/terbaru?setelah={cursor}", headers={"HX-Request": "true"}))
        assert "<html" not in more and "Topik berurutan 0" in more
        assert member_client.get("/forum/terbaru?setelah=bukan-kursor").status_code == 200
    finally:
        app.config["FORUMS_THREADS_PER_PAGE"] = 20


def test_like_toggles_with_htmx(member_client, make_thread):
    post = services.post_by_number(make_thread(), 1)
    response = member_client.post(f"/forum/pos/{post.id}/suka", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in _text(response)
    assert 'aria-pressed="true"' in _text(response)
    assert _count(ForumLike) == 1
    member_client.post(f"/forum/pos/{post.id}/suka", headers={"HX-Request": "true"})
    assert _count(ForumLike) == 0


def test_own_like_is_refused_with_a_message(app, make_thread, author):
    post = services.post_by_number(make_thread(), 1)
    client = _client(app, author)
    response = client.post(f"/forum/pos/{post.id}/suka", headers={"HX-Request": "true"})
    assert "tidak dapat menyukai kiriman Anda sendiri" in _text(response)
    assert _count(ForumLike) == 0


def test_subscribing_to_a_thread_and_a_category(member_client, make_thread):
    thread = make_thread()
    member_client.post(f"/forum/t/{thread.id}/langganan")
    assert "Berhenti ikuti" in _text(member_client.get(f"/forum/t/{thread.id}"))
    member_client.post("/forum/k/umum/langganan")
    assert "Berhenti ikuti kategori" in _text(member_client.get("/forum/k/umum"))


def test_mention_autocomplete(member_client, make_user):
    make_user(name="Ikhsan Maulana, S.Kom.")
    page = _text(member_client.get("/forum/sebut?q=ikh", headers={"HX-Request": "true"}))
    assert 'data-mention-handle="ikhsan.maulana"' in page
    assert "ikhsan" not in _text(member_client.get("/forum/sebut?q=%25", headers={"HX-Request": "true"}))


def test_preview_renders_markdown_and_mentions(member_client, make_user):
    colleague = make_user(name="Lili Suryani")
    page = _text(member_client.post("/forum/pratinjau", data={"body": f"**tebal** @{colleague.handle}"}))
    assert "<strong>tebal</strong>" in page and f"/pegawai/{colleague.id}" in page


# ---------------------------------------------------------------- bad input writes nothing


def test_an_empty_reply_is_refused_with_a_message(member_client, make_thread):
    thread = make_thread()
    response = member_client.post(f"/forum/t/{thread.id}/balas", data={"body": "   "})
    assert response.status_code == 400
    assert "Isi kiriman tidak boleh kosong." in _text(response)
    assert _count(ForumPost) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Isi"}, "Judul wajib diisi."),
        ({"title": "SKP", "body": "Isi"}, "Judul harus 5-200 karakter."),
        ({"title": "Judul cukup panjang", "body": ""}, "Isi kiriman tidak boleh kosong."),
    ],
)
def test_bad_new_threads_are_refused_with_a_message(member_client, general, data, message):
    response = member_client.post("/forum/k/umum/topik-baru", data=data)
    assert response.status_code == 200
    assert message in _text(response)
    assert data.get("body", "") in _text(response)
    assert _count(ForumThread) == 0


def test_a_reply_to_a_locked_thread_is_refused(member_client, make_thread, moderator):
    thread = make_thread()
    services.set_locked(moderator, thread, True)
    response = member_client.post(f"/forum/t/{thread.id}/balas", data={"body": "Masih bisa?"})
    assert response.status_code == 400 and "dikunci" in _text(response)
    assert _count(ForumPost) == 1


def test_a_short_report_reason_is_refused(member_client, make_thread):
    post = services.post_by_number(make_thread(), 1)
    response = member_client.post(f"/forum/pos/{post.id}/laporkan", data={"reason": "x"}, follow_redirects=True)
    assert "Alasan wajib diisi, 5-500 karakter." in _text(response)
    assert _count(ForumReport) == 0


def test_editing_with_an_empty_body_keeps_the_post(app, make_thread, author):
    client = _client(app, author)
    post = services.post_by_number(make_thread(), 1)
    response = client.post(f"/forum/pos/{post.id}/ubah", data={"title": "Judul baru", "body": ""})
    assert "Isi kiriman tidak boleh kosong." in _text(response)
    assert db.session.get(ForumPost, post.id).body_md == "Mohon petunjuknya."


def test_a_bad_category_form_is_refused(admin_client, general):
    response = admin_client.post(
        "/forum/kategori/baru", data={"name": "Ruang Unit", "slug": "ruang-unit", "visibility": "unit", "unit_id": "0"}
    )
    assert "Pilih unit kerja untuk ruang khusus unit." in _text(response)
    assert _count(ForumCategory) == 1


def test_admins_create_and_edit_categories(admin_client, unit):
    response = admin_client.post(
        "/forum/kategori/baru",
        data={"name": "Ruang Diskominfo", "slug": "ruang-diskominfo", "visibility": "unit", "unit_id": str(unit.id)},
    )
    assert response.status_code == 302
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == "ruang-diskominfo"))
    assert category.unit_id == unit.id
    response = admin_client.post(
        f"/forum/kategori/{category.id}/ubah",
        data={"name": "Ruang Diskominfo", "slug": "ruang-kominfo", "visibility": "everyone", "position": "5"},
    )
    assert response.status_code == 302
    db.session.refresh(category)
    assert (category.slug, category.unit_id, category.position) == ("ruang-kominfo", None, 5)


# ---------------------------------------------------------------- moderation pages


def test_moderators_work_the_queue(moderator_client, make_thread, make_user):
    post = services.reply(make_user(), make_thread(), "Promo pulsa murah!")
    services.report(make_user(), post, "Promosi jualan.")
    assert "Promosi jualan." in _text(moderator_client.get("/forum/moderasi"))
    response = moderator_client.post(
        f"/forum/pos/{post.id}/sembunyikan", data={"reason": "Promosi di luar topik.", "next": "antrean"}
    )
    assert response.location.endswith("/forum/moderasi")
    assert "Tidak ada laporan yang menunggu" in _text(moderator_client.get("/forum/moderasi"))
    moderator_client.post(f"/forum/t/{post.thread_id}/kunci")
    moderator_client.post(f"/forum/t/{post.thread_id}/sematkan")
    thread = db.session.get(ForumThread, post.thread_id)
    assert thread.is_locked and thread.is_pinned


def test_hidden_posts_show_the_reason_to_the_author_only(app, make_thread, moderator, login_as, make_user):
    writer = make_user(name="Syafril")
    thread = make_thread()
    post = services.reply(writer, thread, "Isi yang melanggar aturan forum.")
    services.hide_post(moderator, post, "Promosi di luar topik.")
    page = _text(_client(app, writer).get(f"/forum/t/{thread.id}"))
    assert "Disembunyikan moderator: Promosi di luar topik." in page and "melanggar aturan" in page
    stranger = _text(login_as(Role.MEMBER).get(f"/forum/t/{thread.id}"))
    assert "melanggar aturan" not in stranger


def test_moderators_see_the_edit_history(moderator_client, make_thread, author):
    post = services.post_by_number(make_thread(), 1)
    services.edit_post(author, post, "Isi yang diubah.")
    page = _text(moderator_client.get(f"/forum/pos/{post.id}/riwayat"))
    assert "Mohon petunjuknya." in page and "Isi yang diubah." in page
    assert "diedit" in _text(moderator_client.get(f"/forum/t/{post.thread_id}"))


def test_moving_a_thread_from_the_page(moderator_client, make_thread, make_category):
    target = make_category("spbe-ti", "SPBE & TI")
    thread = make_thread()
    moderator_client.post(f"/forum/t/{thread.id}/pindahkan", data={"category_id": str(target.id)})
    assert db.session.get(ForumThread, thread.id).category_id == target.id
    response = moderator_client.post(
        f"/forum/t/{thread.id}/pindahkan", data={"category_id": "x"}, follow_redirects=True
    )
    assert "Kategori tujuan tidak ditemukan." in _text(response)


# ---------------------------------------------------------------- unit rooms


def test_a_unit_room_is_404_and_never_listed_for_outsiders(member_client, login_as, unit_room):
    insider = login_as(Role.MEMBER, unit_id=unit_room.unit_id)
    thread = services.create_thread(insider.user, unit_room, "Jadwal in-house training PPI", "Untuk perawat baru.")
    post = services.post_by_number(thread, 1)
    for path in (
        "/forum/k/ruang-rsud",
        f"/forum/t/{thread.id}",
        f"/forum/pos/{post.id}",
        "/forum/k/ruang-rsud/topik-baru",
    ):
        assert member_client.get(path).status_code == 404, path
    for path in ("/forum", "/forum/terbaru", "/forum/belum-terjawab"):
        page = _text(member_client.get(path))
        assert "Ruang RSUD" not in page and "in-house training" not in page, path
    assert "Jadwal in-house training PPI" in _text(insider.get("/forum/terbaru"))


# ---------------------------------------------------------------- flood control


@pytest.fixture
def limited_app(make_app):
    return make_app(
        RATELIMIT_ENABLED=True, FORUMS_POST_RATE_LIMIT="3 per minute", FORUMS_NEW_ACCOUNT_RATE_LIMIT="1 per minute"
    )


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_flood_control_refuses_with_a_clear_message_and_keeps_the_text(limited_app, make_thread, make_user):
    thread = make_thread()
    veteran = make_user(verified_at=utcnow() - timedelta(days=30))
    client = _client(limited_app, veteran)
    for n in range(3):
        assert client.post(f"/forum/t/{thread.id}/balas", data={"body": f"Balasan {n}"}).status_code == 302
    response = client.post(f"/forum/t/{thread.id}/balas", data={"body": "Balasan keempat saya"})
    assert response.status_code == 429
    assert "Anda terlalu sering mengirim di forum. Tunggu 1 menit, lalu kirim lagi." in _text(response)
    assert "Balasan keempat saya" in _text(response)
    db.session.rollback()  # end this session's read snapshot: the other app wrote the posts
    assert _count(ForumPost) == 4


def test_flood_control_is_stricter_for_accounts_verified_today(limited_app, general, make_user):
    newcomer = make_user(verified_at=utcnow() - timedelta(hours=2))
    client = _client(limited_app, newcomer)
    data = {"title": "Perkenalan pegawai baru", "body": "Halo semua."}
    assert client.post("/forum/k/umum/topik-baru", data=data).status_code == 302
    response = client.post("/forum/k/umum/topik-baru", data={**data, "title": "Perkenalan kedua"})
    assert response.status_code == 429
    assert "kurang dari sehari dibatasi lebih ketat" in _text(response)
    db.session.rollback()
    assert _count(ForumThread) == 1


def test_refused_and_invalid_posts_do_not_use_up_the_budget(limited_app, make_thread, make_user):
    thread = make_thread()
    client = _client(limited_app, make_user(verified_at=utcnow() - timedelta(hours=1)))
    assert client.post(f"/forum/t/{thread.id}/balas", data={"body": ""}).status_code == 400
    assert client.post(f"/forum/t/{thread.id}/balas", data={"body": "Balasan sah"}).status_code == 302


# ---------------------------------------------------------------- bounded queries


def _queries(client, path: str) -> int:
    """Statements for a repeat visit (the first one also records the read mark and applies search changes)."""
    assert client.get(path).status_code == 200
    with counting_queries() as statements:
        assert client.get(path).status_code == 200
    return len([s for s in statements if s.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK")])


def test_thread_page_with_25_posts_runs_a_bounded_number_of_queries(member_client, make_thread, make_user, moderator):
    thread = make_thread()
    writers = [make_user() for _ in range(6)]
    services.reply(writers[0], thread, "Balasan pembuka.")
    small = _queries(member_client, f"/forum/t/{thread.id}")
    assert len(_text(member_client.get(f"/forum/t/{thread.id}")).split('class="card shadow-sm mb-3 forum-post')) == 3
    for n in range(23):
        post = services.reply(writers[n % 6], thread, f"Balasan ke-{n} tentang @{writers[(n + 1) % 6].handle}")
        services.toggle_like(writers[(n + 2) % 6], post)
    first_reply = services.post_by_number(thread, 2)
    services.toggle_solution(thread.author, first_reply)
    path = f"/forum/t/{thread.id}"
    assert db.session.get(ForumThread, thread.id).last_number == 25
    full = _queries(member_client, path)
    assert full <= small + 1, (small, full)  # +1: the solution shown under the question
    # the thread, its 25 posts with their authors, the viewer's likes + subscription + read mark, the solution
    assert full <= 4, full
    with counting_queries() as statements:
        member_client.get(path)
    viewer_state = [s for s in statements if "forum_likes" in s or "forum_read_marks" in s]
    assert len(viewer_state) == 1 and "forum_thread_subscriptions" in viewer_state[0], viewer_state
    print(f"\nthread page, 25 posts: {full} queries")


def test_category_page_runs_a_bounded_number_of_queries(member_client, make_thread, make_user, general, moderator):
    make_thread(title="Satu-satunya topik")
    few = _queries(member_client, "/forum/k/umum")
    writers = [make_user() for _ in range(5)]
    for n in range(24):
        thread = make_thread(title=f"Topik ke-{n} tentang SPBE", by=writers[n % 5])
        services.reply(writers[(n + 1) % 5], thread, "Balasan.")
    services.set_pinned(moderator, thread, True)
    many = _queries(member_client, "/forum/k/umum")
    assert _text(member_client.get("/forum/k/umum")).count("forum-thread-row") == 21  # 1 pinned + a page of 20
    assert many <= few + 1, (few, many)  # +1: the pinned threads
    assert many <= 10, many
    listing = _queries(member_client, "/forum/terbaru")
    index = _queries(member_client, "/forum")
    assert listing <= 10 and index <= 8, (listing, index)
    print(f"\ncategory page: {many}, latest list: {listing}, forum index: {index} queries")


def test_thread_page_shows_the_readers_own_likes_pressed(member_client, make_thread):
    thread = make_thread()
    post = services.post_by_number(thread, 1)
    assert 'aria-pressed="false"' in _text(member_client.get(f"/forum/t/{thread.id}"))
    member_client.post(f"/forum/pos/{post.id}/suka")
    assert 'aria-pressed="true"' in _text(member_client.get(f"/forum/t/{thread.id}"))
