"""Forum threads in search: title, opening post and replies; unit rooms and hidden posts stay out of sight."""

from __future__ import annotations

from portal.core.permissions import Role
from portal.forums import services
from portal.search import services as search


def _titles(query: str, user) -> list[str]:
    search.apply_outbox()
    page = search.search(query, search.SearchFilters(doc_type="thread"), user)
    return [hit.title for hit in page.hits]


def test_threads_are_found_by_title_body_and_replies(make_thread, make_user, member_client):
    thread = make_thread(title="Antrean MPP setiap Senin", body="Warga menumpuk di loket adminduk.")
    services.reply(make_user(), thread, "Coba pendaftaran lewat WhatsApp sehari sebelumnya.")
    reader = member_client.user
    assert _titles("antrean", reader) == ["Antrean MPP setiap Senin"]
    assert _titles("adminduk", reader) == ["Antrean MPP setiap Senin"]
    assert _titles("whatsapp", reader) == ["Antrean MPP setiap Senin"]


def test_hidden_posts_and_threads_leave_the_index(make_thread, make_user, moderator, member_client):
    thread = make_thread(title="Jual pulsa murah", body="Promo paket data.")
    spam = services.reply(make_user(), make_thread(title="Topik lain"), "Kupon belanja gratis.")
    services.hide_post(moderator, spam, "Promosi di luar topik.")
    services.hide_post(moderator, services.post_by_number(thread, 1), "Promosi di luar topik.")
    reader = member_client.user
    assert _titles("pulsa", reader) == []
    assert _titles("kupon", reader) == []


def test_unit_room_threads_are_found_only_by_the_unit_and_moderators(unit_room, make_user, member_client, moderator):
    insider = make_user(unit_id=unit_room.unit_id)
    services.create_thread(insider, unit_room, "Pelatihan PPI perawat baru", "Kewaspadaan standar.")
    assert _titles("kewaspadaan", member_client.user) == []
    assert _titles("kewaspadaan", insider) == ["Pelatihan PPI perawat baru"]
    assert _titles("kewaspadaan", moderator) == ["Pelatihan PPI perawat baru"]


def test_staff_rooms_are_found_by_staff(make_category, author, login_as, member_client):
    room = make_category("ruang-staf", "Ruang staf", visibility="staff")
    organizer = login_as(Role.ORGANIZER).user
    services.create_thread(organizer, room, "Rapat koordinasi penyelenggara", "Agenda Latsar.")
    assert _titles("latsar", member_client.user) == []
    assert _titles("latsar", organizer) == ["Rapat koordinasi penyelenggara"]
