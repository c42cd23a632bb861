"""A "new topic" button on the forum's front page; the category is chosen in the form, and checked by the service."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumThread
from portal.forums.services import ForumError


def _threads() -> int:
    return db.session.scalar(select(func.count()).select_from(ForumThread)) or 0


def test_the_front_page_has_a_new_topic_button(member_client, general):
    page = member_client.get("/forum").get_data(as_text=True)
    assert 'href="/forum/topik-baru"' in page and "Buka topik baru" in page


def test_the_form_offers_only_categories_the_member_may_write_in(member_client, general, unit_room, announcements):
    page = member_client.get("/forum/topik-baru").get_data(as_text=True)
    assert f'<option value="{general.id}">' in page
    assert "Ruang RSUD" not in page  # not visible to them
    assert "Pengumuman BKPSDM" not in page  # read-only for members


def test_a_topic_opens_in_the_chosen_category(member_client, general, make_category):
    room = make_category("kepegawaian", "Kepegawaian")
    response = member_client.post(
        "/forum/topik-baru",
        data={"category_id": str(room.id), "title": "Cara mengajukan cuti tahunan", "body": "Mohon petunjuknya."},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(ForumThread))
    assert (thread.category_id, thread.title) == (room.id, "Cara mengajukan cuti tahunan")
    assert response.headers["Location"].endswith(f"/forum/t/{thread.id}")


CHOOSE = "Pilih kategori tempat Anda boleh membuka topik."


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("", CHOOSE),
        ("0", CHOOSE),
        ("abc", CHOOSE),
        ("99999999999", "Angka di luar rentang yang diizinkan."),
        ("announcements", CHOOSE),
        ("unit_room", CHOOSE),
    ],
)
def test_a_missing_or_forbidden_category_is_refused_on_the_field(
    member_client, general, unit_room, announcements, choice, message
):
    category_id = {"announcements": announcements.id, "unit_room": unit_room.id}.get(choice, choice)
    response = member_client.post(
        "/forum/topik-baru", data={"category_id": str(category_id), "title": "Judul cukup panjang", "body": "Isi"}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Judul cukup panjang" in response.get_data(as_text=True)  # what was typed is kept
    assert _threads() == 0


def test_the_service_refuses_a_category_the_actor_may_not_write_in(make_user, announcements):
    with pytest.raises(ForumError) as refused:
        services.create_thread_in(make_user(), announcements.id, "Judul cukup panjang", "Isi kiriman.")
    assert refused.value.field == "category_id"
    assert _threads() == 0


def test_bad_title_is_refused_too(member_client, general):
    response = member_client.post(
        "/forum/topik-baru", data={"category_id": str(general.id), "title": "", "body": "Isi"}
    )
    assert response.status_code == 400 and "Judul wajib diisi." in response.get_data(as_text=True)
    assert _threads() == 0


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/forum/topik-baru").status_code == 302
