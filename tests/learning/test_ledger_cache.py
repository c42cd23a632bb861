"""The ledger page is kept per viewer, owner, year, day and language (portal/learning/views.py): a second visit
asks the database nothing for it, and a change to what it shows brings a fresh page on the next visit."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import LearningStatus
from portal.learning.views import LEDGER_TABLES
from tests.articles.conftest import counting_queries
from tests.floor import warm_floor

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.I)


def _own(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def test_every_table_the_page_reads_is_one_it_is_kept_by(development_types, login_as, make_record, make_user):
    client = login_as(Role.ADMIN)  # a verifier: the page also counts the verification queue
    today = services.local_today()
    make_record(client.user, "KL07", end=today, jp=8)
    make_record(client.user, "NKL03", end=today - timedelta(days=400), jp=2, status=LearningStatus.SUBMITTED)
    make_record(make_user(), "NKL03", end=today, jp=2, status=LearningStatus.SUBMITTED)
    warm_floor(client)
    with counting_queries() as statements:
        page = client.get("/rekam-jejak")
    assert page.status_code == 200
    read = {table.lower() for statement in statements for table in _TABLE.findall(statement)}
    assert read and read <= set(LEDGER_TABLES), sorted(read - set(LEDGER_TABLES))


def test_a_second_visit_asks_nothing_and_a_new_record_shows(development_types, member_client, make_record):
    user = member_client.user
    today = services.local_today()
    make_record(user, "KL07", end=today, jp=8, title="Bimtek Pertama")
    warm_floor(member_client)
    first = member_client.get("/rekam-jejak").get_data(as_text=True)
    with counting_queries() as statements:
        second = member_client.get("/rekam-jejak").get_data(as_text=True)
    assert _own(statements) == [] and second == first and "Bimtek Pertama" in first
    make_record(user, "NKL03", end=today, jp=3, title="Kursus Kedua", status=LearningStatus.SUBMITTED)
    page = member_client.get("/rekam-jejak").get_data(as_text=True)
    assert "Kursus Kedua" in page


def test_a_verification_changes_the_kept_page(development_types, member_client, make_record):
    record = make_record(member_client.user, "KL07", end=services.local_today(), jp=8, status=LearningStatus.SUBMITTED)
    before = member_client.get("/rekam-jejak").get_data(as_text=True)
    record.status = LearningStatus.VERIFIED
    db.session.commit()
    after = member_client.get("/rekam-jejak").get_data(as_text=True)
    assert after != before and "8 dari" in after


def test_a_supervisor_and_the_owner_get_their_own_pages(development_types, login_as, make_user, make_record):
    boss = login_as(Role.MEMBER)
    owner = make_user(supervisor_id=boss.user.id)
    make_record(owner, "KL07", end=services.local_today(), jp=8, title="Kegiatan Bawahan")
    seen_by_boss = boss.get(f"/rekam-jejak/pegawai/{owner.id}").get_data(as_text=True)
    assert "Kegiatan Bawahan" in seen_by_boss and f"NIP {owner.nip}" in seen_by_boss
    own_page = boss.get("/rekam-jejak").get_data(as_text=True)
    assert "Kegiatan Bawahan" not in own_page and "Ajukan kegiatan" in own_page
