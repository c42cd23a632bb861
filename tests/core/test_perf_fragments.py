"""Fragment cache and change stamps (portal.core.fragments), the fast template gettext, and the cached layout:
a change shows on the next request, and nothing of one viewer reaches another."""

from __future__ import annotations

import os
import re
import time
from html import unescape

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import text, update

from portal.accounts.models import User
from portal.core import fragments
from portal.core.fragments import ALL_TABLES, FragmentCache, Stamps, written_table
from portal.core.permissions import Role
from portal.extensions import db
from portal.notifications import services as notifications

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def stamp(table: str) -> str:
    return fragments._state().stamps.read(table)


# ---------------------------------------------------------------- parsing writes


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("INSERT INTO articles (title) VALUES (?)", "articles"),
        ('INSERT OR IGNORE INTO "article_tags" VALUES (?, ?)', "article_tags"),
        ("  UPDATE users SET name=? WHERE users.id = ?", "users"),
        ('DELETE FROM "forum_posts" WHERE id = ?', "forum_posts"),
        ("TRUNCATE users, articles RESTART IDENTITY CASCADE", ALL_TABLES),
        ("DROP TABLE articles", ALL_TABLES),
        ("WITH x AS (SELECT 1) UPDATE articles SET view_count = 1", ALL_TABLES),
        ("SELECT * FROM articles WHERE title = 'UPDATE users'", None),
        ("BEGIN", None),
        ("SAVEPOINT sa_savepoint_1", None),
    ],
)
def test_the_written_table_is_read_from_the_statement(statement, table):
    assert written_table(statement) == table


# ---------------------------------------------------------------- stamps follow committed writes


def test_a_committed_write_changes_the_stamp_of_its_table_only(member_client):
    before_users, before_units = stamp("users"), stamp("units")
    db.session.execute(update(User).where(User.id == member_client.user.id).values(bio="Baru"))
    db.session.commit()
    assert stamp("users") != before_users
    assert stamp("units") == before_units


def test_a_rolled_back_write_leaves_the_stamp(member_client):
    before = stamp("users")
    db.session.execute(update(User).where(User.id == member_client.user.id).values(bio="Batal"))
    db.session.rollback()
    assert stamp("users") == before


def test_core_statements_outside_the_session_are_stamped_too(app, member_client):
    before = stamp("users")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET bio = 'x' WHERE id = :id"), {"id": member_client.user.id})
    assert stamp("users") != before


def test_stamps_are_atomic_files_with_the_time_of_the_change(tmp_path):
    stamps = Stamps(str(tmp_path))
    assert stamps.read("articles") == "0:"
    started = time.time_ns()
    stamps.bump(["articles"])
    first = stamps.read("articles")
    stamps.bump(["articles"])
    assert stamps.read("articles") != first
    assert int(first.partition(":")[0]) >= started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles"]  # no temporary file left behind


# ---------------------------------------------------------------- the cache


def test_the_cache_drops_the_least_recently_used_past_its_size_and_bytes():
    cache = FragmentCache(size=2, max_bytes=10, seconds=60)
    cache.put("a", "xxxx")
    cache.put("b", "yyyy")
    assert cache.get("a") == "xxxx"  # a is now the most recent
    cache.put("c", "zz")
    assert cache.get("b") is None and cache.get("a") == "xxxx" and cache.get("c") == "zz"
    cache.put("d", "wwwwwwww")  # 8 bytes: a (the least recent) must go to stay within 10
    assert cache.get("a") is None and cache.get("c") == "zz" and cache.get("d") == "wwwwwwww"
    cache.put("huge", "h" * 11)
    assert cache.get("huge") is None


def test_a_kept_fragment_expires(monkeypatch):
    cache = FragmentCache(size=10, max_bytes=100, seconds=5)
    cache.put("a", "x")
    now = time.monotonic()
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now + 6)
    assert cache.get("a") is None


def after_recent_writes() -> None:
    """Values read in a transaction begun right after a stamp are not kept (see the snapshot test)."""
    time.sleep(0.05)
    db.session.rollback()


def test_a_remembered_value_is_computed_again_after_a_change(member_client):
    calls = []
    after_recent_writes()

    def compute():
        calls.append(1)
        return db.session.scalar(text("SELECT count(*) FROM users"))

    with member_client.application.test_request_context():
        assert fragments.remembered("test.users", None, ("users",), compute) == 1
        assert fragments.remembered("test.users", None, ("users",), compute) == 1
        assert len(calls) == 1
    with member_client.application.test_request_context():
        db.session.execute(update(User).values(bio="berubah"))
        db.session.commit()
        after_recent_writes()
        assert fragments.remembered("test.users", None, ("users",), compute) == 1
        assert len(calls) == 2


def test_a_value_read_in_a_snapshot_older_than_the_stamp_is_not_kept(member_client, monkeypatch):
    """A SQLite reader keeps the snapshot of its first statement: what it reads after a change committed
    meanwhile may be old, so it must not be kept under the new stamp."""
    calls = []
    with member_client.application.test_request_context():
        db.session.execute(text("SELECT 1"))  # the read transaction (and its snapshot) begins here
        fragments._state().stamps.bump(["users"])  # another worker commits a change to users
        fragments.remembered("test.snapshot", None, ("users",), lambda: calls.append(1))
        fragments.remembered("test.snapshot", None, ("users",), lambda: calls.append(1))
        assert len(calls) == 2
        after_recent_writes()  # a new snapshot, begun after the change: kept from now on
        fragments.remembered("test.snapshot", None, ("users",), lambda: calls.append(1) or 1)
        fragments.remembered("test.snapshot", None, ("users",), lambda: calls.append(1) or 1)
        assert len(calls) == 3


