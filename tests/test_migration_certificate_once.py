"""The migration making a certificate number recognised once per person copes with existing duplicates."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from tests.test_migrations import empty_database_url, migration_app  # noqa: F401 - the fixtures

BEFORE = "5c1e7b9d2f40"
INSERT = text(
    "INSERT INTO learning_records (id, user_id, title, provider, start_date, end_date, jp, jp_claimed, quantity,"
    " is_international, source, status, certificate_number, description, evidence_path, evidence_name,"
    " evidence_mime, verifier_note, created_at, updated_at)"
    " VALUES (:id, 1, 'Pelatihan', '', '2025-03-10', '2025-03-12', 10, 10, 1, false, :source, :status, :number,"
    " '', '', '', '', '', '2025-03-12 00:00:00+00', '2025-03-12 00:00:00+00')"
)


USER = text(
    "INSERT INTO users (id, nip, name, email, position, employment_status, role, password_hash, bio, is_verified,"
    " active, created_at, session_token) VALUES (1, '198801012019031001', 'Rina', 'rina@example.go.id', '', 'PNS',"
    " 'member', '', '', true, true, '2025-01-01 00:00:00+00', 'x')"
)


def test_existing_duplicates_stay_and_the_index_is_built(migration_app):  # noqa: F811 - the fixture
    upgrade(revision=BEFORE)
    rows = [
        (1, "self_reported", "terverifikasi", "pka-2025 0001"),  # claimed and approved before the portal's credit
        (2, "attendance", "terverifikasi", "PKA-2025-0001"),
        (3, "self_reported", "terverifikasi", "PKA/2025/0001"),
        (4, "self_reported", "diajukan", "PKA-2025-0001"),
    ]
    with db.engine.begin() as conn:
        conn.execute(USER)
        for id_, source, status, number in rows:
            conn.execute(INSERT, {"id": id_, "source": source, "status": status, "number": number})

    upgrade()

    with db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT id, status, certificate_number, certificate_key FROM learning_records ORDER BY id")
        ).all()
    # Nothing rewritten; the portal's credit keeps the key, the other recognised copies are outside the index.
    assert [(r.id, r.status, r.certificate_number) for r in stored] == [(i, s, n) for i, _, s, n in rows]
    assert [r.certificate_key for r in stored] == ["", "PKA20250001", "", "PKA20250001"]
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("UPDATE learning_records SET status = 'terverifikasi' WHERE id = 4"))
