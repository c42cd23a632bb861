"""A sign-up that would take a PPPK past the JP ceiling of their contract year warns the person and the organizer;
it is never refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.accounts.models import EmploymentStatus
from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus
from portal.learning.services import local_today
from portal.workshops import services
from portal.workshops.models import RegistrationStatus
from tests.conftest import login
from tests.workshops.conftest import session_times


def _verified(user, jp: int, end: date) -> None:
    db.session.add(
        LearningRecord(
            user_id=user.id,
            title="Pelatihan sebelumnya",
            start_date=end,
            end_date=end,
            jp=jp,
            jp_claimed=jp,
            source=LearningSource.SELF_REPORTED,
            status=LearningStatus.VERIFIED,
        )
    )
    db.session.commit()


@pytest.fixture
def pppk(make_user):
    """A PPPK whose contract year started a month ago, with 20 verified JP in it (ceiling 24)."""
    today = local_today()
    user = make_user(name="Hendri PPPK", employment_status=EmploymentStatus.PPPK, contract_start=today - timedelta(30))
    _verified(user, 20, today - timedelta(5))
    return user


def test_the_person_is_warned_on_the_sign_up_and_still_signed_up(app, make_workshop, pppk):
    workshop = make_workshop()
    assert workshop.jp > 4
    client = login(app.test_client(), pppk)
    page = client.get(f"/pelatihan/{workshop.id}").get_data(as_text=True)
    total = 20 + workshop.jp
    assert f"menjadi {total} JP, melebihi batas 24 JP untuk PPPK (PP 49/2018 Pasal 40 ayat (1))" in page

    response = client.post(f"/pelatihan/{workshop.id}/daftar", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Anda terdaftar. Kursi Anda sudah aman." in page
    assert "melebihi batas 24 JP untuk PPPK" in page
    assert services.registration_of(pppk, workshop.id).status == RegistrationStatus.CONFIRMED


def test_the_organizer_sees_it_on_the_registrations_list(app, make_workshop, pppk, make_user, organizer):
    workshop = make_workshop()
    pns = make_user(name="Ani PNS")
    _verified(pns, 20, local_today() - timedelta(5))
    services.register(pppk, workshop.id)
    services.register(pns, workshop.id)
    page = login(app.test_client(), organizer).get(f"/pelatihan/{workshop.id}/peserta").get_data(as_text=True)
    assert f"melebihi batas JP PPPK: {20 + workshop.jp} dari 24 JP" in page
    assert page.count("melebihi batas JP PPPK") == 1  # not for the PNS


def test_no_warning_within_the_ceiling_or_for_a_target(make_workshop, make_user):
    workshop = make_workshop()
    within = make_user(employment_status=EmploymentStatus.PPPK)
    assert services.ceiling_warning(within, workshop) is None  # 0 + the workshop's JP <= 24
    pns = make_user()
    _verified(pns, 40, local_today() - timedelta(5))
    assert services.ceiling_warning(pns, workshop) is None


def test_other_workshops_signed_up_for_in_the_period_count(make_workshop, make_user):
    today = local_today()
    person = make_user(employment_status=EmploymentStatus.PPPK_PART_TIME, contract_start=today - timedelta(30))
    first, second = make_workshop(), make_workshop(sessions=session_times(days_ahead=20))
    _verified(person, 24 - first.jp - second.jp + 1, today - timedelta(3))
    assert services.ceiling_warning(person, second) is None
    services.register(person, first.id)
    warning = services.ceiling_warning(person, second)
    assert (warning.planned, warning.adding, warning.excess) == (first.jp, second.jp, 1)
