"""From a program of the approved city plan to a workshop, and the workshop's invite list.

A workshop created from a program ("Buat pelatihan untuk butir rencana ini") is linked to it through the
``workshops.workshop-created`` signal (the workshops feature knows nothing of plans). Its invite list is every
active ASN whose current level in one of the workshop's competencies is below their job standard
(``learning.queries.people_with_gap``), filterable by OPD and job. Invitations per OPD never pass the program's
quota of that OPD (declined invitations free their place). An invitation is a notification (and email, for those
who turned email on) linking to the workshop page, where the sign-up box signs up in one click through the
workshops' own registration rules, and a decline button answers the invitation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.audit import services as audit
from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import queries as learning
from portal.learning.queries import GapHolder
from portal.notifications import services as notifications
from portal.planning.models import AnnualPlanStatus, InvitationStatus, PlanInvitation, PlanProgram, WorkshopPlanLink
from portal.planning.services.common import COST_MAX, PlanningError, get_program
from portal.planning.services.proposals import _whole
from portal.workshops import queries as workshop_queries
from portal.workshops import services as workshops
from portal.workshops.models import RegistrationStatus, Workshop, WorkshopStatus

ORIGIN_PREFIX = "program:"
MAX_INVITES = 500

NOTIFICATION_KINDS: dict[str, Any] = {
    "planning.invited": _l(
        "%(actor)s mengundang Anda ke pelatihan %(title)s (kompetensi %(competency)s). Daftar dengan satu klik."
    ),
}

SIGNED_UP = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING})


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(
            kind, message, label=_l("Undangan pelatihan"), email=notifications.EmailChoice.IMMEDIATE
        )


def origin_for(program: PlanProgram) -> str:
    return f"{ORIGIN_PREFIX}{program.id}"


# ---------------------------------------------------------------- the link


def link_of(workshop_id: int) -> WorkshopPlanLink | None:
    return db.session.get(WorkshopPlanLink, workshop_id)


def link_created_workshop(workshop: Workshop, actor: Actor, origin: str) -> WorkshopPlanLink | None:
    """Receiver of ``workshops.workshop-created``: link the new workshop to the program it was created from, if the
    program is in an approved city plan. Runs in the sender's transaction (no commit)."""
    if not origin.startswith(ORIGIN_PREFIX):
        return None
    try:
        program = get_program(int(origin.removeprefix(ORIGIN_PREFIX)))
    except ValueError:
        return None
    if program is None or program.plan.status != AnnualPlanStatus.APPROVED or link_of(workshop.id):
        return None
    link = WorkshopPlanLink(workshop_id=workshop.id, program_id=program.id, created_by_id=actor.id)
    db.session.add(link)
    return link


def set_realised_cost(actor: Actor, workshop: Workshop, cost: Any) -> WorkshopPlanLink:
    if not workshops.can_manage(actor, workshop):
        raise PermissionDenied("workshop.manage")
    link = link_of(workshop.id)
    if link is None:
        raise PlanningError(_l("Pelatihan ini tidak terkait dengan rencana."), "realised_cost")
    value = (
        None
        if cost in (None, "")
        else _whole(
            cost, "realised_cost", 0, COST_MAX * 1000, _l("Biaya realisasi harus bilangan bulat rupiah, tidak negatif.")
        )
    )
    link.realised_cost = value
    audit.record(actor, "planning.realised_cost", workshop, cost=value)
    db.session.commit()
    return link


# ---------------------------------------------------------------- the invite list


@dataclass(frozen=True)
class Candidate:
    holder: GapHolder
    invitation: PlanInvitation | None
    registration: RegistrationStatus | None

    @property
    def invited(self) -> bool:
        return self.invitation is not None and self.invitation.status == InvitationStatus.INVITED

    @property
    def signed_up(self) -> bool:
        return self.registration in SIGNED_UP


@dataclass
class InviteList:
    workshop: Workshop
    program: PlanProgram | None
    candidates: list[Candidate]
    quota_left: dict[int, int | None]  # unit id -> places left (None: no quota, the program has none)

    def left_for(self, unit_id: int | None) -> int | None:
        return self.quota_left.get(unit_id or 0)


def _invitations(workshop_id: int) -> dict[int, PlanInvitation]:
    stmt = select(PlanInvitation).where(PlanInvitation.workshop_id == workshop_id)
    return {inv.user_id: inv for inv in db.session.scalars(stmt)}


def _taken_by_unit(invitations: dict[int, PlanInvitation]) -> Counter[int]:
    return Counter(inv.unit_id or 0 for inv in invitations.values() if inv.status == InvitationStatus.INVITED)


def _competency_ids(workshop: Workshop, program: PlanProgram | None) -> list[int]:
    ids = [c.id for c in workshop.competencies]
    if program is not None and program.competency_id not in ids:
        ids.append(program.competency_id)
    return ids


def _quota_left(program: PlanProgram | None, taken: Counter[int], unit_ids: set[int]) -> dict[int, int | None]:
    if program is None:
        return dict.fromkeys(unit_ids)
    return {unit_id: max(0, program.quota_of(unit_id) - taken[unit_id]) for unit_id in unit_ids}


