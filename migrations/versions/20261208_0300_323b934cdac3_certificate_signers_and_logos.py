"""workshops: certificate signers and logos

Adds ``certificate_profiles`` (who signs a unit's certificates and its logo; the row with scope ``city`` is the
city's default) and the per-workshop signer override ``workshops.signer_name``, ``signer_position`` and
``signer_nip``. Existing workshops get empty overrides (they use their unit's signer, then the city's); no
profile rows are created, so existing certificates keep rendering without a signer until an admin sets one.

Revision ID: 323b934cdac3
Revises: d4e5f6a7b8c9
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "323b934cdac3"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("signer_name", sa.String(length=120), nullable=False),
        sa.Column("signer_position", sa.String(length=200), nullable=False),
        sa.Column("signer_nip", sa.String(length=18), nullable=False),
        sa.Column("logo_stored", sa.String(length=48), nullable=False),
        sa.Column("logo_mime", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_certificate_profiles_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_profiles")),
        sa.UniqueConstraint("scope", name=op.f("uq_certificate_profiles_scope")),
    )
    with op.batch_alter_table("certificate_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_profiles_unit_id"), ["unit_id"], unique=False)

    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signer_name", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("signer_position", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("signer_nip", sa.String(length=18), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("signer_nip")
        batch_op.drop_column("signer_position")
        batch_op.drop_column("signer_name")
    with op.batch_alter_table("certificate_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_profiles_unit_id"))
    op.drop_table("certificate_profiles")
