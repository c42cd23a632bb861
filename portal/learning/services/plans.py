"""Development plans (rencana pengembangan kompetensi): one per ASN and year, approved by the supervisor.

The ASN picks target competencies (suggested from their gaps) and planned activities (a workshop from the
catalogue, or free text with a development type), then submits. The direct supervisor approves or returns it
with a note; an ASN without an (active) supervisor is decided by BKPSDM (``VIEW_ALL_LEARNING``). Both sides are
notified. Draft and returned plans are editable; a submitted or approved plan is not, until it is returned
(or, while still waiting, withdrawn by its owner).

Done vs planned: an item is done when it is linked to one of the owner's verified learning records, or, for a
workshop item, when the owner has a verified attendance record for that workshop. Done JP counts each record once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.competencies.models import Competency
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import services as learning
from portal.learning.models import DevelopmentPlan, LearningRecord, LearningStatus, PlanItem, PlanStatus
from portal.learning.services import oversight, profile
from portal.notifications import services as notifications
from portal.workshops import services as workshops
from portal.workshops.models import WorkshopStatus

EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
NOTE_MAX, DECISION_NOTE_MIN, DECISION_NOTE_MAX = 2000, 5, 1000
TITLE_MIN, TITLE_MAX, ITEM_JP_MAX, MAX_ITEMS, MAX_COMPETENCIES = 3, 200, 200, 40, 20

STATUS_LABELS: dict[PlanStatus, Any] = {
    PlanStatus.DRAFT: _l("Draf"),
    PlanStatus.SUBMITTED: _l("Menunggu persetujuan"),
    PlanStatus.APPROVED: _l("Disetujui"),
    PlanStatus.RETURNED: _l("Dikembalikan untuk diperbaiki"),
}

NOTIFICATION_KINDS: dict[str, Any] = {
    "plan.submitted": _l("%(actor)s mengajukan rencana pengembangan kompetensi tahun %(year)s untuk disetujui."),
    "plan.approved": _l("%(actor)s menyetujui rencana pengembangan kompetensi Anda tahun %(year)s."),
    "plan.returned": _l("%(actor)s mengembalikan rencana pengembangan kompetensi Anda tahun %(year)s: %(note)s"),
}


class PlanError(RuleError):
    """A plan rule was broken."""


class PlanNotFound(LookupError):
    """No such plan item for this user (answer 404)."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


# ---------------------------------------------------------------- reading


def planning_years(today: date | None = None) -> list[int]:
    """The years a plan may be written or changed for: this year and the next (plans are made ahead)."""
    year = (today or learning.local_today()).year
    return [year, year + 1]


def _with_details(stmt):
    return stmt.options(
        selectinload(DevelopmentPlan.competencies),
        selectinload(DevelopmentPlan.items).selectinload(PlanItem.record),
        selectinload(DevelopmentPlan.items).selectinload(PlanItem.development_type),
        selectinload(DevelopmentPlan.items).selectinload(PlanItem.competency),
    )


def plan_for(owner: Actor, year: int) -> DevelopmentPlan | None:
    stmt = select(DevelopmentPlan).where(DevelopmentPlan.user_id == owner.id, DevelopmentPlan.year == year)
    return db.session.scalar(_with_details(stmt))


def get(plan_id: int) -> DevelopmentPlan | None:
    return db.session.scalar(_with_details(select(DevelopmentPlan).where(DevelopmentPlan.id == plan_id)))


def plans_by_user(user_ids: Sequence[int], year: int) -> dict[int, DevelopmentPlan]:
    if not user_ids:
        return {}
    stmt = select(DevelopmentPlan).where(DevelopmentPlan.user_id.in_(list(user_ids)), DevelopmentPlan.year == year)
    return {plan.user_id: plan for plan in db.session.scalars(stmt)}


def is_editable(plan: DevelopmentPlan | None, year: int) -> bool:
    return year in planning_years() and (plan is None or plan.status in EDITABLE)


def suggested_competencies(owner: User) -> list[Competency]:
    """The competencies below the position's standard, largest gap first: the plan's starting point."""
    return [gap.competency for gap in profile.gaps_for(owner) if gap.has_gap]


# ---------------------------------------------------------------- done vs planned


@dataclass(frozen=True)
class ItemProgress:
    item: PlanItem
    record: LearningRecord | None  # the verified record that carried it out
    automatic: bool = False  # found through the workshop's attendance, not linked by the ASN

    @property
    def done(self) -> bool:
        return self.record is not None


@dataclass(frozen=True)
class PlanProgress:
    items: list[ItemProgress]
    planned_jp: int
    done_jp: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done_jp / self.planned_jp)) if self.planned_jp else 0


