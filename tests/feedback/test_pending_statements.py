"""``/evaluasi`` (what a person still has to fill in) reads the open forms with the person's confirmed places as
a subquery: its statements do not grow with the workshops the person signed up for. (Each form still open to
the person is then checked on its own: answered already? still registered? Two statements a form.)"""

from __future__ import annotations

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback.services import pending
from tests.home.builders import completed, evaluation
from tests.home.test_home_statements import counted
from tests.learning.profile_helpers import add_catalogue, add_workshop

PER_FORM = 2  # has_answered and the registration check of can_answer


def _statements(user) -> tuple[int, int]:
    db.session.expire_all()
    with counted() as statements:
        overview = pending.overview(db.session.get(type(user), user.id))
    return len(statements), len(overview.pending)


def test_statements_do_not_grow_with_the_workshops(make_user, login_as):
    catalogue = add_catalogue()
    organizer = make_user(Role.ORGANIZER)
    client = login_as(Role.MEMBER)
    member = client.user

    def add(n: int, with_form: bool) -> None:
        for i in range(n):
            done = add_workshop(organizer, [catalogue["M.05"]], days_ahead=30 + i, title=f"Pelatihan {n}-{i}")
            completed(done, member)
            if with_form:
                evaluation(organizer, done, title=f"Evaluasi {n}-{i}")

    add(1, with_form=True)
    few, forms = _statements(member)
    assert forms == 1
    add(8, with_form=False)  # more workshops, no more forms: not one statement more
    assert _statements(member) == (few, 1)
    add(3, with_form=True)
    many, forms = _statements(member)
    assert forms == 4 and many == few + 3 * PER_FORM
    assert few <= 11, few  # the person, drafts, the forms with their units, sections, questions and options,
    # follow-ups, the one form's two checks, what was answered
    page = client.get("/evaluasi").get_data(as_text=True)
    assert "Evaluasi 1-0" in page and "Evaluasi 3-2" in page
