"""Helpers the learning services share: the feature's error, today in WIB, links for notifications, row locks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from portal.core.database import write_transaction
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import LearningRecord

YEARS_BACK = 5  # how many past years a record may still be submitted for, and a target set for


class LearningError(RuleError):
    """A learning-record rule was broken."""


def local_today(now: datetime | None = None) -> date:
    """Today in Sawahlunto (WIB), or the day of ``now`` there: what "not in the future" and "this year" mean."""
    return to_local(now or utcnow()).date()


def path_for(endpoint: str, **values: Any) -> str:
    """A same-site path for notifications; services also run outside requests (the CLI, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


@contextmanager
def locked_record(record_id: int) -> Iterator[LearningRecord]:
    """The record, locked against a concurrent decision, edit or withdrawal until the caller commits."""
    write_transaction(db.session())
    try:
        record = db.session.scalar(
            select(LearningRecord)
            .where(LearningRecord.id == record_id)
            .with_for_update(of=LearningRecord)
            .execution_options(populate_existing=True)
        )
        if record is None:
            raise LearningError(_l("Kegiatan tidak ditemukan."))
        yield record
    except BaseException:
        db.session.rollback()
        raise
