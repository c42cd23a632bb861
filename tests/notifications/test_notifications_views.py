"""Notification pages, marking read/opening, settings, and the header bell."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services
from portal.notifications.models import Notification

ROLES = [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR, Role.ADMIN]
HTMX = {"HX-Request": "true"}


def read_at(notification):
    db.session.expire_all()
    return db.session.get(Notification, notification.id).read_at


@contextmanager
def notification_queries():
    """Collects the SQL statements that touch the notifications table."""
    statements: list[str] = []

    def collect(_conn, _cursor, statement, *_args):
        if "notifications" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)


# ---------------------------------------------------------------- who may open what


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notifikasi/"),
        ("post", "/notifikasi/1/baca"),
        ("post", "/notifikasi/1/buka"),
        ("post", "/notifikasi/baca-semua"),
        ("get", "/notifikasi/pengaturan"),
        ("post", "/notifikasi/pengaturan"),
    ],
)
def test_anonymous_is_sent_to_login(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.location.startswith("/masuk")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_own_notifications(login_as, make_user, make_notification, role):
    client = login_as(role)
    make_notification(client.user, title="Bimtek Pelayanan Publik")
    make_notification(make_user(), title="Rahasia orang lain")
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert "Budi menyapa Anda tentang Bimtek Pelayanan Publik." in page
    assert "Rahasia orang lain" not in page


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_settings(login_as, role):
    assert login_as(role).get("/notifikasi/pengaturan").status_code == 200


# ---------------------------------------------------------------- the list


def list_items(page: str) -> dict[int, str]:
    return {int(n): html for n, html in re.findall(r'<li id="notification-(\d+)"(.*?)</li>', page, re.S)}


def test_unread_items_are_highlighted_and_read_ones_not(member_client, make_notification):
    unread = make_notification(member_client.user, title="Belum dibaca")
    read = make_notification(member_client.user, title="Sudah dibaca", read_at=utcnow())
    items = list_items(member_client.get("/notifikasi/").get_data(as_text=True))
    assert "notification-unread" in items[unread.id] and ">Baru<" in items[unread.id]
    assert "Tandai sudah dibaca<" in items[unread.id]
    assert "notification-unread" not in items[read.id] and ">Baru<" not in items[read.id]
    assert "Tandai sudah dibaca<" not in items[read.id]


def test_list_is_paginated(member_client, make_notification, app):
    per_page = app.config["PAGE_SIZE"]
    for number in range(per_page + 3):
        make_notification(member_client.user, title=f"Ke-{number:02d}")
    first = member_client.get("/notifikasi/").get_data(as_text=True)
    second = member_client.get("/notifikasi/?page=2").get_data(as_text=True)
    assert len(list_items(first)) == per_page
    assert len(list_items(second)) == 3
    assert "Ke-00" in second and "Ke-00" not in first


def test_empty_list_says_so(member_client):
    page = member_client.get("/notifikasi/").get_data(as_text=True)
    assert "Belum ada pemberitahuan untuk Anda." in page
    assert "Tandai semua sudah dibaca" not in page


# ---------------------------------------------------------------- marking read and opening


def test_mark_read_without_htmx_goes_back_to_the_list(member_client, make_notification):
    notification = make_notification(member_client.user)
    response = member_client.post(f"/notifikasi/{notification.id}/baca")
    assert response.status_code == 302
    assert response.location == "/notifikasi/"
    assert read_at(notification) is not None


def test_mark_read_with_htmx_swaps_the_item_and_updates_the_bell(member_client, make_notification):
    notification = make_notification(member_client.user)
    make_notification(member_client.user)
    response = member_client.post(f"/notifikasi/{notification.id}/baca", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="notification-{notification.id}"')
    assert ">Baru<" not in body
    assert 'hx-swap-oob="true"' in body
    assert 'aria-label="Notifikasi, 1 belum dibaca"' in body
    assert "<html" not in body


def test_someone_elses_notification_cannot_be_marked_or_opened(member_client, make_user, make_notification):
    notification = make_notification(make_user())
    assert member_client.post(f"/notifikasi/{notification.id}/baca").status_code == 403
    assert member_client.post(f"/notifikasi/{notification.id}/buka").status_code == 403
    assert read_at(notification) is None


def test_missing_notification_is_404(member_client):
    assert member_client.post("/notifikasi/999999/baca").status_code == 404
    assert member_client.post("/notifikasi/999999/buka").status_code == 404


def test_open_marks_read_and_goes_to_the_notification_url(member_client, make_notification):
    notification = make_notification(member_client.user, url="/artikel/5#komentar")
    response = member_client.post(f"/notifikasi/{notification.id}/buka")
    assert response.status_code == 302
    assert response.location == "/artikel/5#komentar"
    assert read_at(notification) is not None


def test_open_with_htmx_uses_hx_redirect(member_client, make_notification):
    notification = make_notification(member_client.user, url="/artikel/5")
    response = member_client.post(f"/notifikasi/{notification.id}/buka", headers=HTMX)
    assert response.headers["HX-Redirect"] == "/artikel/5"


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example"]
)
def test_open_never_follows_an_off_site_url(member_client, make_notification, url):
    notification = make_notification(member_client.user, url=url)
    response = member_client.post(f"/notifikasi/{notification.id}/buka")
    assert response.status_code == 302
    assert response.location == "/notifikasi/"


def test_mark_all_read(member_client, make_user, make_notification):
    mine = [make_notification(member_client.user) for _ in range(3)]
    theirs = make_notification(make_user())
    response = member_client.post("/notifikasi/baca-semua", follow_redirects=True)
    assert "3 pemberitahuan ditandai sudah dibaca." in response.get_data(as_text=True)
    assert all(read_at(n) is not None for n in mine)
    assert read_at(theirs) is None


def test_posts_need_a_csrf_token(member_client, make_notification):
    notification = make_notification(member_client.user)
    assert member_client.post(f"/notifikasi/{notification.id}/baca", csrf=False).status_code == 400
    assert member_client.post("/notifikasi/baca-semua", csrf=False).status_code == 400
    assert read_at(notification) is None


# ---------------------------------------------------------------- settings


# the settings page: tests/notifications/test_notification_preferences.py


# ---------------------------------------------------------------- the header bell


def test_header_shows_the_unread_count(member_client, make_notification):
    for _ in range(3):
        make_notification(member_client.user)
    page = member_client.get("/").get_data(as_text=True)
    assert 'aria-label="Notifikasi, 3 belum dibaca"' in page
    assert re.search(r'class="notification-count[^"]*"[^>]*>3</span>', page)


def test_header_bell_without_unread_has_no_badge(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert 'aria-label="Notifikasi"' in page
    assert "notification-count" not in page


def test_big_counts_are_capped_in_the_badge(member_client, greeting_kind, make_user):
    services.notify([member_client.user, member_client.user.id], greeting_kind, "/x", title="t")
    db.session.add_all(
        Notification(user_id=member_client.user.id, kind=greeting_kind, params={}, url="/x") for _ in range(120)
    )
    db.session.commit()
    page = member_client.get("/").get_data(as_text=True)
    # The name read out matches what is shown (axe: label-content-name-mismatch), the capped badge included.
    assert 'aria-label="Notifikasi, 99+ belum dibaca"' in page
    assert ">99+</span>" in page


def test_anonymous_header_has_no_bell_and_runs_no_notification_query(client):
    with notification_queries() as statements:
        page = client.get("/").get_data(as_text=True)
    assert 'id="notification-bell"' not in page
    assert statements == []


def test_bell_costs_one_query_per_page(member_client, make_notification):
    make_notification(member_client.user)
    with notification_queries() as statements:
        member_client.get("/")
    assert len(statements) == 1


def test_notification_rows_survive_for_the_recipient_only(member_client, make_user, greeting_kind):
    other = make_user()
    services.notify([other], greeting_kind, "/x", actor=member_client.user, title="t")
    db.session.commit()
    assert db.session.scalars(select(Notification.user_id)).all() == [other.id]
    assert 'aria-label="Notifikasi"' in member_client.get("/").get_data(as_text=True)
