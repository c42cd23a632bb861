"""Small, generic fixtures for the learning tests: development types with their JP rules, a record factory,
evidence files. Feature-specific data stays in each test module.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@pytest.fixture
def development_types():
    """The BKN development types and their default JP rules."""
    upsert_development_types()


@pytest.fixture
def competencies_catalogue():
    items = [
        Competency(code="M.03", category=CompetencyCategory.MANAGERIAL, name="Komunikasi"),
        Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik"),
    ]
    db.session.add_all(items)
    db.session.commit()
    return {c.code: c for c in items}


@pytest.fixture
def verifier(make_user):
    """A BKPSDM verifier (admins hold VERIFY_LEARNING)."""
    return make_user(Role.ADMIN, name="Verifikator BKPSDM")


def make_evidence(data: bytes = PDF_BYTES, filename: str = "sertifikat.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/pdf")


@pytest.fixture
def make_record(development_types):
    """``make_record(user, type_code="NKL01", start=..., end=..., status=..., jp=..., **columns)``, straight in."""

    def factory(
        user,
        type_code: str | None = "KL07",
        start: date | None = None,
        end: date | None = None,
        status: LearningStatus = LearningStatus.VERIFIED,
        source: LearningSource = LearningSource.SELF_REPORTED,
        **fields,
    ) -> LearningRecord:
        end = end or start or date(2025, 6, 10)
        jp = fields.pop("jp", 0)
        record = LearningRecord(
            user_id=user.id,
            title=fields.pop("title", "Kegiatan pengembangan"),
            provider=fields.pop("provider", "BKPSDM Kota Sawahlunto"),
            development_type_id=get_development_type_by_code(type_code).id if type_code else None,
            start_date=start or end,
            end_date=end,
            jp=jp,
            jp_claimed=fields.pop("jp_claimed", jp),
            status=status,
            source=source,
            **fields,
        )
        db.session.add(record)
        db.session.commit()
        return record

    return factory
