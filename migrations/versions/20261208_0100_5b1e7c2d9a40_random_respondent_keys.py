"""feedback respondents get random keys: anonymous answers cannot be paired with people by row order

Revision ID: 5b1e7c2d9a40
Revises: a2653c60d21e
Create Date: 2026-12-08 01:00:00

Respondents were keyed in submission order, as are responses: ordering both tables by id paired every person with
their anonymous answer. The key becomes a random 63-bit number (BIGINT on PostgreSQL, no sequence; SQLite keeps
INTEGER, its 64-bit rowid). Existing rows are re-keyed in random order (on PostgreSQL the updated rows are also
written in that order), and respondents of anonymous forms keep only the day (WIB) they answered.
"""

import random
import secrets
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "5b1e7c2d9a40"
down_revision = "a2653c60d21e"
branch_labels = None
depends_on = None

_WIB = ZoneInfo("Asia/Jakarta")
_OFFSET = 2**62  # re-keyed rows move through this range first, so a new key never meets an old one


def _aware(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE feedback_respondents ALTER COLUMN id DROP DEFAULT")
        op.execute("ALTER TABLE feedback_respondents ALTER COLUMN id TYPE BIGINT")
        op.execute("DROP SEQUENCE IF EXISTS feedback_respondents_id_seq")

    respondents = sa.table(
        "feedback_respondents",
        sa.column("id", sa.BigInteger),
        sa.column("form_id", sa.Integer),
        sa.column("answered_at", sa.DateTime(timezone=True)),
    )
    forms = sa.table("feedback_forms", sa.column("id", sa.Integer), sa.column("is_anonymous", sa.Boolean))
    anonymous = set(bind.execute(sa.select(forms.c.id).where(forms.c.is_anonymous.is_(True))).scalars())
    rows = list(bind.execute(sa.select(respondents.c.id, respondents.c.form_id, respondents.c.answered_at)))
    random.SystemRandom().shuffle(rows)
    sqlite = bind.dialect.name == "sqlite"
    for old_id, form_id, answered_at in rows:
        values = {"id": _OFFSET + (secrets.randbits(62) or 1)}
        if form_id in anonymous and answered_at is not None:
            day = _aware(answered_at).astimezone(_WIB).date()
            midnight = datetime.combine(day, time(), tzinfo=_WIB).astimezone(UTC)
            values["answered_at"] = midnight.replace(tzinfo=None) if sqlite else midnight
        bind.execute(sa.update(respondents).where(respondents.c.id == old_id).values(**values))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE IF NOT EXISTS feedback_respondents_id_seq OWNED BY feedback_respondents.id")
        respondents = sa.table("feedback_respondents", sa.column("id", sa.BigInteger))
        ids = list(bind.execute(sa.select(respondents.c.id).order_by(respondents.c.id)).scalars())
        for number, old_id in enumerate(ids, start=1):
            bind.execute(sa.update(respondents).where(respondents.c.id == old_id).values(id=-number))
        op.execute("UPDATE feedback_respondents SET id = -id")
        op.execute("ALTER TABLE feedback_respondents ALTER COLUMN id TYPE INTEGER")
        op.execute(
            "SELECT setval('feedback_respondents_id_seq', COALESCE((SELECT MAX(id) FROM feedback_respondents), 0) + 1,"
            " false)"
        )
        op.execute(
            "ALTER TABLE feedback_respondents ALTER COLUMN id SET DEFAULT nextval('feedback_respondents_id_seq')"
        )
