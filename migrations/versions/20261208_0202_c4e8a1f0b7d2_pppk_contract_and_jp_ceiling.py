"""PPPK contract dates on accounts; yearly JP rule kind (target or ceiling) and legal basis

Revision ID: c4e8a1f0b7d2
Revises: c3d4e5f6a7b8
Create Date: 2026-12-08 02:00:00

Existing rows keep their values: the new columns are empty, which means "the group's default" (PNS/CPNS a
target, PPPK a ceiling, with their legal basis), so a stored PPPK figure of 24 now reads as a ceiling.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1f0b7d2"
down_revision = "c3d4e5f6a7b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contract_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contract_end", sa.Date(), nullable=True))
    with op.batch_alter_table("learning_targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum("target", "ceiling", name="targetkind", native_enum=False, length=20),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("legal_basis", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("learning_targets", schema=None) as batch_op:
        batch_op.drop_column("legal_basis")
        batch_op.drop_column("kind")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("contract_end")
        batch_op.drop_column("contract_start")
