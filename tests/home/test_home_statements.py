"""The home page is the most visited: a fixed number of SQL statements, however much there is to show."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums import services as forums
from portal.home import services as home
from portal.learning.models import LearningStatus
from portal.learning.services import local_today
from portal.units.models import UnitHead
from portal.workshops import services as workshops
from tests.home.builders import completed, evaluation
from tests.learning.profile_helpers import add_position, add_record, add_workshop, assess

BOUND = 45  # statements for the whole page of the busiest person (admin, supervisor and unit head at once)


@contextmanager
def counted():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _statements(person) -> int:
    db.session.expire_all()
    with counted() as statements:
        home.build(db.session.get(type(person), person.id))
    return len(statements)


def test_statements_do_not_grow_with_the_data(make_user, unit, organizer, catalogue):
    position = add_position("ANL", {catalogue["M.05"]: 3}, unit=unit)
    person = make_user(Role.ADMIN, position_id=position.id)
    assess(person, catalogue["M.05"], 1)
    db.session.add(UnitHead(unit_id=unit.id, user_id=person.id))
    db.session.commit()

    def add_round(n: int) -> None:
        category = forums.ensure_general_category()
        for i in range(n):
            workshop = add_workshop(organizer, [catalogue["M.05"]], days_ahead=5 + i, title=f"Pelatihan {n}-{i}")
            workshops.register(person, workshop.id)
            full = add_workshop(organizer, [catalogue["M.05"]], days_ahead=40 + i, title=f"Penuh {n}-{i}")
            full.capacity = 1
            db.session.commit()
            workshops.register(make_user(), full.id)
            workshops.register(person, full.id)  # waiting
            done = add_workshop(organizer, [catalogue["M.05"]], days_ahead=30 + i, title=f"Selesai {n}-{i}")
            completed(done, person)
            evaluation(organizer, done, title=f"Evaluasi {n}-{i}")
            db.session.add(Article(title=f"Draf {n}-{i}", author_id=person.id, status=ArticleStatus.DRAFT))
            db.session.commit()
            thread = forums.create_thread(person, category, f"Topik nomor {n}-{i}", "Pembuka topik.")
            forums.reply(organizer, thread, "Balasan dari rekan.")
            subordinate = make_user(supervisor_id=person.id)
            add_record(subordinate, 3, local_today())
            add_record(person, 2, local_today(), status=LearningStatus.SUBMITTED)
        db.session.commit()

    add_round(1)
    home.build(person)  # warm the caches (catalogue, settings) once
    few = _statements(person)
    add_round(6)
    many = _statements(person)

    page = home.build(person, utcnow())
    assert len(page.agenda.sessions) == 3 and page.agenda.more_sessions > 0
    assert page.todo.form_count == 7 and page.following.total == 7 and page.oversight.team.people == 7
    # With few gap workshops the page also asks for the unit's ranked needs: one statement more, never fewer.
    assert many <= few, f"{few} statements with little data, {many} with more"
    assert many <= BOUND
