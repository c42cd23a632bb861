"""SIASN accepts the export (issue 18, item 5): its own reference numbers and its day-month-year dates.

The numbers are editable rows seeded only with what the domain reference states (4 workshop, 5 pelatihan
manajerial, 6 sosial kultural, 9 seminar, 10 magang); structural training carries its level.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import LearningRecord
from portal.learning.seed import upsert_development_types
from portal.learning.services import LearningError, RecordInput, exports, get_development_type_by_code, siasn
from tests.learning.conftest import make_evidence

pytestmark = pytest.mark.usefixtures("development_types")


def _type(code):
    return get_development_type_by_code(code)


def _level(code):
    return next(level for level in siasn.leadership_levels() if level.code == code)


def test_seed_maps_exactly_the_stated_codes_and_keeps_bkpsdm_numbers():
    mapped = {t.code: t.siasn_id for t in services.list_development_types(include_inactive=True) if t.siasn_id}
    assert mapped == {"KL07": 4, "KL02": 5, "KL05": 6, "KL06": 9, "NKL12": 10}
    assert [level.code for level in siasn.leadership_levels()] == ["PKN1", "PKN2", "PKA", "PKP"]
    assert all(level.siasn_id is None for level in siasn.leadership_levels())
    _type("KL07").siasn_id = 44  # BKPSDM changed it: a re-run of the seed leaves it
    db.session.commit()
    upsert_development_types()
    assert _type("KL07").siasn_id == 44
    assert len(siasn.leadership_levels()) == 4


def test_dates_in_siasn_form():
    assert siasn.siasn_date(date(2026, 3, 5)) == "05-03-2026"
    assert siasn.siasn_date(None) == ""


def test_bkpsdm_saves_numbers_audited(verifier):
    kl03, pka = _type("KL03"), _level("PKA")
    changed = siasn.save_ids(verifier, {kl03.id: " 2 ", _type("KL07").id: "4"}, {pka.id: "7"})
    assert changed == 2  # KL07 was already 4
    assert (kl03.siasn_id, pka.siasn_id) == (2, 7)
    actions = db.session.scalars(select(AuditEntry.target_label).where(AuditEntry.action == "learning.siasn_id"))
    assert sorted(actions) == ["KL03 Pelatihan teknis", "PKA Pelatihan Kepemimpinan Administrator"]
    siasn.save_ids(verifier, {kl03.id: ""}, {})
    assert kl03.siasn_id is None  # emptied: not mapped


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "100000", "4.5", "1e3"])
def test_bad_numbers_change_nothing(verifier, raw):
    kl03, kl07 = _type("KL03"), _type("KL07")
    with pytest.raises(LearningError, match="KL07"):
        siasn.save_ids(verifier, {kl03.id: "2", kl07.id: raw}, {})
    db.session.rollback()
    assert (kl03.siasn_id, kl07.siasn_id) == (None, 4)


def test_only_bkpsdm_saves(make_user):
    with pytest.raises(PermissionDenied):
        siasn.save_ids(make_user(Role.ORGANIZER), {_type("KL03").id: "2"}, {})
    assert _type("KL03").siasn_id is None


def _claim(**fields) -> RecordInput:
    values = {
        "development_type_id": _type("KL01").id,
        "title": "Pelatihan Kepemimpinan Administrator Angkatan II",
        "provider": "BPSDM Provinsi Sumatera Barat",
        "start_date": date(2025, 5, 5),
        "end_date": date(2025, 8, 29),
        "quantity": 80,
        "jp_claimed": 80,
        "evidence": make_evidence(),
    }
    values.update(fields)
    return RecordInput(**values)


def test_structural_training_carries_its_level_into_the_export(make_user, verifier):
    member = make_user(name="Ani Rahmawati")
    record = services.submit(member, _claim(leadership_level_id=_level("PKA").id))
    assert record.leadership_level is not None and record.leadership_level.code == "PKA"
    services.approve(verifier, record.id, 80)
    siasn.save_ids(verifier, {}, {_level("PKA").id: "3"})
    row = exports.person_table(member, 2025)[1]
    assert row[2] == "KL01"
    assert row[11:] == [None, "05-05-2025", "29-08-2025", "Pelatihan Kepemimpinan Administrator", 3]


def test_a_level_for_another_type_or_an_unknown_level_is_refused(make_user):
    member = make_user()
    with pytest.raises(LearningError, match="KL01"):
        services.submit(member, _claim(development_type_id=_type("KL03").id, leadership_level_id=_level("PKP").id))
    with pytest.raises(LearningError, match="tidak dikenal"):
        services.submit(member, _claim(leadership_level_id=99999))
    assert db.session.scalar(select(LearningRecord.id)) is None


# ---------------------------------------------------------------- over HTTP


def test_settings_page_per_role(login_as):
    for role in (Role.MEMBER, Role.ORGANIZER, Role.MODERATOR):
        assert login_as(role).get("/rekam-jejak/pengaturan/siasn").status_code == 403
    admin = login_as(Role.ADMIN)
    page = admin.get("/rekam-jejak/pengaturan/siasn")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "jenisDiklatId" in html and "Pelatihan Kepemimpinan Pengawas" in html
    assert f'name="jenis-{_type("KL07").id}"' in html and 'value="4"' in html


def test_settings_page_saves_and_refuses_bad_input(login_as):
    admin = login_as(Role.ADMIN)
    kl03, pkp = _type("KL03"), _level("PKP")
    response = admin.post("/rekam-jejak/pengaturan/siasn", data={f"jenis-{kl03.id}": "2", f"tingkat-{pkp.id}": "12"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (kl03.siasn_id, pkp.siasn_id) == (2, 12)
    bad = admin.post("/rekam-jejak/pengaturan/siasn", data={f"jenis-{kl03.id}": "dua", f"tingkat-{pkp.id}": "5"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "harus bilangan bulat" in html and 'value="dua"' in html
    db.session.expire_all()
    assert (kl03.siasn_id, pkp.siasn_id) == (2, 12)
