"""Anonymous answers cannot be paired with the people who gave them, even by someone reading the database.

Forty people answer an anonymous survey, each with a text only they would write (their NIP), so the test knows
the truth. An attacker lines up ``feedback_respondents`` with ``feedback_responses`` by id and by time; a random
pairing of 40 gets about 1 right, and the attacker must do no better than chance (at most 5: a random
permutation of 40 has 6 or more fixed points with probability below 0.1 %).
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import Answer, FormAudience, FormPurpose, QuestionKind, Respondent, Response
from portal.feedback.services import answering
from tests.feedback.answering_setup import organizer  # noqa: F401 - fixture
from tests.feedback.factories import Q, make_form

PEOPLE = 40
CHANCE_LIMIT = 5


def _answer_everyone(make_user, owner):
    form = make_form(
        owner,
        [Q(QuestionKind.SHORT_TEXT, "Kode Anda")],
        purpose=FormPurpose.SURVEY,
        audience=FormAudience.ALL_ASN,
        anonymous=True,
    )
    question_id = form.questions[0].id
    people = {}
    for _ in range(PEOPLE):
        person = make_user()
        people[person.id] = person.nip
        answering.submit(person, form, {f"q{question_id}": person.nip})
    db.session.commit()
    respondents = list(db.session.execute(select(Respondent.id, Respondent.user_id, Respondent.answered_at)))
    responses = list(
        db.session.execute(
            select(Response.id, Response.submitted_at, Answer.value_text)
            .join(Answer)
            .where(Response.form_id == form.id)
        )
    )
    return people, respondents, responses


def _matches(people, respondents, responses) -> int:
    pairs = zip(respondents, responses, strict=True)
    return sum(people[respondent.user_id] == response.value_text for respondent, response in pairs)


def test_respondents_and_responses_cannot_be_paired_by_id(make_user, organizer):  # noqa: F811
    people, respondents, responses = _answer_everyone(make_user, organizer)
    assert len(respondents) == len(responses) == PEOPLE
    by_id = _matches(people, sorted(respondents, key=lambda r: r.id), sorted(responses, key=lambda r: r.id))
    assert by_id <= CHANCE_LIMIT, f"{by_id} of {PEOPLE} paired by id order"
    reverse = _matches(people, sorted(respondents, key=lambda r: -r.id), sorted(responses, key=lambda r: r.id))
    assert reverse <= CHANCE_LIMIT, f"{reverse} of {PEOPLE} paired by reverse id order"


def test_respondents_and_responses_cannot_be_paired_by_time(make_user, organizer):  # noqa: F811
    people, respondents, responses = _answer_everyone(make_user, organizer)
    assert len({respondent.answered_at for respondent in respondents}) <= 2  # only the day (WIB), maybe two
    by_time = _matches(
        people,
        sorted(respondents, key=lambda r: (r.answered_at, r.id)),
        sorted(responses, key=lambda r: (r.submitted_at, r.id)),
    )
    assert by_time <= CHANCE_LIMIT, f"{by_time} of {PEOPLE} paired by time"


def test_respondent_keys_are_random_and_large(make_user, organizer):  # noqa: F811
    _people, respondents, _responses = _answer_everyone(make_user, organizer)
    ids = [respondent.id for respondent in respondents]
    assert len(set(ids)) == PEOPLE
    assert max(ids) > 2**40  # not a counter
