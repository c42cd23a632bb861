"""A workshop's JP follows the JP rule of its type (as a self-reported activity does), or the organizer's figure
with a reason; workshops stored before the rule keep theirs; the page and the ledger say how it was reached."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus
from portal.learning.services import get_development_type_by_code
from portal.learning.services.rules import Claim, check_claim
from portal.workshops import services
from portal.workshops.models import JpBasis, Workshop
from portal.workshops.services import SessionInput, WorkshopError
from tests.conftest import login
from tests.workshops.conftest import workshop_input

DAY = date.today() + timedelta(days=20)
WIB = timezone(timedelta(hours=7))
EIGHT_TO_FOUR = [SessionInput(datetime.combine(DAY, time(8), WIB), datetime.combine(DAY, time(16), WIB))]
RULE_TEXT = "5 JP — Workshop/lokakarya, 1 hari, aturan KL07"


def _workshop(make_workshop, **fields) -> Workshop:
    return make_workshop(type_code="KL07", sessions=EIGHT_TO_FOUR, **fields)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_an_eight_to_four_workshop_gets_the_same_jp_as_the_same_activity_self_reported(make_workshop, make_user):
    workshop = _workshop(make_workshop)
    reported = check_claim(
        make_user().id,
        Claim(development_type_id=get_development_type_by_code("KL07").id, quantity=1, start_date=DAY, end_date=DAY),
    )
    assert workshop.jp == reported.suggested == 5  # not 480 minutes / 45 = 10
    assert (workshop.jp_basis, workshop.jp_reason) == (JpBasis.RULE, "")
    assert services.explain_jp(workshop).text == RULE_TEXT
    assert "non-klasikal" in services.explain_jp(workshop).source


def test_a_different_jp_needs_a_reason_and_without_one_nothing_is_written(make_workshop, organizer):
    with pytest.raises(WorkshopError, match="berbeda dari aturan \\(5 JP\\): tulis alasannya") as refused:
        services.create(organizer, workshop_input(type_code="KL07", sessions=EIGHT_TO_FOUR, jp=8))
    assert refused.value.field == "jp_reason"
    with pytest.raises(WorkshopError, match="tulis alasannya"):
        services.create(organizer, workshop_input(type_code="KL07", sessions=EIGHT_TO_FOUR, jp=8, jp_reason=" \n "))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0

    workshop = _workshop(make_workshop, jp=8, jp_reason="Ditambah tugas praktik 3 jam di kantor.")
    assert (workshop.jp, workshop.jp_basis, workshop.jp_reason) == (
        8,
        JpBasis.ORGANIZER,
        "Ditambah tugas praktik 3 jam di kantor.",
    )
    assert services.explain_jp(workshop).text == (
        "8 JP — ditetapkan penyelenggara: Ditambah tugas praktik 3 jam di kantor. (menurut aturan: 5 JP)"
    )


def test_typing_the_rules_own_figure_or_clearing_it_is_the_rule(make_workshop, organizer):
    assert _workshop(make_workshop, jp=5).jp_basis == JpBasis.RULE
    workshop = _workshop(make_workshop, jp=8, jp_reason="Ditambah tugas praktik.")
    services.update(organizer, workshop, workshop_input(type_code="KL07", sessions=EIGHT_TO_FOUR, jp=None))
    assert (services.get(workshop.id).jp, services.get(workshop.id).jp_basis) == (5, JpBasis.RULE)


def test_a_workshop_stored_before_the_rule_keeps_its_jp_until_the_organizer_changes_it(make_workshop, organizer):
    workshop = _workshop(make_workshop)
    workshop.jp, workshop.jp_basis = 10, JpBasis.LEGACY  # as the migration leaves a workshop of 480 minutes / 45
    db.session.commit()
    assert services.explain_jp(workshop).text == (
        "10 JP — tersimpan sebelum aturan JP berlaku (dihitung dari durasi sesi)"
    )
    # Saved again with the figure the form shows: nothing about its JP changes (e.g. a title fix).
    services.update(organizer, workshop, workshop_input(type_code="KL07", sessions=EIGHT_TO_FOUR, jp=10))
    assert (services.get(workshop.id).jp, services.get(workshop.id).jp_basis) == (10, JpBasis.LEGACY)
    # Another figure needs a reason, like any figure that differs from the rule.
    with pytest.raises(WorkshopError, match="tulis alasannya"):
        services.update(organizer, workshop, workshop_input(type_code="KL07", sessions=EIGHT_TO_FOUR, jp=9))
    db.session.rollback()
    assert (services.get(workshop.id).jp, services.get(workshop.id).jp_basis) == (10, JpBasis.LEGACY)

    workshop.jp_basis = JpBasis.LEGACY_ORGANIZER
    db.session.commit()
    assert "tersimpan sebelum aturan JP berlaku (ditetapkan penyelenggara)" in services.explain_jp(workshop).text


def test_a_rule_changed_after_saving_does_not_rewrite_the_stored_jp(make_workshop):
    from portal.learning.services import rules

    workshop = _workshop(make_workshop)
    rules.rule_for(workshop.development_type_id).jp_per_unit = 6
    db.session.commit()
    assert services.get(workshop.id).jp == 5
    assert services.explain_jp(workshop).text == (
        "5 JP — menurut aturan saat disimpan; aturan kini: 6 JP — Workshop/lokakarya, 1 hari, aturan KL07"
    )


def test_the_workshop_page_shows_how_the_jp_was_reached(app, make_workshop, make_user):
    ruled = _workshop(make_workshop)
    organizer_set = _workshop(make_workshop, jp=8, jp_reason="Ditambah tugas praktik 3 jam di kantor.")
    client = login(app.test_client(), make_user())
    page = _text(client.get(f"/pelatihan/{ruled.id}"))
    assert RULE_TEXT in page
    assert "Sumber aturan: Pedoman LAN tentang pengembangan kompetensi non-klasikal (2020)." in page
    page = _text(client.get(f"/pelatihan/{organizer_set.id}"))
    assert "8 JP — ditetapkan penyelenggara: Ditambah tugas praktik 3 jam di kantor." in page


def test_the_form_defaults_to_the_workshop_type_and_asks_for_a_reason(app, organizer, development_types, catalogue):
    client = login(app.test_client(), organizer)
    kl07 = get_development_type_by_code("KL07")
    page = client.get("/pelatihan/baru").get_data(as_text=True)
    assert re.search(rf'<option selected value="{kl07.id}">|<option value="{kl07.id}" selected>', page)
    data = {
        "title": "Workshop Penulisan Naskah Dinas",
        "development_type_id": str(kl07.id),
        "competencies": ["M.05"],
        "provider_name": "BKPSDM Kota Sawahlunto",
        "sessions-0-day": DAY.isoformat(),
        "sessions-0-start": "08:00",
        "sessions-0-end": "16:00",
        "capacity": "30",
        "jp": "8",
        "employment_filter": "all",
        "approval_mode": "automatic",
    }
    refused = client.post("/pelatihan/baru", data=data)
    assert "JP 8 berbeda dari aturan (5 JP): tulis alasannya" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0
    assert client.post("/pelatihan/baru", data={**data, "jp": ""}).status_code == 302
    assert (db.session.scalar(select(Workshop.jp)), db.session.scalar(select(Workshop.jp_basis))) == (5, "rule")


def test_the_ledger_line_shows_how_the_jp_was_reached(app, make_workshop, make_user):
    workshop = _workshop(make_workshop, jp=8, jp_reason="Ditambah tugas praktik 3 jam di kantor.")
    ruled = _workshop(make_workshop)
    person = make_user()
    kl07 = get_development_type_by_code("KL07").id
    common = {"user_id": person.id, "development_type_id": kl07, "start_date": DAY, "end_date": DAY}
    db.session.add_all(
        [
            LearningRecord(
                **common,
                title="Dari portal",
                jp=8,
                jp_claimed=8,
                workshop_id=workshop.id,
                source=LearningSource.ATTENDANCE,
                status=LearningStatus.VERIFIED,
            ),  # fmt: skip
            LearningRecord(
                **common,
                title="Juga dari portal",
                jp=5,
                jp_claimed=5,
                workshop_id=ruled.id,
                source=LearningSource.ATTENDANCE,
                status=LearningStatus.VERIFIED,
            ),  # fmt: skip
            LearningRecord(
                **common,
                title="Dilaporkan sendiri",
                jp=5,
                jp_claimed=5,
                quantity=1,
                source=LearningSource.SELF_REPORTED,
                status=LearningStatus.VERIFIED,
            ),  # fmt: skip
            LearningRecord(
                **common,
                title="Diakui lain",
                jp=3,
                jp_claimed=5,
                quantity=1,
                verifier_note="Hanya setengah hari.",
                source=LearningSource.SELF_REPORTED,
                status=LearningStatus.VERIFIED,
            ),  # fmt: skip
        ]
    )
    db.session.commit()
    client = login(app.test_client(), person)
    page = _text(client.get(f"/rekam-jejak?tahun={DAY.year}"))
    assert "Dasar JP: 8 JP — ditetapkan penyelenggara: Ditambah tugas praktik 3 jam di kantor." in page
    assert f"Dasar JP: {RULE_TEXT}" in page
    assert page.count(f"Dasar JP: {RULE_TEXT}") == 2  # the portal workshop and the same day self-reported
    assert f"Dasar JP: 3 JP — diakui verifikator: Hanya setengah hari. (aturan: {RULE_TEXT})" in page
    record = db.session.scalar(select(LearningRecord).where(LearningRecord.title == "Dari portal"))
    assert "8 JP — ditetapkan penyelenggara" in _text(client.get(f"/rekam-jejak/kegiatan/{record.id}"))
