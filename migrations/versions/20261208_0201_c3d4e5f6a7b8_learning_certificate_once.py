"""learning records: a certificate number is recognised once per person; "bukan duplikat" reason

Adds ``certificate_key`` (the certificate number upper-cased, letters and digits only) and a unique index on
(user_id, certificate_key) over verified records with a number, plus ``not_duplicate_reason``.

Existing rows keep their status and certificate number. Where one person already has several verified records
with the same number, the first (a portal attendance credit before a self-reported record, then the oldest) keeps
the key and the others get an empty key, so the index can be built; the record page still shows them as
resembling each other for BKPSDM to review.

Revision ID: c3d4e5f6a7b8
Revises: 5c1e7b9d2f40
Create Date: 2026-12-08 02:00:00

"""

import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3d4e5f6a7b8"
down_revision = "5c1e7b9d2f40"
branch_labels = None
depends_on = None

RECOGNISED = "status = 'terverifikasi' AND certificate_key <> ''"
_NOT_KEY = re.compile(r"[^0-9A-Z]")

records = sa.table(
    "learning_records",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("status", sa.String),
    sa.column("certificate_number", sa.String),
    sa.column("certificate_key", sa.String),
)


def _key(number):
    return _NOT_KEY.sub("", (number or "").upper())[:40]


def upgrade():
    with op.batch_alter_table("learning_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certificate_key", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("not_duplicate_reason", sa.String(length=1000), nullable=False, server_default="")
        )

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(records.c.id, records.c.user_id, records.c.source, records.c.status, records.c.certificate_number)
        .where(records.c.certificate_number != "")
        .order_by(records.c.id)
    ).all()
    recognised = set()
    # Attendance credits first: the portal's own record of a workshop keeps the number.
    for row in sorted(rows, key=lambda r: (r.source != "attendance", r.id)):
        key = _key(row.certificate_number)
        if key and row.status == "terverifikasi":
            if (row.user_id, key) in recognised:
                key = ""  # an existing duplicate: left as it is, but outside the index
            else:
                recognised.add((row.user_id, key))
        if key:
            conn.execute(sa.update(records).where(records.c.id == row.id).values(certificate_key=key))

    with op.batch_alter_table("learning_records", schema=None) as batch_op:
        batch_op.create_index(
            "uq_learning_records_user_certificate",
            ["user_id", "certificate_key"],
            unique=True,
            sqlite_where=sa.text(RECOGNISED),
            postgresql_where=sa.text(RECOGNISED),
        )


def downgrade():
    with op.batch_alter_table("learning_records", schema=None) as batch_op:
        batch_op.drop_index("uq_learning_records_user_certificate")
        batch_op.drop_column("not_duplicate_reason")
        batch_op.drop_column("certificate_key")
