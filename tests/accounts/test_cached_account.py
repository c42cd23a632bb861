"""The account row and the bell's count are kept between requests (the floor every signed-in page pays) and are
read again the moment what they show changes."""

from __future__ import annotations

from sqlalchemy import update

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications import services as notifications
from tests.articles.conftest import counting_queries
from tests.floor import FLOOR_PAGE, warm_floor


def _reads(statements: list[str], table: str) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s)


def test_a_second_page_reads_neither_the_account_nor_the_bell(member_client):
    warm_floor(member_client)
    with counting_queries() as statements:
        page = member_client.get(FLOOR_PAGE)
    assert page.status_code == 200
    assert member_client.user.name in page.get_data(as_text=True)
    assert _reads(statements, "users") == 0
    assert not any("count(notifications.id)" in s for s in statements)


def test_a_renamed_account_shows_its_new_name_on_the_next_page(member_client):
    warm_floor(member_client)
    user = member_client.user
    user.name = "Nama Baru Sekali"
    db.session.commit()
    assert "Nama Baru Sekali" in member_client.get(FLOOR_PAGE).get_data(as_text=True)


def test_a_rotated_session_token_logs_the_kept_account_out_at_once(member_client):
    warm_floor(member_client)
    db.session.execute(update(User).where(User.id == member_client.user.id).values(session_token="x" * 64))
    db.session.commit()
    response = member_client.get(FLOOR_PAGE)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_the_kept_account_is_saved_like_one_just_read(member_client):
    warm_floor(member_client)
    warm_floor(member_client)  # this request's account came from the cache
    assert member_client.post("/bahasa", data={"locale": "en"}).status_code == 302
    saved = db.session.get(User, member_client.user.id, populate_existing=True)
    assert saved is not None and saved.locale == "en"
    assert 'lang="en"' in member_client.get(FLOOR_PAGE).get_data(as_text=True)


def test_the_bell_counts_a_new_notification_and_a_read_one(member_client, make_user):
    user = member_client.user
    warm_floor(member_client)
    assert "Notifikasi, 1 belum dibaca" not in member_client.get(FLOOR_PAGE).get_data(as_text=True)
    notifications.notify([user.id], "forum.replied", "/forum", actor=make_user(), title="Topik uji")
    db.session.commit()
    assert "Notifikasi, 1 belum dibaca" in member_client.get(FLOOR_PAGE).get_data(as_text=True)
    notifications.mark_all_read(user)
    assert "Notifikasi, 1 belum dibaca" not in member_client.get(FLOOR_PAGE).get_data(as_text=True)
