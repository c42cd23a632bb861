"""Development plans: writing, submitting, deciding (with notifications), read-only rules, done vs planned JP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.models import DevelopmentPlan, LearningSource, LearningStatus, PlanItem, PlanStatus
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code, local_today, plans
from portal.learning.services.plans import ItemInput, PlanError
from portal.notifications.models import Notification
from portal.workshops.services import to_local
from tests.conftest import login
from tests.learning.profile_helpers import add_catalogue, add_position, add_record, add_workshop, assess


@pytest.fixture
def year() -> int:
    return local_today().year


@pytest.fixture
def catalogue():
    upsert_development_types()
    return add_catalogue()


@pytest.fixture
def boss(make_user):
    return make_user(name="Bapak Atasan")


@pytest.fixture
def owner(make_user, boss, catalogue):
    position = add_position("PLK-1", {catalogue["M.01"]: 3, catalogue["M.05"]: 2}, name="Pengelola Layanan")
    user = make_user(name="Sari Pelaksana", supervisor_id=boss.id, position_id=position.id)
    assess(user, catalogue["M.01"], 1)  # gap 2
    assess(user, catalogue["M.05"], 2)  # met
    return user


def _coaching(jp: int = 4, **fields) -> ItemInput:
    return ItemInput(
        title=fields.pop("title", "Coaching penyusunan SOP"),
        development_type_id=get_development_type_by_code("NKL01").id,
        planned_jp=jp,
        planned_month=fields.pop("month", 3),
        **fields,
    )


def _kinds(user) -> list[str]:
    stmt = select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    return list(db.session.scalars(stmt))


def _ready_plan(owner, year, catalogue) -> DevelopmentPlan:
    plans.save(owner, year, [catalogue["M.01"].id])
    plans.add_item(owner, year, _coaching())
    return plans.plan_for(owner, year)


# ---------------------------------------------------------------- writing


def test_suggestion_is_the_gap_competencies(owner, catalogue):
    assert plans.suggested_competencies(owner) == [catalogue["M.01"]]


def test_save_and_add_items(owner, year, catalogue, make_user):
    plan = plans.save(owner, year, [catalogue["M.05"].id, catalogue["M.01"].id, catalogue["M.01"].id], " Prioritas ")
    assert ([c.code for c in plan.competencies], plan.note, plan.status) == (["M.01", "M.05"], "Prioritas", "draft")
    free = plans.add_item(owner, year, _coaching(competency_id=catalogue["M.01"].id))
    workshop = add_workshop(make_user(Role.ORGANIZER), [catalogue["M.05"], catalogue["M.01"]])
    from_catalogue = plans.add_item(owner, year, ItemInput(workshop_id=workshop.id))
    starts = to_local(workshop.starts_at)
    assert (from_catalogue.title, from_catalogue.planned_jp, from_catalogue.development_type_id) == (
        workshop.title,
        workshop.jp,
        workshop.development_type_id,
    )
    assert from_catalogue.planned_month == (starts.month if starts.year == year else None)
    assert from_catalogue.competency_id == catalogue["M.01"].id  # the first competency both target
    assert [i.position for i in plans.plan_for(owner, year).items] == [free.position, from_catalogue.position]
    with pytest.raises(PlanError, match="sudah ada di rencana"):
        plans.add_item(owner, year, ItemInput(workshop_id=workshop.id))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ItemInput(title="Ab", development_type_id=None, planned_jp=2), "title"),
        (ItemInput(title="Belajar mandiri", development_type_id=None, planned_jp=2), "development_type_id"),
        (ItemInput(title="Belajar mandiri", planned_jp=0), "development_type_id"),
        ("jp0", "planned_jp"),
        ("jp999", "planned_jp"),
        ("month13", "planned_month"),
        (ItemInput(workshop_id=987654), "workshop_id"),
    ],
)
def test_bad_items_write_nothing_not_even_the_plan(owner, year, catalogue, data, field):
    if isinstance(data, str):
        data = {"jp0": _coaching(jp=0), "jp999": _coaching(jp=999), "month13": _coaching(month=13)}[data]
    with pytest.raises(PlanError) as caught:
        plans.add_item(owner, year, data)
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(DevelopmentPlan)) == 0


def test_draft_workshops_cannot_be_planned(owner, year, catalogue, make_user):
    draft = add_workshop(make_user(Role.ORGANIZER), [catalogue["M.01"]], publish=False)
    with pytest.raises(PlanError, match="tidak ditemukan"):
        plans.add_item(owner, year, ItemInput(workshop_id=draft.id))


def test_plans_only_for_this_year_and_next(owner, year, catalogue):
    plans.save(owner, year + 1, [catalogue["M.01"].id])
    with pytest.raises(PlanError, match="tahun ini dan tahun depan"):
        plans.save(owner, year - 1, [catalogue["M.01"].id])
    with pytest.raises(PlanError, match="tahun ini dan tahun depan"):
        plans.save(owner, year + 2, [])


def test_unknown_competency_refused(owner, year):
    with pytest.raises(PlanError, match="katalog"):
        plans.save(owner, year, [987654])


def test_other_peoples_items_are_not_found(owner, year, catalogue, make_user):
    item = plans.add_item(owner, year, _coaching())
    stranger = make_user()
    with pytest.raises(plans.PlanNotFound):
        plans.remove_item(stranger, item.id)
    with pytest.raises(plans.PlanNotFound):
        plans.link_record(stranger, item.id, None)


# ---------------------------------------------------------------- submitting and deciding


def test_submit_needs_competencies_and_items(owner, year, catalogue):
    with pytest.raises(PlanError, match="kompetensi sasaran"):
        plans.submit(owner, year)
    assert db.session.scalar(select(DevelopmentPlan)) is None
    plans.save(owner, year, [catalogue["M.01"].id])
    with pytest.raises(PlanError, match="minimal satu kegiatan"):
        plans.submit(owner, year)


def test_full_flow_with_supervisor(owner, boss, year, catalogue, make_user):
    plan = _ready_plan(owner, year, catalogue)
    plans.submit(owner, year)
    assert plan.status == PlanStatus.SUBMITTED
    note = db.session.scalar(select(Notification).where(Notification.user_id == boss.id))
    assert (note.kind, note.url) == ("plan.submitted", f"/rencana-pengembangan/pegawai/{owner.id}?tahun={year}")
    assert plans.awaiting(boss) == [plan]
    with pytest.raises(PlanError, match="tidak dapat diubah"):
        plans.add_item(owner, year, _coaching())
    colleague, admin = make_user(), make_user(Role.ADMIN)
    for outsider in (colleague, admin, owner):  # with a supervisor, only the supervisor decides
        with pytest.raises(PermissionDenied):
            plans.approve(outsider, plan)
    assert plans.awaiting(admin) == []
    plans.approve(boss, plan, "Lanjutkan.")
    assert (plan.status, plan.decided_by_id, plan.supervisor_note) == (PlanStatus.APPROVED, boss.id, "Lanjutkan.")
    assert _kinds(owner) == ["plan.approved"]
    with pytest.raises(PlanError, match="tidak dapat diubah"):
        plans.save(owner, year, [])
    with pytest.raises(PlanError, match="sedang diajukan"):
        plans.approve(boss, plan)
    with pytest.raises(PlanError, match="perlu diperbaiki"):
        plans.return_plan(boss, plan, "ok")
    plans.return_plan(boss, plan, "Tambahkan kegiatan e-learning.")  # an approved plan can be reopened
    assert plan.status == PlanStatus.RETURNED
    assert _kinds(owner) == ["plan.approved", "plan.returned"]
    returned = db.session.scalars(select(Notification).where(Notification.kind == "plan.returned")).one()
    assert (
        returned.params["note"] == "Tambahkan kegiatan e-learning."
        and returned.url == f"/rencana-pengembangan?tahun={year}"
    )
    plans.add_item(owner, year, _coaching(title="E-learning pelayanan publik"))  # editable again
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["plan.approve", "plan.return"]


def test_withdraw_a_waiting_plan(owner, year, catalogue):
    _ready_plan(owner, year, catalogue)
    with pytest.raises(PlanError, match="menunggu persetujuan"):
        plans.withdraw(owner, year)
    plans.submit(owner, year)
    assert plans.withdraw(owner, year).status == PlanStatus.DRAFT


def test_without_supervisor_bkpsdm_decides(make_user, year, catalogue):
    admin = make_user(Role.ADMIN, name="Verifikator BKPSDM")
    owner = make_user(name="Tanpa Atasan")
    plan = _ready_plan(owner, year, catalogue)
    plans.submit(owner, year)
    assert _kinds(admin) == ["plan.submitted"]
    assert plans.awaiting(admin) == [plan]
    with pytest.raises(PermissionDenied):
        plans.approve(make_user(Role.MODERATOR), plan)
    plans.approve(admin, plan)
    assert plan.status == PlanStatus.APPROVED


def test_an_inactive_supervisor_hands_over_to_bkpsdm(owner, boss, make_user, year, catalogue):
    admin = make_user(Role.ADMIN)
    boss.active = False
    db.session.commit()
    assert plans.approvers(owner) == [admin]
    plan = _ready_plan(owner, year, catalogue)
    plans.submit(owner, year)
    assert plans.awaiting(admin) == [plan]


# ---------------------------------------------------------------- done vs planned


def test_done_vs_planned_counts_each_record_once(owner, year, catalogue, make_user):
    plans.save(owner, year, [catalogue["M.01"].id])
    free = plans.add_item(owner, year, _coaching(jp=4))
    workshop = add_workshop(make_user(Role.ORGANIZER), [catalogue["M.01"]])
    from_catalogue = plans.add_item(owner, year, ItemInput(workshop_id=workshop.id, planned_jp=5))
    plan = plans.plan_for(owner, year)
    assert (plans.progress(plan).planned_jp, plans.progress(plan).done_jp) == (9, 0)

    coaching = add_record(owner, 6, date(year, 1, 20), title="Coaching SOP")
    pending = add_record(owner, 3, date(year, 1, 21), status=LearningStatus.SUBMITTED)
    last_year = add_record(owner, 3, date(year - 1, 12, 1))
    strangers = add_record(make_user(), 3, date(year, 1, 21))
    for record, message in (
        (pending, "terverifikasi"),
        (last_year, "tahun lain"),
        (strangers, "rekam jejak belajar Anda"),
    ):
        with pytest.raises(PlanError, match=message):
            plans.link_record(owner, free.id, record.id)
    assert [r.id for r in plans.linkable_records(plan)] == [coaching.id]
    plans.link_record(owner, free.id, coaching.id)
    progress = plans.progress(plan)
    assert (progress.done_jp, [row.done for row in progress.items]) == (6, [True, False])
    assert plans.linkable_records(plan) == []

    # Attendance credited by the workshop marks its item done without any link.
    attendance = add_record(
        owner, 5, date(year, 1, 25), workshop_id=workshop.id, source=LearningSource.ATTENDANCE, title=workshop.title
    )
    progress = plans.progress(plan)
    assert (progress.done_jp, [(row.done, row.automatic) for row in progress.items]) == (
        11,
        [(True, False), (True, True)],
    )
    assert progress.percent == 100

    # The same record linked to the free item too still counts once.
    plans.link_record(owner, free.id, attendance.id)
    assert plans.progress(plan).done_jp == 5
    with pytest.raises(PlanError, match="sudah ditautkan"):
        plans.link_record(owner, from_catalogue.id, attendance.id)
    plans.link_record(owner, free.id, None)
    assert plans.progress(plan).done_jp == 5


def test_linking_works_on_an_approved_plan(owner, boss, year, catalogue):
    plan = _ready_plan(owner, year, catalogue)
    plans.submit(owner, year)
    plans.approve(boss, plan)
    record = add_record(owner, 4, date(year, 2, 1))
    plans.link_record(owner, plan.items[0].id, record.id)
    assert plans.progress(plan).done_jp == 4


# ---------------------------------------------------------------- pages


def test_own_plan_page_prefills_the_gaps(login_as, catalogue, year):
    position = add_position("PLK-2", {catalogue["M.03"]: 3})
    client = login_as(Role.MEMBER, position_id=position.id)
    assess(client.user, catalogue["M.03"], 1)
    page = client.get("/rencana-pengembangan").get_data(as_text=True)
    assert f"Rencana Pengembangan Kompetensi {year}" in page
    assert "M.03 Komunikasi · kesenjangan" in page
    assert f'value="{catalogue["M.03"].id}" id="competencies-' in page
    checked = page.split(f'value="{catalogue["M.03"].id}" id="competencies-')[1].split(">")[0]
    assert "checked" in checked


def _client_for(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_plan_pages_flow(app, owner, boss, year, catalogue, login_as):
    me = _client_for(app, owner)
    saved = me.post(
        f"/rencana-pengembangan/{year}/kompetensi", data={"competencies": [catalogue["M.01"].id], "note": ""}
    )
    assert saved.status_code == 302
    htmx = {"HX-Request": "true"}
    refused = me.post(f"/rencana-pengembangan/{year}/kegiatan", data={"title": "Ab"}, headers=htmx)
    assert refused.status_code == 200 and "Nama kegiatan harus 3-200 karakter." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PlanItem)) == 0
    added = me.post(
        f"/rencana-pengembangan/{year}/kegiatan",
        data={
            "title": "Mentoring analisis data",
            "development_type_id": get_development_type_by_code("NKL02").id,
            "planned_jp": "4",
            "planned_month": "5",
        },
        headers=htmx,
    )
    text = added.get_data(as_text=True)
    assert "Mentoring analisis data" in text and "Mei" in text and "<html" not in text
    bad_plain = me.post(f"/rencana-pengembangan/{year}/kegiatan", data={"title": "Belajar"})
    assert bad_plain.status_code == 400
    assert me.post(f"/rencana-pengembangan/{year}/ajukan").status_code == 302
    assert _kinds(boss) == ["plan.submitted"]
    plan = plans.plan_for(owner, year)

    assert login_as(Role.MEMBER).get(f"/rencana-pengembangan/pegawai/{owner.id}").status_code == 404
    assert login_as(Role.MEMBER).post(f"/rencana-pengembangan/keputusan/{plan.id}/setujui").status_code == 404
    assert me.post(f"/rencana-pengembangan/keputusan/{plan.id}/setujui").status_code == 403
    supervisor = _client_for(app, boss)
    page = supervisor.get(f"/rencana-pengembangan/pegawai/{owner.id}?tahun={year}").get_data(as_text=True)
    assert "Keputusan atasan" in page and "Mentoring analisis data" in page
    no_note = supervisor.post(f"/rencana-pengembangan/keputusan/{plan.id}/kembalikan", data={"note": ""})
    assert no_note.status_code == 400 and "perlu diperbaiki" in no_note.get_data(as_text=True)
    assert plan.status == PlanStatus.SUBMITTED
    approved = supervisor.post(f"/rencana-pengembangan/keputusan/{plan.id}/setujui", data={"note": ""})
    assert approved.status_code == 302 and plan.status == PlanStatus.APPROVED
    assert "Disetujui" in me.get(f"/rencana-pengembangan?tahun={year}").get_data(as_text=True)
    assert login_as(Role.ADMIN).get(f"/rencana-pengembangan/pegawai/{owner.id}").status_code == 200

    record = add_record(owner, 4, date(year, 2, 3), title="Mentoring bersama Kabid")
    linked = me.post(
        f"/rencana-pengembangan/kegiatan/{plan.items[0].id}/tautkan", data={"record_id": record.id}, headers=htmx
    )
    assert "Kegiatan ditandai terlaksana." in linked.get_data(as_text=True)
    assert plans.progress(plan).done_jp == 4
    other = login_as(Role.MEMBER)
    assert other.post(f"/rencana-pengembangan/kegiatan/{plan.items[0].id}/tautkan", data={}).status_code == 404
    removed = me.post(f"/rencana-pengembangan/kegiatan/{plan.items[0].id}/hapus", headers=htmx)
    assert "tidak dapat diubah" in removed.get_data(as_text=True)
    assert len(plan.items) == 1
