"""The cached workshop list: a change shows on the next request, and a workshop leaves the list the moment it
ends, although no table changed."""

from __future__ import annotations

from datetime import timedelta

from portal.core.types import utcnow
from portal.extensions import db
from portal.workshops import services
from portal.workshops.services import SessionInput
from tests.workshops.conftest import session_times


def test_new_workshops_and_seats_show_on_the_next_request(member_client, make_workshop, make_user):
    workshop = make_workshop(title="Pelatihan Arsip Digital", capacity=2)
    page = member_client.get("/pelatihan").get_data(as_text=True)
    assert "Pelatihan Arsip Digital" in page and "2 kursi tersisa" in page
    services.register(make_user(), workshop.id)
    assert "1 kursi tersisa" in member_client.get("/pelatihan").get_data(as_text=True)
    make_workshop(title="Pelatihan Kearsipan Lanjut")
    assert "Pelatihan Kearsipan Lanjut" in member_client.get("/pelatihan").get_data(as_text=True)


def test_a_workshop_leaves_the_cached_list_when_it_ends(member_client, make_workshop, monkeypatch):
    start = utcnow().replace(microsecond=0) + timedelta(hours=2)
    soon = make_workshop(title="Pelatihan Yang Segera Usai", sessions=[SessionInput(start, start + timedelta(hours=2))])
    make_workshop(title="Pelatihan Bulan Depan", sessions=session_times(days_ahead=30))
    db.session.rollback()  # the list is read in a new snapshot, so the cache keeps it
    assert "Pelatihan Yang Segera Usai" in member_client.get("/pelatihan").get_data(as_text=True)
    later = soon.ends_at + timedelta(minutes=1)
    assert later > utcnow()
    monkeypatch.setattr("portal.workshops.views.utcnow", lambda: later)
    monkeypatch.setattr("portal.workshops.services.browsing.utcnow", lambda: later)
    page = member_client.get("/pelatihan").get_data(as_text=True)
    assert "Pelatihan Yang Segera Usai" not in page and "Pelatihan Bulan Depan" in page


def test_organizer_buttons_are_not_part_of_the_shared_list(login_as, make_workshop):
    make_workshop(title="Pelatihan Bersama")
    organizer, member = login_as("organizer"), login_as("member")
    assert "Buat pelatihan" in organizer.get("/pelatihan").get_data(as_text=True)
    page = member.get("/pelatihan").get_data(as_text=True)
    assert "Buat pelatihan" not in page and "Pelatihan Bersama" in page
