"""The JP ledger: targets, totals per year (year boundaries), the automatic credit counted once, the pages,
and who may see whose ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import EmploymentStatus
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import AnnualTarget, LearningRecord, LearningSource, LearningStatus, TargetGroup
from portal.learning.services import get_development_type_by_code
from portal.units.models import UnitHead
from portal.workshops import services as workshops
from portal.workshops.services import SessionInput, WorkshopInput
from tests.articles.conftest import counting_queries
from tests.conftest import login
from tests.floor import warm_floor

SUBMITTED, REVISION, VERIFIED, REJECTED = (
    LearningStatus.SUBMITTED,
    LearningStatus.NEEDS_REVISION,
    LearningStatus.VERIFIED,
    LearningStatus.REJECTED,
)


# ---------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (EmploymentStatus.PNS, 20),
        (EmploymentStatus.CPNS, 20),
        (EmploymentStatus.PPPK, 24),
        (EmploymentStatus.PPPK_PART_TIME, 24),
    ],
)
def test_default_target_by_employment_status(make_user, status, expected):
    assert services.target_for(make_user(employment_status=status), 2025) == expected


def test_a_years_target_row_overrides_the_default_for_that_year_only(make_user):
    pns, cpns, pppk = (make_user(employment_status=s) for s in ("PNS", "CPNS", "PPPK"))
    db.session.add(AnnualTarget(year=2025, group=TargetGroup.PNS, jp=22))
    db.session.commit()
    assert [services.target_for(u, 2025) for u in (pns, cpns, pppk)] == [22, 22, 24]
    assert services.target_for(pns, 2024) == 20
    assert services.targets_for_year(2025) == {TargetGroup.PNS: 22, TargetGroup.PPPK: 24}


def test_settings_change_the_default(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LEARNING_TARGET_PPPK", 30)
    assert services.target_for(make_user(employment_status="PPPK"), 2025) == 30


def test_set_targets_validates_audits_and_is_bkpsdm_only(make_user, verifier):
    from portal.audit.models import AuditEntry
    from portal.core.permissions import PermissionDenied

    year = services.local_today().year
    with pytest.raises(PermissionDenied):
        services.set_targets(make_user(), year, {TargetGroup.PNS: 25})
    with pytest.raises(services.LearningError) as refused:
        services.set_targets(verifier, year, {TargetGroup.PNS: 25, TargetGroup.PPPK: -1})
    assert refused.value.field == "pppk"
    with pytest.raises(services.LearningError):
        services.set_targets(verifier, 1990, {TargetGroup.PNS: 25})
    assert db.session.scalar(select(func.count()).select_from(AnnualTarget)) == 0

    services.set_targets(verifier, year, {TargetGroup.PNS: 25, TargetGroup.PPPK: 24})
    services.set_targets(verifier, year, {TargetGroup.PNS: 26, TargetGroup.PPPK: 24})

    assert services.targets_for_year(year) == {TargetGroup.PNS: 26, TargetGroup.PPPK: 24}
    assert db.session.scalar(select(func.count()).select_from(AnnualTarget)) == 1  # PPPK kept its default
    actions = list(
        db.session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "learning.target").order_by(AuditEntry.id)
        )
    )
    assert [d["jp"] for d in actions] == [25, 26]


# ---------------------------------------------------------------- totals and year boundaries


def test_a_record_counts_for_the_year_it_ended(development_types, make_user, make_record):
    user = make_user()
    make_record(user, end=date(2024, 12, 31), jp=5)
    make_record(user, start=date(2024, 12, 31), end=date(2025, 1, 1), jp=7)
    make_record(user, end=date(2025, 1, 1), jp=3)

    assert services.verified_jp(user, 2024) == 5
    assert services.verified_jp(user, 2025) == 10
    assert [r.jp for r in services.records_for(user, 2025)] == [3, 7]


def test_only_verified_jp_counts_and_pending_is_separate(development_types, make_user, make_record):
    user = make_user()
    make_record(user, end=date(2025, 5, 1), jp=8)
    make_record(user, end=date(2025, 5, 2), jp_claimed=4, status=SUBMITTED)
    make_record(user, end=date(2025, 5, 3), jp_claimed=3, status=REVISION)
    make_record(user, end=date(2025, 5, 4), jp_claimed=9, status=REJECTED)
    make_record(user, end=date(2024, 5, 4), jp_claimed=6, status=SUBMITTED)

    assert services.verified_jp(user, 2025) == 8
    assert services.pending_jp(user, 2025) == 7
    assert services.pending_jp(user, 2024) == 6


def test_jp_totals_per_user_and_per_unit(development_types, make_user, make_unit, make_record):
    other_unit = make_unit()
    ani, budi, citra = make_user(), make_user(), make_user(unit_id=other_unit.id)
    make_record(ani, end=date(2025, 2, 1), jp=8)
    make_record(ani, end=date(2025, 3, 1), jp=6)
    make_record(ani, end=date(2025, 3, 2), jp_claimed=5, status=SUBMITTED)
    make_record(budi, end=date(2024, 12, 31), jp=20)
    make_record(citra, end=date(2025, 1, 1), jp=4)

    assert services.jp_totals(2025) == {ani.id: 14, citra.id: 4}
    assert services.jp_totals(2025, unit_id=ani.unit_id) == {ani.id: 14}
    assert services.jp_totals(2024) == {budi.id: 20}


def test_ledger_summary_by_source_and_type(development_types, make_user, make_record):
    user = make_user()
    make_record(user, "KL07", end=date(2025, 4, 1), jp=8, source=LearningSource.ATTENDANCE, workshop_id=None)
    make_record(user, "NKL01", end=date(2025, 4, 2), jp=2)
    make_record(user, "NKL03", end=date(2025, 4, 3), jp=4)
    make_record(user, "NKL03", end=date(2025, 4, 4), jp_claimed=3, status=SUBMITTED)

    ledger = services.ledger(user, 2025)

    assert (ledger.target, ledger.verified, ledger.pending, ledger.remaining, ledger.percent) == (20, 14, 3, 6, 70)
    assert ledger.by_source == {"Kehadiran pelatihan": 8, "Diajukan sendiri": 6}
    assert ledger.by_type == [("Workshop/lokakarya", 8), ("E-learning", 4), ("Coaching", 2)]
    assert not ledger.reached


def test_history_lists_every_year_since_the_first_record(development_types, make_user, make_record):
    user = make_user()
    this_year = services.local_today().year
    make_record(user, end=date(this_year - 2, 12, 31), jp=21)
    make_record(user, end=date(this_year, 1, 1), jp=5, status=SUBMITTED)
    db.session.add(AnnualTarget(year=this_year - 1, group=TargetGroup.PNS, jp=18))
    db.session.commit()

    rows = [(r.year, r.verified, r.target, r.reached) for r in services.history(user)]

    assert rows == [(this_year, 0, 20, False), (this_year - 1, 0, 18, False), (this_year - 2, 21, 20, True)]


def test_status_labels_are_indonesian():
    assert [services.status_label(s) for s in LearningStatus] == [
        "Diajukan",
        "Perlu revisi",
        "Terverifikasi",
        "Ditolak",
    ]


# ---------------------------------------------------------------- the automatic credit, exactly once


@pytest.fixture
def attended_workshop(development_types, make_user):
    """A workshop whose one session ended an hour ago (completions are credited once the last session has ended);
    returns (organizer, workshop, participant, registration)."""
    organizer, participant = make_user(Role.ORGANIZER), make_user()
    start = datetime.now(UTC) - timedelta(hours=5)
    workshop = workshops.create(
        organizer,
        WorkshopInput(
            title="Workshop Pelayanan Publik",
            development_type_id=get_development_type_by_code("KL07").id,
            provider_name="BKPSDM Kota Sawahlunto",
            sessions=[SessionInput(start, start + timedelta(hours=4))],
            capacity=20,
            jp=5,
        ),
    )
    workshops.publish(organizer, workshop)
    workshops.add_participant(organizer, workshop, participant.nip)
    registration = workshops.registration_of(participant, workshop.id)
    return organizer, workshops.get(workshop.id), participant, registration


def test_attendance_credit_is_counted_once_even_when_attendance_is_edited(attended_workshop, make_record):
    organizer, workshop, participant, registration = attended_workshop
    session_id = workshop.sessions[0].id
    for present in (True, True, False, True):
        workshops.set_attendance(organizer, workshops.get(workshop.id), registration.id, session_id, present)
    record = db.session.scalar(select(LearningRecord).where(LearningRecord.user_id == participant.id))
    year = record.end_date.year
    make_record(participant, "NKL03", end=record.end_date, jp=3)

    assert (
        db.session.scalar(
            select(func.count()).select_from(LearningRecord).where(LearningRecord.workshop_id.is_not(None))
        )
        == 1
    )
    assert (record.jp, record.jp_claimed, record.status, record.source) == (5, 5, VERIFIED, LearningSource.ATTENDANCE)
    assert services.verified_jp(participant, year) == 8
    assert services.ledger(participant, year).by_source == {"Kehadiran pelatihan": 5, "Diajukan sendiri": 3}
    assert not services.can_edit(participant, record)

    workshops.set_attendance(organizer, workshops.get(workshop.id), registration.id, session_id, False)
    assert services.verified_jp(participant, year) == 3


def test_credit_called_twice_updates_the_same_record(attended_workshop):
    _organizer, workshop, participant, _registration = attended_workshop
    credit = services.AttendanceCredit(
        title="Bimtek Arsip",
        development_type_id=None,
        provider="BKPSDM",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 4),
        jp=10,
    )
    services.credit_workshop_attendance(participant, workshop.id, credit)
    credit.jp = 12
    services.credit_workshop_attendance(participant.id, workshop.id, credit)
    db.session.commit()

    (record,) = services.records_for(participant)
    assert (record.jp, record.jp_claimed, record.quantity, record.status) == (12, 12, 2, VERIFIED)
    assert services.verified_jp(participant, 2025) == 12

    assert services.void_workshop_attendance(participant, workshop.id)
    db.session.commit()
    assert services.records_for(participant) == []
    assert not services.void_workshop_attendance(participant, workshop.id)


# ---------------------------------------------------------------- pages


def test_ledger_page_shows_progress_pending_and_labels(development_types, member_client, make_record):
    user = member_client.user
    year = services.local_today().year
    today = services.local_today()
    make_record(user, "KL07", end=today, jp=8, title="Workshop Pelayanan Prima")
    make_record(user, "NKL01", end=today, jp=2, title="Coaching dengan atasan")
    make_record(user, "NKL03", end=today, jp=4, title="E-learning Manajemen ASN")
    make_record(user, "NKL03", end=today, jp_claimed=3, status=SUBMITTED, title="E-learning Etika")
    make_record(user, "NKL09", end=today, jp_claimed=2, status=REJECTED, title="Belajar mandiri")

    page = member_client.get("/rekam-jejak").get_data(as_text=True)

    assert "14 dari 20 JP" in page
    assert 'value="14"' in page and 'max="20"' in page  # the <progress> element
    assert "3 JP lagi sedang menunggu verifikasi" in page
    assert "Kurang 6 JP untuk mencapai target." in page
    for label in ("Terverifikasi", "Diajukan", "Ditolak", "Workshop Pelayanan Prima"):
        assert label in page
    assert f'<option value="{year}" selected>' in page


def test_ledger_page_for_another_year_and_history(development_types, member_client, make_record):
    user = member_client.user
    year = services.local_today().year - 1
    make_record(user, end=date(year, 12, 31), jp=21, title="Seminar akhir tahun")

    page = member_client.get(f"/rekam-jejak?tahun={year}").get_data(as_text=True)
    assert "21 dari 20 JP" in page and "Target tahunan tercapai." in page and "Seminar akhir tahun" in page
    this_year = member_client.get("/rekam-jejak").get_data(as_text=True)
    assert "Seminar akhir tahun" not in this_year and "Riwayat per tahun" in this_year
    assert f'href="/rekam-jejak?tahun={year}">{year}</a>' in this_year


def test_history_starts_at_the_first_record_even_when_it_was_not_verified(
    development_types, member_client, make_record
):
    year = services.local_today().year - 3
    make_record(member_client.user, end=date(year, 6, 30), jp_claimed=4, status=REJECTED, title="Ditolak dulu")

    history = services.history(member_client.user)

    assert [row.year for row in history] == list(range(services.local_today().year, year - 1, -1))
    assert [row.verified for row in history] == [0, 0, 0, 0]


def test_ledger_page_queries_do_not_grow_with_activities_or_years(development_types, member_client, make_record):
    user = member_client.user
    today = services.local_today()

    def statements() -> int:
        db.session.commit()
        warm_floor(member_client)  # the account row and the bell come from the cache, as on every later page
        with counting_queries() as seen:
            assert member_client.get("/rekam-jejak").status_code == 200
        return len(seen)

    make_record(user, "KL07", end=today, jp=8)
    few = statements()
    for n in range(12):
        make_record(user, "NKL03", end=today - timedelta(days=n), jp=2, title=f"Kegiatan {n}")
    make_record(user, "NKL03", end=date(today.year - 4, 5, 1), jp=2)
    assert statements() == few <= 9  # the year rule is read for the figure and again for the history


def test_ledger_labels_follow_the_language(development_types, member_client, make_record):
    make_record(member_client.user, end=services.local_today(), jp=8)
    make_record(member_client.user, end=services.local_today(), jp_claimed=2, status=REJECTED)
    assert "Terverifikasi" in member_client.get("/rekam-jejak").get_data(as_text=True)

    member_client.post("/bahasa", data={"locale": "en"})
    english = member_client.get("/rekam-jejak").get_data(as_text=True)

    assert "Verified" in english and "Rejected" in english
    assert "Terverifikasi" not in english and "Ditolak" not in english


@pytest.mark.parametrize("year", ["abc", "1900", "-1", "99999"])
def test_bad_year_falls_back_to_this_year(member_client, year):
    page = member_client.get(f"/rekam-jejak?tahun={year}").get_data(as_text=True)
    assert f"Capaian JP {services.local_today().year}" in page


# ---------------------------------------------------------------- privacy


@pytest.fixture
def owner_with_record(development_types, make_user, make_record):
    owner = make_user(name="Rina Pemilik")
    record = make_record(owner, end=services.local_today(), jp=6, title="Rahasia pribadi")
    return owner, record


def test_a_member_cannot_see_a_colleagues_ledger_or_record(owner_with_record, member_client):
    owner, record = owner_with_record
    assert member_client.get(f"/rekam-jejak/pegawai/{owner.id}").status_code == 404
    assert member_client.get(f"/rekam-jejak/kegiatan/{record.id}").status_code == 404
    assert member_client.get("/rekam-jejak/pegawai/999999").status_code == 404


def test_supervisor_unit_head_and_bkpsdm_see_the_ledger(owner_with_record, app, make_user, make_unit):
    owner, record = owner_with_record
    supervisor, head, admin = make_user(), make_user(), make_user(Role.ADMIN)
    owner.supervisor_id = supervisor.id
    db.session.add(UnitHead(unit_id=owner.unit_id, user_id=head.id))
    db.session.commit()
    for viewer in (supervisor, head, admin):
        client = login(app.test_client(), viewer)
        page = client.get(f"/rekam-jejak/pegawai/{owner.id}")
        assert page.status_code == 200
        assert "Rina Pemilik" in page.get_data(as_text=True) and "6 dari 20 JP" in page.get_data(as_text=True)
        assert client.get(f"/rekam-jejak/kegiatan/{record.id}").status_code == 200


def test_head_of_another_unit_and_a_subordinate_are_refused(owner_with_record, app, make_user, make_unit):
    owner, record = owner_with_record
    other_head, subordinate = make_user(), make_user()
    other_unit = make_unit()
    db.session.add(UnitHead(unit_id=other_unit.id, user_id=other_head.id))
    subordinate.supervisor_id = owner.id  # the owner supervises them, not the other way round
    db.session.commit()
    for viewer in (other_head, subordinate):
        client = login(app.test_client(), viewer)
        assert client.get(f"/rekam-jejak/pegawai/{owner.id}").status_code == 404
        assert client.get(f"/rekam-jejak/kegiatan/{record.id}").status_code == 404


def test_own_ledger_by_id_redirects_to_the_personal_page(member_client):
    response = member_client.get(f"/rekam-jejak/pegawai/{member_client.user.id}?tahun=2025")
    assert response.status_code == 302 and response.location.endswith("/rekam-jejak?tahun=2025")
