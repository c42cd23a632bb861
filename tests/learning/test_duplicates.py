"""The same learning is never counted twice (issue 13, item 3).

The issue's case: a member attended a portal workshop and got its certificate, then reported it herself with the
same title, dates and certificate number; the verifier saw no warning and approving it raised her year from 26 to
36 JP and added a second SIASN row. Now she is warned before submitting, the verifier sees the workshop beside the
claim, a recognised certificate number cannot be recognised again (the database refuses it), and a claim that only
resembles a recognised record is approved with an explicit "bukan duplikat" and a reason, audited.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.audit.models import AuditEntry
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import LearningRecord, LearningStatus, certificate_key
from portal.learning.services import (
    LearningError,
    RecordInput,
    dashboard,
    duplicates,
    exports,
    get_development_type_by_code,
)
from portal.workshops import services as workshops
from tests.conftest import login
from tests.learning.conftest import PDF_BYTES, make_evidence
from tests.workshops.conftest import workshop_input

TITLE = "Pelatihan Pelayanan Prima di Mal Pelayanan Publik"
START, END = date(2025, 3, 10), date(2025, 3, 12)
PORTAL_CERTIFICATE = "PKA-2025-0001-0A1B2C3D"


def _input(**fields) -> RecordInput:
    values = {
        "development_type_id": get_development_type_by_code(fields.pop("type_code", "KL03")).id,
        "title": TITLE,
        "provider": "BKPSDM Kota Sawahlunto",
        "start_date": START,
        "end_date": END,
        "quantity": 3,
        "jp_claimed": 10,
        "certificate_number": PORTAL_CERTIFICATE,
        "evidence": make_evidence(),
    }
    values.update(fields)
    return RecordInput(**values)


@pytest.fixture
def member(make_user, unit):
    return make_user(name="Rina Peserta", unit_id=unit.id)


@pytest.fixture
def attended(member, make_user, make_record, competencies_catalogue):
    """Rina's 2025: a portal workshop she completed (10 JP, the portal's certificate) and 16 JP elsewhere: 26 JP."""
    organizer = make_user(Role.ORGANIZER)
    workshop = workshops.create(organizer, workshop_input())
    credit = services.AttendanceCredit(
        title=TITLE,
        development_type_id=get_development_type_by_code("KL03").id,
        provider="BKPSDM Kota Sawahlunto",
        start_date=START,
        end_date=END,
        jp=10,
        certificate_number=PORTAL_CERTIFICATE,
    )
    record = services.credit_workshop_attendance(member, workshop.id, credit)
    db.session.commit()
    make_record(member, title="Seminar Nasional Kearsipan", start=date(2025, 5, 5), jp=16, certificate_number="SN-77")
    assert services.verified_jp(member, 2025) == 26
    return record


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(LearningRecord))


# ---------------------------------------------------------------- the case, end to end


def test_resubmitted_portal_workshop_is_counted_once(member, attended, verifier, unit):
    # Before submitting: she is told, and nothing is stored.
    with pytest.raises(duplicates.LikelyDuplicate) as raised:
        services.submit(member, _input())
    assert _count() == 2
    (match,) = raised.value.matches
    assert match.record.id == attended.id and match.recognised
    assert set(match.reasons) == {"certificate", "dates_title", "inside_workshop"}

    # She submits anyway; the verifier sees the workshop beside it and cannot recognise the certificate twice.
    claim = services.submit(member, _input(acknowledge_duplicate=True))
    row = services.queue_row(verifier, claim)
    assert row.likely_duplicate and [m.record.id for m in row.matches] == [attended.id]
    with pytest.raises(LearningError, match="mirip dengan kegiatan yang sudah diakui|sudah diakui pada kegiatan lain"):
        services.approve(verifier, claim.id, 10)
    with pytest.raises(LearningError, match="sudah diakui pada kegiatan lain"):
        services.approve(verifier, claim.id, 10, not_duplicate=True, reason="Menurut saya berbeda.")
    db.session.expire_all()
    assert db.session.get(LearningRecord, claim.id).status == LearningStatus.SUBMITTED

    # Ledger, dashboard and exports count the workshop once.
    assert services.verified_jp(member, 2025) == 26
    assert services.ledger(member, 2025).verified == 26
    scope = dashboard.Scope(year=2025, unit=unit, choices=[unit], city_wide=True)
    (person,) = [p for p in dashboard.people(2025, [unit.id]) if p.user_id == member.id]
    assert person.jp == 26
    rows = exports.person_table(member, 2025)[1:]
    assert sorted(r[4] for r in rows) == sorted([TITLE, "Seminar Nasional Kearsipan"])
    assert [r[10] for r in exports.unit_table(scope)[1:]].count(PORTAL_CERTIFICATE) == 1  # column K
    board = dashboard.build(scope)
    (units_sheet,) = [table for name, table in exports.dashboard_sheets(board) if name == "Capaian per unit"]
    assert units_sheet[1][units_sheet[0].index("Total JP")] == 26


def test_the_database_refuses_a_certificate_recognised_twice(member, attended):
    """Not only a check in the service: a verified record with a recognised number (however it is written)."""
    other = LearningRecord(
        user_id=member.id,
        title="Sertifikat yang sama ditulis lain",
        start_date=date(2025, 8, 1),
        end_date=date(2025, 8, 1),
        source="self_reported",
        status=LearningStatus.VERIFIED,
        certificate_number="pka 2025/0001/0a1b2c3d",
    )
    assert other.certificate_key == certificate_key(PORTAL_CERTIFICATE)
    db.session.add(other)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Waiting or rejected records may carry it; so may another person.
    other = LearningRecord(
        user_id=member.id,
        title="Masih menunggu",
        start_date=date(2025, 8, 1),
        end_date=date(2025, 8, 1),
        source="self_reported",
        status=LearningStatus.SUBMITTED,
        certificate_number=PORTAL_CERTIFICATE,
    )
    db.session.add(other)
    db.session.commit()


# ---------------------------------------------------------------- resembling, not the same certificate


def test_similar_title_on_the_same_dates_needs_bukan_duplikat_with_a_reason(member, verifier, make_record):
    recognised = make_record(member, title="Bimtek Penyusunan SAKIP 2025", start=START, end=END, jp=8)
    claim = services.submit(
        member,
        _input(title="Bimtek Penyusunan SAKIP", certificate_number="", type_code="KL06", acknowledge_duplicate=True),
    )
    assert [m.record.id for m in duplicates.matches_for(claim)] == [recognised.id]

    with pytest.raises(LearningError) as refused:
        services.approve(verifier, claim.id, 8)
    assert refused.value.field == "not_duplicate"
    with pytest.raises(LearningError) as no_reason:
        services.approve(verifier, claim.id, 8, not_duplicate=True, reason="  ")
    assert no_reason.value.field == "not_duplicate_reason"
    assert services.verified_jp(member, 2025) == 8

    reason = "Dua angkatan berbeda: sesi pagi untuk OPD, sesi sore untuk kelurahan."
    services.approve(verifier, claim.id, 8, not_duplicate=True, reason=reason)
    db.session.expire_all()
    approved = db.session.get(LearningRecord, claim.id)
    assert approved.status == LearningStatus.VERIFIED and approved.not_duplicate_reason == reason
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "learning.not_duplicate"))
    assert entry.target_id == claim.id and entry.details["reason"] == reason
    assert entry.details["resembles"] == [recognised.id]
    assert services.verified_jp(member, 2025) == 16


def test_different_activities_are_not_flagged(member, make_record):
    make_record(member, title="Bimtek Penyusunan SAKIP", start=START, end=END, jp=8, certificate_number="A-1")
    other_dates = _input(
        title="Bimtek Penyusunan SAKIP",
        start_date=date(2025, 4, 1),
        end_date=date(2025, 4, 1),
        quantity=1,
        certificate_number="A-2",
    )
    other_title = _input(title="Seminar Keamanan Informasi", certificate_number="A-3")
    assert services.submit(member, other_dates).status == LearningStatus.SUBMITTED
    assert services.submit(member, other_title).status == LearningStatus.SUBMITTED


def test_a_match_with_a_rejected_record_does_not_count(member, make_record):
    make_record(member, title=TITLE, start=START, end=END, status=LearningStatus.REJECTED, certificate_number="X-1")
    assert services.submit(member, _input(certificate_number="X-1")).status == LearningStatus.SUBMITTED


def test_correcting_a_claim_into_a_duplicate_warns_too(member, attended):
    claim = services.submit(
        member,
        _input(
            title="Kursus daring lain",
            start_date=date(2025, 6, 1),
            end_date=date(2025, 6, 1),
            quantity=1,
            certificate_number="K-9",
        ),
    )
    with pytest.raises(duplicates.LikelyDuplicate):
        services.update(member, claim, _input(evidence=None))
    db.session.expire_all()
    assert db.session.get(LearningRecord, claim.id).certificate_number == "K-9"


# ---------------------------------------------------------------- pages


def _form(**fields) -> dict:
    values = {
        "development_type_id": str(get_development_type_by_code("KL03").id),
        "title": TITLE,
        "provider": "BKPSDM Kota Sawahlunto",
        "start_date": START.isoformat(),
        "end_date": END.isoformat(),
        "quantity": "3",
        "jp_claimed": "10",
        "certificate_number": PORTAL_CERTIFICATE,
        "evidence": (io.BytesIO(PDF_BYTES), "sertifikat.pdf"),
    }
    values.update(fields)
    return values


def test_the_form_warns_before_submitting_and_submits_with_acknowledgement(app, member, attended):
    client = app.test_client()
    login(client, member)
    warned = client.post("/rekam-jejak/ajukan", data=_form(), content_type="multipart/form-data")
    page = warned.get_data(as_text=True)
    assert warned.status_code == 400 and _count() == 2
    assert "Mungkin sudah tercatat" in page and "nomor sertifikat sama" in page
    assert 'name="acknowledge_duplicate"' in page and f"/rekam-jejak/kegiatan/{attended.id}" in page

    sent = client.post("/rekam-jejak/ajukan", data=_form(acknowledge_duplicate="y"), content_type="multipart/form-data")
    assert sent.status_code == 302 and _count() == 3


def test_verifier_sees_the_match_side_by_side_and_must_say_bukan_duplikat(app, member, attended, verifier):
    claim = services.submit(member, _input(acknowledge_duplicate=True))
    client = app.test_client()
    login(client, verifier)
    page = client.get(f"/rekam-jejak/kegiatan/{claim.id}").get_data(as_text=True)
    assert "Pengajuan ini" in page and "Kegiatan yang mirip" in page and "Kehadiran pelatihan" in page
    assert 'name="not_duplicate"' in page and 'name="not_duplicate_reason"' in page
    queue = client.get("/rekam-jejak/verifikasi").get_data(as_text=True)
    assert "Mungkin sudah tercatat" in queue and 'name="not_duplicate"' in queue

    response = client.post(
        f"/rekam-jejak/kegiatan/{claim.id}/setujui",
        data={"jp": "10", "not_duplicate": "y", "not_duplicate_reason": "Menurut saya berbeda."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LearningRecord, claim.id).status == LearningStatus.SUBMITTED
    assert services.verified_jp(member, 2025) == 26


def test_dashboard_workbook_opens_with_the_duplicate_refused(app, member, attended, verifier):
    services.submit(member, _input(acknowledge_duplicate=True))
    client = app.test_client()
    login(client, verifier)
    response = client.get("/dasbor-pengembangan/unduh.xlsx?tahun=2025")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Capaian per unit"]
    total = [cell.value for cell in sheet[1]].index("Total JP")
    assert [row[total] for row in sheet.iter_rows(min_row=2, values_only=True)][-1] == 26
