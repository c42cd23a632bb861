"""Workshops that carry out the approved plan: linked from the create form's origin, progress over the year with a
frozen clock (runs, participants, JP, realised cost, late quarters), and invite lists within the OPD quotas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.core.permissions import PermissionDenied
from portal.extensions import db
from portal.notifications.models import Notification
from portal.planning import services
from portal.planning.models import InvitationStatus, PlanInvitation, WorkshopPlanLink
from portal.planning.services import PlanningError
from portal.workshops import services as workshops
from portal.workshops.models import Registration, RegistrationStatus
from tests.learning.profile_helpers import add_workshop
from tests.planning.conftest import line_input


def _programs(city, year, *specs):
    """One program per (quarter, competency code), merged from a Dinkes and a Disdik item (3 and 2 participants)."""
    pairs = []
    for quarter, code in specs:
        fields = {"quarter": quarter, "competency_id": city.catalogue[code].id}
        a = services.add_line(city.organizer, city.dinkes.id, year, line_input(city, participants=3, **fields))
        b = services.add_line(city.head, city.disdik.id, year, line_input(city, participants=2, **fields))
        pairs.append((a, b))
    services.submit(city.organizer, pairs[0][0].plan)
    services.submit(city.head, pairs[0][1].plan)
    return [services.merge(city.bkpsdm, year, [a.id, b.id]) for a, b in pairs]


def _approved_program(city, year, dinkes=3, disdik=2):
    (program,) = _programs(city, year, (2, "M.05"))
    services.set_quota(city.bkpsdm, program, city.dinkes.id, dinkes)
    services.set_quota(city.bkpsdm, program, city.disdik.id, disdik)
    return program


def _workshop_for(city, program, starts: datetime, **fields):
    days = (starts - datetime.now(UTC)).total_seconds() / 86400
    return add_workshop(
        city.organizer, [program.competency], days_ahead=days, origin=services.origin_for(program), **fields
    )


def _complete(workshop, users):
    for user in users:
        db.session.add(
            Registration(
                workshop_id=workshop.id,
                user_id=user.id,
                status=RegistrationStatus.CONFIRMED,
                completed_at=workshop.ends_at,
            )
        )
    db.session.commit()


def test_a_workshop_created_from_an_approved_program_is_linked_to_it(city, year):
    program = _approved_program(city, year)
    draft_link = _workshop_for(city, program, datetime.now(UTC) + timedelta(days=30))
    assert services.link_of(draft_link.id) is None, "a program of a plan not yet approved links nothing"
    services.approve(city.bkpsdm, year)
    workshop = _workshop_for(city, program, datetime.now(UTC) + timedelta(days=30))
    link = services.link_of(workshop.id)
    assert link is not None and link.program_id == program.id and link.created_by_id == city.organizer.id
    other = add_workshop(city.organizer, [program.competency], origin="program:abc")
    assert services.link_of(other.id) is None


def test_progress_counts_held_runs_participants_jp_and_cost_and_flags_late_quarters(city, year, clock):
    clock.now = datetime(year, 1, 10, 3, tzinfo=UTC)
    held, late, coming = _programs(city, year, (2, "M.05"), (1, "M.01"), (3, "M.03"))
    services.approve(city.bkpsdm, year)
    first = _workshop_for(city, held, datetime(year, 5, 12, 1, tzinfo=UTC))
    cancelled = _workshop_for(city, held, datetime(year, 5, 20, 1, tzinfo=UTC))
    workshops.cancel_workshop(city.organizer, cancelled, "Narasumber berhalangan hadir.")
    clock.now = datetime(year, 7, 15, 3, tzinfo=UTC)
    _complete(first, city.gap_dinkes[:2])
    services.set_realised_cost(city.organizer, first, 2_750_000)

    progress = services.progress(services.plan_of(year, None))
    rows = {row.program.id: row for row in progress.programs}
    row = rows[held.id]
    assert (row.runs_held, row.runs_scheduled, row.participants, row.jp_delivered) == (1, 0, 2, 2 * first.jp)
    assert (row.realised_cost, row.planned.cost, row.late) == (2_750_000, 5 * 1_500_000, False)
    assert rows[late.id].late is True, "quarter 1 ended with no run"
    assert rows[coming.id].late is False, "quarter 3 has not ended"
    assert (progress.runs_held, progress.participants, progress.late) == (1, 2, 1)

    clock.now = datetime(year, 10, 2, 3, tzinfo=UTC)
    assert services.progress(services.plan_of(year, None)).late == 2, "quarter 3 is over too now"


def test_realised_cost_is_for_the_organizer_and_never_negative(city, year):
    program = _approved_program(city, year)
    services.approve(city.bkpsdm, year)
    workshop = _workshop_for(city, program, datetime.now(UTC) + timedelta(days=30))
    with pytest.raises(PlanningError, match="tidak negatif"):
        services.set_realised_cost(city.organizer, workshop, -5)
    with pytest.raises(PermissionDenied):
        services.set_realised_cost(city.gap_dinkes[0], workshop, 100)
    assert db.session.get(WorkshopPlanLink, workshop.id).realised_cost is None


@pytest.fixture
def invited_workshop(city, year):
    program = _approved_program(city, year, dinkes=2, disdik=1)
    services.approve(city.bkpsdm, year)
    workshop = _workshop_for(city, program, datetime.now(UTC) + timedelta(days=30))
    return workshop


def _invitations() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanInvitation)) or 0


def test_the_invite_list_is_exactly_the_people_below_the_standard(city, invited_workshop):
    listing = services.invite_list(city.organizer, invited_workshop)
    expected = {u.id for u in city.gap_dinkes + city.gap_disdik}
    assert {c.holder.user.id for c in listing.candidates} == expected
    assert listing.left_for(city.dinkes.id) == 2 and listing.left_for(city.disdik.id) == 1
    only_disdik = services.invite_list(city.organizer, invited_workshop, unit_id=city.disdik.id)
    assert {c.holder.user.id for c in only_disdik.candidates} == {u.id for u in city.gap_disdik}
    with pytest.raises(PermissionDenied):
        services.invite_list(city.gap_dinkes[0], invited_workshop)


def test_invitations_respect_the_quota_per_opd(city, invited_workshop):
    nurses = [u.id for u in city.gap_dinkes]
    with pytest.raises(PlanningError, match="Kuota Dinas Kesehatan di rencana tinggal 2 orang"):
        services.invite(city.organizer, invited_workshop, nurses)
    assert _invitations() == 0
    with pytest.raises(PlanningError, match="daftar undangan"):
        services.invite(city.organizer, invited_workshop, [city.no_gap[0].id])
    assert services.invite(city.organizer, invited_workshop, nurses[:2]) == 2
    sent = db.session.scalars(select(Notification).where(Notification.kind == "planning.invited")).all()
    assert sorted(n.user_id for n in sent) == sorted(nurses[:2])
    assert sent[0].url == f"/pelatihan/{invited_workshop.id}#registration-box"
    with pytest.raises(PlanningError, match="tinggal 0"):
        services.invite(city.organizer, invited_workshop, [nurses[2]])

    services.decline(city.gap_dinkes[0], invited_workshop.id)  # frees a place
    assert services.invite(city.organizer, invited_workshop, [nurses[2]]) == 1
    assert _invitations() == 3


def test_the_organizer_sees_who_was_invited_signed_up_and_declined(city, invited_workshop):
    a, b = city.gap_dinkes[:2]
    services.invite(city.organizer, invited_workshop, [a.id, b.id, city.gap_disdik[0].id])
    workshops.register(a, invited_workshop.id)  # the one-click sign-up: the workshops' own rules
    services.decline(b, invited_workshop.id)
    summary = services.summary(invited_workshop)
    assert [i.user_id for i in summary.signed_up] == [a.id]
    assert [i.user_id for i in summary.declined] == [b.id]
    assert [i.user_id for i in summary.invited] == [city.gap_disdik[0].id]
    assert services.invitation_of(b, invited_workshop.id).status == InvitationStatus.DECLINED
    with pytest.raises(PlanningError, match="tidak diundang"):
        services.decline(city.gap_disdik[1], invited_workshop.id)
