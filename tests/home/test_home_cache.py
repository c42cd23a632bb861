"""The home page is kept per person and section (portal/home/views.py): a second visit asks the database
nothing, and every change a section shows (or the clock) brings a fresh rendering on the next visit."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.core import types
from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services as forums
from portal.home import services as home
from portal.home.views import SECTION_TABLES
from portal.learning.services import local_today
from portal.units.models import UnitHead
from portal.workshops import services as workshops
from tests.articles.conftest import counting_queries
from tests.conftest import login
from tests.home.builders import completed, evaluation, session_start
from tests.home.test_home_statements import counted
from tests.learning.profile_helpers import add_position, add_record, add_workshop, assess
from tests.postings import move_clock

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.I)


def _busy_person(make_user, unit, organizer, catalogue):
    """Admin, unit head and supervisor at once, with something in every section."""
    position = add_position("ANL", {catalogue["M.05"]: 3}, unit=unit)
    person = make_user(Role.ADMIN, position_id=position.id)
    assess(person, catalogue["M.05"], 1)
    db.session.add(UnitHead(unit_id=unit.id, user_id=person.id))
    db.session.commit()
    workshops.register(person, add_workshop(organizer, [catalogue["M.05"]], days_ahead=5).id)
    done = add_workshop(organizer, [catalogue["M.05"]], days_ahead=30, title="Selesai")
    completed(done, person)
    evaluation(organizer, done, title="Evaluasi Selesai")
    add_workshop(organizer, [catalogue["M.05"]], days_ahead=50, title="Disarankan")
    thread = forums.create_thread(person, forums.ensure_general_category(), "Topik saya", "Pembuka topik.")
    forums.reply(organizer, thread, "Balasan dari rekan.")
    add_record(make_user(supervisor_id=person.id), 3, local_today())
    db.session.commit()
    return person, thread


def test_every_table_a_section_reads_is_one_it_is_kept_by(make_user, unit, organizer, catalogue):
    person, _thread = _busy_person(make_user, unit, organizer, catalogue)
    now = types.utcnow()
    for name, build in home.SECTIONS.items():
        db.session.expire_all()
        with counted() as statements:
            build(db.session.get(type(person), person.id), now)
        read = {table.lower() for statement in statements for table in _TABLE.findall(statement)}
        assert read <= set(SECTION_TABLES[name]), f"{name} reads {sorted(read - set(SECTION_TABLES[name]))}"


def test_a_second_visit_asks_the_database_nothing(app, make_user, unit, organizer, catalogue):
    person, _thread = _busy_person(make_user, unit, organizer, catalogue)
    client = login(app.test_client(), person)
    client.get("/")  # shows the welcome message once
    first = client.get("/").get_data(as_text=True)
    with counting_queries() as statements:
        second = client.get("/").get_data(as_text=True)
    assert [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))] == []
    assert second == first
    assert "Topik saya" in second and "Evaluasi Selesai" in second and "Tim saya" in second


def test_a_change_shows_on_the_next_visit(app, make_user, unit, organizer, catalogue):
    person, thread = _busy_person(make_user, unit, organizer, catalogue)
    client = login(app.test_client(), person)
    assert "1 baru" in client.get("/").get_data(as_text=True)
    forums.reply(organizer, thread, "Balasan kedua.")
    assert "2 baru" in client.get("/").get_data(as_text=True)  # following
    later = add_workshop(organizer, [catalogue["M.05"]], days_ahead=7, title="Pelatihan Baru Sekali")
    workshops.register(person, later.id)
    assert "Pelatihan Baru Sekali" in client.get("/").get_data(as_text=True)  # agenda
    add_record(person, 200, local_today())
    assert "Target tahunan tercapai." in client.get("/").get_data(as_text=True)  # progress


def test_two_people_never_see_each_others_home(app, make_user, unit, organizer, catalogue):
    person, _thread = _busy_person(make_user, unit, organizer, catalogue)
    other = make_user(name="Orang Lain")
    login(app.test_client(), person).get("/")
    page = login(app.test_client(), other).get("/").get_data(as_text=True)
    assert "Topik saya" not in page and "Evaluasi Selesai" not in page and "Tim saya" not in page


def test_the_check_in_button_follows_the_clock(app, monkeypatch, make_user, organizer, catalogue):
    member = make_user()
    workshop = add_workshop(organizer, [catalogue["M.05"]], days_ahead=2)
    workshops.register(member, workshop.id)
    client = login(app.test_client(), member)
    assert "Presensi sekarang" not in client.get("/").get_data(as_text=True)
    before_start = session_start(workshop) - timedelta(minutes=10) - types.utcnow()
    move_clock(monkeypatch, int(before_start.total_seconds()))
    assert "Presensi sekarang" in client.get("/").get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert page.index('id="home-agenda"') < page.index('id="home-todo"')  # an open check-in leads