def test_nothing_is_cached_when_the_cache_is_off(make_app):
    app = make_app(FRAGMENT_CACHE_SIZE=0)
    calls = []
    with app.test_request_context():
        for _ in range(2):
            fragments.remembered("test.off", None, (), lambda: calls.append(1))
    assert len(calls) == 2


# ---------------------------------------------------------------- templates


def test_template_gettext_translates_formats_and_escapes_like_jinja(app, client):
    source = "{{ _('Keluar') }}|{{ _('100%% %(name)s', name=who) }}|{{ ngettext('%(num)d balasan', 'x', 3) }}"
    with app.test_request_context():
        assert render_template_string(source, who="<b>") == "Keluar|100% &lt;b&gt;|3 balasan"
        with force_locale("en"):
            assert render_template_string("{{ _('Keluar') }}") == "Log out"
        assert render_template_string("{{ _('Keluar') }}") == "Keluar"


def test_static_fragments_are_kept_per_language(client):
    assert "Langsung ke konten utama" in client.get("/").get_data(as_text=True)
    client.post("/bahasa", data={"locale": "en"})
    english = client.get("/").get_data(as_text=True)
    assert "Langsung ke konten utama" not in english
    assert "Skip to main content" in english


def test_the_layout_shows_each_viewer_their_own_name_menu_and_csrf_token(login_as, client):
    admin, member = login_as(Role.ADMIN, name="Admin Satu"), login_as(Role.MEMBER, name="Anggota Dua")
    admin_page, member_page = admin.get("/").get_data(as_text=True), member.get("/").get_data(as_text=True)
    assert "Admin Satu" in admin_page and "Admin Satu" not in member_page
    assert "Anggota Dua" in member_page and "Anggota Dua" not in admin_page
    assert 'href="/admin' in admin_page and 'href="/admin' not in member_page
    admin_tokens, member_tokens = set(TOKEN.findall(admin_page)), set(TOKEN.findall(member_page))
    assert len(admin_tokens) == 1 and len(member_tokens) == 1 and admin_tokens != member_tokens
    anonymous = client.get("/").get_data(as_text=True)
    assert "Anggota Dua" not in anonymous and "Masuk" in anonymous
    # the token each page carries is the one its session accepts
    response = member.post("/bahasa", data={"locale": "en", "csrf_token": member_tokens.pop()}, csrf=False)
    assert response.status_code == 302


def test_the_active_section_follows_the_page(member_client):
    articles = member_client.get("/artikel").get_data(as_text=True)
    assert re.search(r'class="nav-link active"\s+aria-current="page"\s+href="/artikel"', articles)
    home = member_client.get("/").get_data(as_text=True)
    assert 'aria-current="page"' not in home.split("</nav>")[0]


def test_the_bell_count_changes_on_the_next_request_and_stays_per_user(login_as):
    first, second = login_as(Role.MEMBER), login_as(Role.MEMBER)
    assert "Notifikasi, 1 belum dibaca" not in first.get("/").get_data(as_text=True)
    notifications.notify([first.user], next(iter(notifications._messages)), "/artikel")
    db.session.commit()
    assert "Notifikasi, 1 belum dibaca" in unescape(first.get("/").get_data(as_text=True))
    assert "belum dibaca" not in second.get("/").get_data(as_text=True)
    first.post("/notifikasi/baca-semua")
    assert "belum dibaca" not in first.get("/").get_data(as_text=True)


def test_caches_stop_when_a_change_cannot_be_stamped(member_client, monkeypatch):
    state = fragments._state()

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(fragments.os, "replace", refuse)
    db.session.execute(update(User).where(User.id == member_client.user.id).values(bio="tanpa cap"))
    db.session.commit()
    try:
        assert state.stamps.broken and fragments._state() is None
    finally:
        state.stamps.broken = False


def test_caches_stay_on_while_templates_reload_and_an_edited_template_renders_anew(make_app, tmp_path):
    """`make run` and the browser journeys reload templates from disk: they run the caches production runs, and
    an edited template shows on the next request (the keys carry the templates' newest modification time)."""
    app = make_app(TEMPLATES_AUTO_RELOAD=True)
    state = app.extensions["portal_fragments"]
    template = tmp_path / "page.html"
    template.write_text("satu")
    state.template_folders = [str(tmp_path)]
    calls = []
    with app.test_request_context():
        assert fragments.mode() == "files"
        for _ in range(2):
            fragments.static("test.reload", None, lambda: calls.append(1) or template.read_text())
        assert len(calls) == 1
        template.write_text("dua")
        later = time.time_ns() + 5_000_000_000
        os.utime(template, ns=(later, later))
        state._templates = (0.0, state._templates[1])  # the next look at the folder is due
        assert fragments.static("test.reload", None, lambda: calls.append(1) or template.read_text()) == "dua"
        assert len(calls) == 2


def test_the_development_config_runs_the_caches_unless_turned_off(make_app):
    with make_app(PORTAL_CONFIG="development", TESTING=True).app_context():
        assert fragments.mode() == "files"
    with make_app(PORTAL_CONFIG="development", TESTING=True, FRAGMENT_CACHE_SIZE=0).app_context():
        assert fragments.mode() == "off"
