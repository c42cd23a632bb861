from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.units.models import UnitKind


@pytest.fixture
def cli(app):
    """Runs ``flask ...`` commands in-process, like a non-interactive shell (stdin is not a terminal)."""
    return app.test_cli_runner()


@pytest.fixture
def bkpsdm(make_unit):
    return make_unit(
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        code="BKPSDM",
        short_name="BKPSDM",
        kind=UnitKind.AGENCY,
    )


@pytest.fixture
def rsud(make_unit):
    return make_unit("Rumah Sakit Umum Daerah Sawahlunto", code="RSUD", short_name="RSUD", kind=UnitKind.HOSPITAL)


def users() -> list[User]:
    db.session.expire_all()  # the command ran in its own app context and session
    return list(db.session.scalars(select(User).order_by(User.nip)))


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User))


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))