def _verified(record: LearningRecord | None) -> LearningRecord | None:
    return record if record is not None and record.status == LearningStatus.VERIFIED else None


def progress(plan: DevelopmentPlan) -> PlanProgress:
    rows = []
    for item in plan.items:
        record, automatic = _verified(item.record), False
        if record is None and item.workshop_id:
            record = _verified(learning.attendance_record(plan.user_id, item.workshop_id))
            automatic = record is not None
        rows.append(ItemProgress(item, record, automatic))
    done = {row.record.id: row.record.jp for row in rows if row.record is not None}
    return PlanProgress(rows, planned_jp=sum(item.planned_jp for item in plan.items), done_jp=sum(done.values()))


def linkable_records(plan: DevelopmentPlan) -> list[LearningRecord]:
    """The owner's verified records of the plan's year not yet linked to another item of the plan."""
    linked = {item.record_id for item in plan.items if item.record_id}
    owner = db.session.get_one(User, plan.user_id)  # the plan's owner (a non-null foreign key)
    return [
        record
        for record in learning.records_for(owner, plan.year)
        if record.status == LearningStatus.VERIFIED and record.id not in linked
    ]


# ---------------------------------------------------------------- the owner's changes


def _check_year(year: int) -> int:
    if year not in planning_years():
        raise PlanError(_l("Rencana hanya dapat disusun untuk tahun ini dan tahun depan."))
    return year


def _editable_plan(user: User, year: int) -> DevelopmentPlan:
    """The user's plan for the year, created as a draft when there is none; refused when it is not editable."""
    _check_year(year)
    plan = plan_for(user, year)
    if plan is None:
        plan = DevelopmentPlan(user_id=user.id, year=year, status=PlanStatus.DRAFT)
        db.session.add(plan)
        try:
            db.session.flush()
        except IntegrityError:  # created by a second request at the same moment
            db.session.rollback()
            plan = plan_for(user, year)
            assert plan is not None  # the other request's plan
    if plan.status not in EDITABLE:
        raise PlanError(_l("Rencana yang sudah diajukan atau disetujui tidak dapat diubah."))
    return plan


@contextmanager
def _all_or_nothing() -> Iterator[None]:
    """A refused change leaves nothing behind, not even the draft plan created for it."""
    try:
        yield
    except PlanError:
        db.session.rollback()
        raise


def _touch(plan: DevelopmentPlan) -> None:
    plan.updated_at = utcnow()


def save(user: User, year: int, competency_ids: Sequence[int], note: str = "") -> DevelopmentPlan:
    """Set the plan's target competencies and the ASN's note."""
    ids = list(dict.fromkeys(int(i) for i in competency_ids))
    if len(ids) > MAX_COMPETENCIES:
        raise PlanError(_l("Pilih paling banyak %(n)d kompetensi.", n=MAX_COMPETENCIES), "competencies")
    chosen = list(db.session.scalars(select(Competency).where(Competency.id.in_(ids)))) if ids else []
    text = (note or "").strip()
    with _all_or_nothing():
        plan = _editable_plan(user, year)
        kept = {c.id for c in plan.competencies}
        if len(chosen) != len(ids) or any(not c.is_active and c.id not in kept for c in chosen):
            raise PlanError(_l("Pilih kompetensi dari katalog."), "competencies")
        if len(text) > NOTE_MAX:
            raise PlanError(_l("Catatan maksimal %(max)d karakter.", max=NOTE_MAX), "note")
    plan.competencies = sorted(chosen, key=lambda c: c.code)
    plan.note = text
    _touch(plan)
    db.session.commit()
    return plan


@dataclass
class ItemInput:
    title: str = ""
    development_type_id: int | None = None
    competency_id: int | None = None
    workshop_id: int | None = None
    planned_jp: int | None = None
    planned_month: int | None = None


def _check_month(month: int | None) -> int | None:
    if month in (None, 0):
        return None
    if not 1 <= month <= 12:
        raise PlanError(_l("Pilih bulan Januari sampai Desember."), "planned_month")
    return month


def _check_jp(jp: int | None, required: bool) -> int:
    if jp is None and not required:
        return 0
    if jp is None or not 1 <= jp <= ITEM_JP_MAX:
        raise PlanError(_l("JP rencana harus 1 sampai %(max)d.", max=ITEM_JP_MAX), "planned_jp")
    return jp


def _check_item_competency(competency_id: int | None) -> int | None:
    if not competency_id:
        return None
    competency = db.session.get(Competency, competency_id)
    if competency is None or not competency.is_active:
        raise PlanError(_l("Pilih kompetensi dari katalog."), "competency_id")
    return competency.id


