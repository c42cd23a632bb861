"""Authorization rows for the forums (format: see test_access_matrix.py).

The member persona starts every thread the needs create (in "Umum" unless the need says otherwise). Every
signed-in user reads and writes in open categories; a unit room is 404 for everyone outside the unit except
moderators and admins (the room belongs to the other unit here, so the member persona is the outsider);
announcements are written by staff only; moderation is for moderators and admins; categories for admins.
"""

from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, Visibility

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _thread(ctx, category=None):
    general = services.ensure_general_category()
    return services.create_thread(ctx.member, category or general, "Cara mengisi SKP di e-Kinerja", "Mohon petunjuk.")


def _thread_need(ctx):
    thread = _thread(ctx)
    return {"thread_id": thread.id, "opening_id": services.post_by_number(thread, 1).id}


def _reply_need(ctx):
    thread = _thread(ctx)
    other = ctx.make_user()
    reply = services.reply(other, thread, "Jawaban rekan.")
    own = services.reply(ctx.member, thread, "Terima kasih.")
    services.report(ctx.member, reply, "Contoh laporan.")
    return {"thread_id": thread.id, "reply_id": reply.id, "own_reply_id": own.id}


def _unit_room_need(ctx):
    """A room of the other unit, with a thread by one of its members."""
    room = ForumCategory(
        slug="ruang-disdik", name="Ruang Disdik", visibility=Visibility.UNIT, unit_id=ctx.other_unit.id
    )
    db.session.add(room)
    db.session.commit()
    insider = ctx.make_user(unit_id=ctx.other_unit.id)
    thread = services.create_thread(insider, room, "Jadwal MGMP bulan depan", "Untuk guru.")
    return {"room_slug": room.slug, "room_thread_id": thread.id, "room_post_id": services.post_by_number(thread, 1).id}


def _announcements_need(ctx):
    db.session.add(ForumCategory(slug="pengumuman", name="Pengumuman", is_read_only=True))
    db.session.commit()
    return {"announcement_slug": "pengumuman"}


def _category_need(ctx):
    general = services.ensure_general_category()
    return {"category_id": general.id, "category_slug": general.slug}


NEEDS = {
    "forum_thread": _thread_need,
    "forum_reply": _reply_need,
    "forum_unit_room": _unit_room_need,
    "forum_announcements": _announcements_need,
    "forum_category": _category_need,
}

PAGE = _outcomes("login", 200)
FORM = _outcomes("login", "ok")
ACTION = _outcomes("login", "redirect")
MODERATOR_PAGE = _outcomes("login", 403, moderator=200, admin=200)
MODERATOR_ACTION = _outcomes("login", 403, moderator="redirect", admin="redirect")
ADMIN_PAGE = _outcomes("login", 403, admin=200)
ADMIN_FORM = _outcomes("login", 403, admin="ok")
# A room of the other unit: its members and moderators/admins get the outcome, everyone else 404.
ROOM = {"anonymous": "login", "member": 404, "organizer": 404}
STAFF_ONLY = _outcomes("login", 403, organizer=200, moderator=200, admin=200)


def _room(outcome):
    return {**ROOM, **dict.fromkeys(("moderator", "admin", "other_unit_member"), outcome)}


