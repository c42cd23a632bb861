from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from portal.audit.models import AuditEntry
from portal.extensions import db


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def count_queries():
    """``with count_queries() as queries: ...`` then ``len(queries)`` is the number of SQL queries run."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counter