def _workshop_values(user: User, plan: DevelopmentPlan, data: ItemInput) -> dict[str, Any]:
    assert data.workshop_id is not None  # add_item asks for these only with a workshop
    workshop = workshops.get(data.workshop_id)
    if workshop is None or workshop.status != WorkshopStatus.PUBLISHED or not workshops.can_view(user, workshop):
        raise PlanError(_l("Pelatihan tidak ditemukan atau tidak dibuka lagi."), "workshop_id")
    if any(item.workshop_id == workshop.id for item in plan.items):
        raise PlanError(_l("Pelatihan ini sudah ada di rencana."), "workshop_id")
    starts = to_local(workshop.starts_at)
    taught = [c.id for c in workshop.competencies]
    targeted = next((c.id for c in plan.competencies if c.id in taught), None)
    return {
        "title": workshop.title[:TITLE_MAX],
        "workshop_id": workshop.id,
        "development_type_id": workshop.development_type_id,
        "competency_id": _check_item_competency(data.competency_id) or targeted or (taught[0] if taught else None),
        "planned_jp": _check_jp(data.planned_jp, required=False) or workshop.jp,
        "planned_month": starts.month if starts.year == plan.year else None,
    }


def _free_values(data: ItemInput) -> dict[str, Any]:
    title = " ".join((data.title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise PlanError(_l("Nama kegiatan harus %(min)d-%(max)d karakter.", min=TITLE_MIN, max=TITLE_MAX), "title")
    development_type = learning.get_development_type(data.development_type_id)
    if development_type is None or not development_type.is_active:
        raise PlanError(_l("Pilih jenis pengembangan kompetensi."), "development_type_id")
    return {
        "title": title,
        "workshop_id": None,
        "development_type_id": development_type.id,
        "competency_id": _check_item_competency(data.competency_id),
        "planned_jp": _check_jp(data.planned_jp, required=True),
        "planned_month": _check_month(data.planned_month),
    }


def add_item(user: User, year: int, data: ItemInput) -> PlanItem:
    """Add a planned activity: a catalogue workshop when ``workshop_id`` is given, otherwise free text."""
    with _all_or_nothing():
        plan = _editable_plan(user, year)
        if len(plan.items) >= MAX_ITEMS:
            raise PlanError(_l("Rencana berisi paling banyak %(n)d kegiatan.", n=MAX_ITEMS))
        values = _workshop_values(user, plan, data) if data.workshop_id else _free_values(data)
    item = PlanItem(position=max((i.position for i in plan.items), default=0) + 1, **values)
    plan.items.append(item)
    _touch(plan)
    db.session.commit()
    return item


def own_item(user: Actor, item_id: int) -> PlanItem:
    """One of the user's plan items; PlanNotFound (404) for anyone else's."""
    item = db.session.get(PlanItem, item_id) if item_id else None
    if item is None or item.plan.user_id != user.id:
        raise PlanNotFound(item_id)
    return item


def remove_item(user: User, item_id: int) -> DevelopmentPlan:
    item = own_item(user, item_id)
    plan = _editable_plan(user, item.plan.year)
    plan.items.remove(item)
    _touch(plan)
    db.session.commit()
    return plan


def link_record(user: User, item_id: int, record_id: int | None) -> PlanItem:
    """Mark an item done by the verified record that carried it out (None: unlink). Allowed in any status."""
    item = own_item(user, item_id)
    if not record_id:
        item.record_id = None
        db.session.commit()
        return item
    record = db.session.get(LearningRecord, record_id)
    if record is None or record.user_id != user.id:
        raise PlanError(_l("Pilih kegiatan dari rekam jejak belajar Anda."), "record_id")
    if record.status != LearningStatus.VERIFIED:
        raise PlanError(_l("Hanya kegiatan yang sudah terverifikasi yang dapat ditautkan."), "record_id")
    if record.year != item.plan.year:
        raise PlanError(_l("Kegiatan itu tercatat di tahun lain."), "record_id")
    if any(other.record_id == record.id and other.id != item.id for other in item.plan.items):
        raise PlanError(_l("Kegiatan itu sudah ditautkan ke rencana lain di daftar ini."), "record_id")
    item.record_id = record.id
    db.session.commit()
    return item


# ---------------------------------------------------------------- submitting and deciding


def approvers(owner: User) -> list[User]:
    """Who decides the owner's plan: the active supervisor, otherwise BKPSDM."""
    supervisor = oversight.active_supervisor(owner)
    if supervisor is not None:
        return [supervisor]
    return [user for user in oversight.bkpsdm_staff() if user.id != owner.id]


def can_decide(viewer: Actor, plan: DevelopmentPlan) -> bool:
    if not getattr(viewer, "is_authenticated", False) or not getattr(viewer, "is_active", False):
        return False
    return viewer.id != plan.user_id and any(user.id == viewer.id for user in approvers(plan.user))


def submit(user: User, year: int) -> DevelopmentPlan:
    with _all_or_nothing():
        plan = _editable_plan(user, year)
        if not plan.competencies:
            raise PlanError(_l("Pilih minimal satu kompetensi sasaran sebelum mengajukan."), "competencies")
        if not plan.items:
            raise PlanError(_l("Tambahkan minimal satu kegiatan sebelum mengajukan."))
        recipients = approvers(user)
        if not recipients:
            raise PlanError(_l("Belum ada atasan atau petugas BKPSDM yang dapat menyetujui rencana ini."))
    plan.status, plan.submitted_at = PlanStatus.SUBMITTED, utcnow()
    _touch(plan)
    url = learning.path_for("learning.plan_of", user_id=user.id, tahun=year)
    notifications.notify(recipients, "plan.submitted", url, actor=user, year=year)
    db.session.commit()
    return plan


def withdraw(user: User, year: int) -> DevelopmentPlan:
    """Take a plan still waiting for a decision back into draft."""
    plan = plan_for(user, year)
    if plan is None or plan.status != PlanStatus.SUBMITTED:
        raise PlanError(_l("Hanya rencana yang sedang menunggu persetujuan yang dapat ditarik."))
    plan.status = PlanStatus.DRAFT
    _touch(plan)
    db.session.commit()
    return plan


def _decide(actor: User, plan: DevelopmentPlan, status: PlanStatus, note: str) -> None:
    plan.status, plan.supervisor_note = status, note
    plan.decided_by_id, plan.decided_at = actor.id, utcnow()
    _touch(plan)
    action = "plan.approve" if status == PlanStatus.APPROVED else "plan.return"
    audit.record(actor, action, plan, label=f"{plan.user.name} {plan.year}", year=plan.year, note=note)
    kind = "plan.approved" if status == PlanStatus.APPROVED else "plan.returned"
    url = learning.path_for("learning.plan", tahun=plan.year)
    notifications.notify([plan.user_id], kind, url, actor=actor, year=plan.year, note=note)
    db.session.commit()


def _check_decider(actor: User, plan: DevelopmentPlan) -> None:
    if not can_decide(actor, plan):
        raise PermissionDenied("learning.plan_decide")


def approve(actor: User, plan: DevelopmentPlan, note: str = "") -> None:
    _check_decider(actor, plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanError(_l("Hanya rencana yang sedang diajukan yang dapat disetujui."))
    text = (note or "").strip()
    if len(text) > DECISION_NOTE_MAX:
        raise PlanError(_l("Catatan maksimal %(max)d karakter.", max=DECISION_NOTE_MAX), "note")
    _decide(actor, plan, PlanStatus.APPROVED, text)


def return_plan(actor: User, plan: DevelopmentPlan, note: str) -> None:
    """Send the plan back for changes (also an approved one), saying what to change."""
    _check_decider(actor, plan)
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise PlanError(_l("Rencana ini belum diajukan."))
    text = (note or "").strip()
    if not DECISION_NOTE_MIN <= len(text) <= DECISION_NOTE_MAX:
        raise PlanError(
            _l(
                "Tulis apa yang perlu diperbaiki (%(min)d-%(max)d karakter).",
                min=DECISION_NOTE_MIN,
                max=DECISION_NOTE_MAX,
            ),
            "note",
        )
    _decide(actor, plan, PlanStatus.RETURNED, text)


def awaiting(viewer: Actor) -> list[DevelopmentPlan]:
    """Submitted plans the viewer decides: their subordinates', and for BKPSDM those of ASN without a supervisor."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    owner, supervisor = aliased(User), aliased(User)
    stmt = (
        select(DevelopmentPlan)
        .join(owner, owner.id == DevelopmentPlan.user_id)
        .outerjoin(supervisor, supervisor.id == owner.supervisor_id)
        .where(DevelopmentPlan.status == PlanStatus.SUBMITTED, owner.id != viewer.id)
    )
    supervises = (supervisor.id == viewer.id) & supervisor.active.is_(True) & supervisor.is_verified.is_(True)
    if oversight.sees_everyone(viewer):
        unsupervised = supervisor.id.is_(None) | supervisor.active.is_(False) | supervisor.is_verified.is_(False)
        stmt = stmt.where(or_(supervises, unsupervised))
    else:
        stmt = stmt.where(supervises)
    stmt = stmt.order_by(DevelopmentPlan.submitted_at, DevelopmentPlan.id).options(
        selectinload(DevelopmentPlan.user), selectinload(DevelopmentPlan.items)
    )
    return list(db.session.scalars(stmt))