def invite_list(
    actor: Actor, workshop: Workshop, unit_id: int | None = None, position_id: int | None = None
) -> InviteList:
    if not workshops.can_manage(actor, workshop):
        raise PermissionDenied("workshop.manage")
    link = link_of(workshop.id)
    program = link.program if link else None
    holders = learning.people_with_gap(_competency_ids(workshop, program), unit_id, position_id)
    invitations = _invitations(workshop.id)
    statuses = workshop_queries.registration_statuses(workshop.id, [h.user.id for h in holders])
    candidates = [Candidate(h, invitations.get(h.user.id), statuses.get(h.user.id)) for h in holders]
    unit_ids = {h.user.unit_id or 0 for h in holders}
    return InviteList(workshop, program, candidates, _quota_left(program, _taken_by_unit(invitations), unit_ids))


def invite(actor: Actor, workshop: Workshop, user_ids: Sequence[int]) -> int:
    """Invite these people (each must be on the invite list and not yet invited); per OPD within its quota."""
    if not workshops.can_manage(actor, workshop):
        raise PermissionDenied("workshop.manage")
    if workshop.status not in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED) or workshop.ends_at <= utcnow():
        raise PlanningError(_l("Undangan hanya untuk pelatihan yang belum berakhir."), "users")
    wanted = list(dict.fromkeys(user_ids))[:MAX_INVITES]
    if not wanted:
        raise PlanningError(_l("Pilih pegawai yang akan diundang."), "users")
    write_transaction(db.session())
    link = link_of(workshop.id)
    program = link.program if link else None
    holders = {h.user.id: h for h in learning.people_with_gap(_competency_ids(workshop, program))}
    invitations = _invitations(workshop.id)
    if any(uid not in holders for uid in wanted):
        raise PlanningError(_l("Hanya pegawai dalam daftar undangan yang bisa diundang."), "users")
    fresh = [uid for uid in wanted if uid not in invitations or invitations[uid].status != InvitationStatus.INVITED]
    if not fresh:
        raise PlanningError(_l("Pegawai yang dipilih sudah diundang."), "users")
    if program is not None:
        taken = _taken_by_unit(invitations)
        asked = Counter(holders[uid].user.unit_id or 0 for uid in fresh)
        for unit_id, count in asked.items():
            left = max(0, program.quota_of(unit_id) - taken[unit_id])
            if count > left:
                unit = holders[next(u for u in fresh if (holders[u].user.unit_id or 0) == unit_id)].user.unit
                raise PlanningError(
                    _l(
                        "Kuota %(unit)s di rencana tinggal %(left)d orang; Anda memilih %(count)d.",
                        unit=unit.name if unit else "—",
                        left=left,
                        count=count,
                    ),
                    "users",
                )
    now = utcnow()
    for uid in fresh:
        invitation = invitations.get(uid)
        if invitation is None:
            invitation = PlanInvitation(workshop_id=workshop.id, user_id=uid)
            db.session.add(invitation)
        invitation.status = InvitationStatus.INVITED
        invitation.unit_id = holders[uid].user.unit_id
        invitation.invited_by_id = actor.id
        invitation.invited_at = now
        invitation.declined_at = None
    competency = next((c for c in workshop.competencies), None) or (program.competency if program else None)
    notifications.notify(
        fresh,
        "planning.invited",
        workshops.workshop_url(workshop) + "#registration-box",
        actor=accounts.get_user(actor.id),  # the name the message shows
        title=workshop.title,
        competency=str(competency or ""),
    )
    audit.record(actor, "planning.invite", workshop, users=len(fresh))
    db.session.commit()
    return len(fresh)


def invitation_of(user: Actor, workshop_id: int) -> PlanInvitation | None:
    stmt = select(PlanInvitation).where(PlanInvitation.workshop_id == workshop_id, PlanInvitation.user_id == user.id)
    return db.session.scalar(stmt)


def decline(user: Actor, workshop_id: int) -> PlanInvitation:
    """The invitee declines (frees the place in the OPD's quota). Signing up stays possible."""
    invitation = invitation_of(user, workshop_id)
    if invitation is None:
        raise PlanningError(_l("Anda tidak diundang ke pelatihan ini."), "invitation")
    if invitation.status == InvitationStatus.DECLINED:
        return invitation
    invitation.status = InvitationStatus.DECLINED
    invitation.declined_at = utcnow()
    db.session.commit()
    return invitation


@dataclass
class InvitationSummary:
    invited: list[PlanInvitation]  # waiting for an answer
    signed_up: list[PlanInvitation]
    declined: list[PlanInvitation]


def summary(workshop: Workshop) -> InvitationSummary:
    invitations = sorted(_invitations(workshop.id).values(), key=lambda inv: (inv.user.name, inv.id))
    statuses = workshop_queries.registration_statuses(workshop.id, [inv.user_id for inv in invitations])
    result = InvitationSummary([], [], [])
    for inv in invitations:
        if statuses.get(inv.user_id) in SIGNED_UP:
            result.signed_up.append(inv)
        elif inv.status == InvitationStatus.DECLINED:
            result.declined.append(inv)
        else:
            result.invited.append(inv)
    return result