def _row(endpoint, method, path, expect, *needs, data=None, headers=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    if data:
        row["data"] = data
    if headers:
        row["headers"] = headers
    return row


ROUTES = [
    _row("forums.index", "GET", "/forum", PAGE),
    _row("forums.listing", "GET", "/forum/terbaru", PAGE, "forum_thread"),
    _row("forums.listing", "GET", "/forum/saya", PAGE, "forum_thread"),
    _row("forums.category", "GET", "/forum/k/{category_slug}", PAGE, "forum_category"),
    _row("forums.category", "GET", "/forum/k/{room_slug}", _room(200), "forum_unit_room"),
    _row("forums.category", "GET", "/forum/k/tidak-ada", _outcomes("login", 404)),
    _row("forums.subscribe_category", "POST", "/forum/k/{category_slug}/langganan", ACTION, "forum_category"),
    _row("forums.subscribe_category", "POST", "/forum/k/{room_slug}/langganan", _room("redirect"), "forum_unit_room"),
    _row("forums.new_topic", "GET", "/forum/topik-baru", PAGE, "forum_category"),
    _row("forums.new_topic", "POST", "/forum/topik-baru", FORM, "forum_category"),
    _row("forums.new_thread", "GET", "/forum/k/{category_slug}/topik-baru", PAGE, "forum_category"),
    _row("forums.new_thread", "POST", "/forum/k/{category_slug}/topik-baru", FORM, "forum_category"),
    _row("forums.new_thread", "GET", "/forum/k/{room_slug}/topik-baru", _room(200), "forum_unit_room"),
    _row("forums.new_thread", "GET", "/forum/k/{announcement_slug}/topik-baru", STAFF_ONLY, "forum_announcements"),
    _row("forums.thread", "GET", "/forum/t/{thread_id}", PAGE, "forum_thread"),
    _row("forums.thread", "GET", "/forum/t/{room_thread_id}", _room(200), "forum_unit_room"),
    _row("forums.first_unread", "GET", "/forum/t/{thread_id}/belum-dibaca", ACTION, "forum_thread"),
    _row("forums.first_unread", "GET", "/forum/t/{room_thread_id}/belum-dibaca", _room("redirect"), "forum_unit_room"),
    _row("forums.post", "GET", "/forum/pos/{opening_id}", ACTION, "forum_thread"),
    _row("forums.post", "GET", "/forum/pos/{room_post_id}", _room("redirect"), "forum_unit_room"),
    # An empty body is let through and refused by validation (400 with the form).
    _row("forums.reply", "POST", "/forum/t/{thread_id}/balas", FORM, "forum_thread"),
    _row("forums.reply", "POST", "/forum/t/{room_thread_id}/balas", _room("ok"), "forum_unit_room"),
    _row("forums.subscribe_thread", "POST", "/forum/t/{thread_id}/langganan", ACTION, "forum_thread"),
    _row(
        "forums.edit_post",
        "GET",
        "/forum/pos/{opening_id}/ubah",
        _outcomes("login", 403, member=200, moderator=200, admin=200),
        "forum_thread",
    ),
    _row(
        "forums.edit_post",
        "POST",
        "/forum/pos/{opening_id}/ubah",
        _outcomes("login", 403, member="ok", moderator="ok", admin="ok"),
        "forum_thread",
    ),
    _row(
        "forums.delete_post",
        "POST",
        "/forum/pos/{own_reply_id}/hapus",
        _outcomes("login", 403, member="redirect"),
        "forum_reply",
    ),
    _row("forums.history", "GET", "/forum/pos/{opening_id}/riwayat", MODERATOR_PAGE, "forum_thread"),
    _row("forums.like", "POST", "/forum/pos/{reply_id}/suka", ACTION, "forum_reply"),
    _row("forums.like", "POST", "/forum/pos/{room_post_id}/suka", _room("redirect"), "forum_unit_room"),
    _row(
        "forums.solution",
        "POST",
        "/forum/pos/{reply_id}/solusi",
        _outcomes("login", 403, member="redirect", moderator="redirect", admin="redirect"),
        "forum_reply",
    ),
    _row("forums.report", "POST", "/forum/pos/{reply_id}/laporkan", ACTION, "forum_reply", data={"reason": "Iklan."}),
    _row("forums.preview", "POST", "/forum/pratinjau", _outcomes("login", 200), data={"body": "*hai*"}),
    _row("forums.mentions", "GET", "/forum/sebut", PAGE),
    _row("forums.moderation", "GET", "/forum/moderasi", MODERATOR_PAGE),
    _row(
        "forums.hide",
        "POST",
        "/forum/pos/{reply_id}/sembunyikan",
        MODERATOR_ACTION,
        "forum_reply",
        data={"reason": "Promosi di luar topik."},
    ),
    _row("forums.unhide", "POST", "/forum/pos/{reply_id}/tampilkan", MODERATOR_ACTION, "forum_reply"),
    _row("forums.dismiss", "POST", "/forum/pos/{reply_id}/abaikan-laporan", MODERATOR_ACTION, "forum_reply"),
    _row("forums.moderate_thread", "POST", "/forum/t/{thread_id}/kunci", MODERATOR_ACTION, "forum_thread"),
    _row("forums.moderate_thread", "POST", "/forum/t/{thread_id}/sematkan", MODERATOR_ACTION, "forum_thread"),
    _row("forums.move", "POST", "/forum/t/{thread_id}/pindahkan", MODERATOR_ACTION, "forum_thread"),
    _row("forums.categories", "GET", "/forum/kategori", ADMIN_PAGE),
    _row("forums.create_category", "GET", "/forum/kategori/baru", ADMIN_PAGE),
    _row("forums.create_category", "POST", "/forum/kategori/baru", ADMIN_FORM),
    _row("forums.edit_category", "GET", "/forum/kategori/{category_id}/ubah", ADMIN_PAGE, "forum_category"),
    _row("forums.edit_category", "POST", "/forum/kategori/{category_id}/ubah", ADMIN_FORM, "forum_category"),
]
