"""learning: SIASN reference ids for development types; leadership training levels

Adds ``development_types.siasn_id`` (SIASN's numeric ``jenisDiklatId``), the ``leadership_levels`` table (the
levels of structural training with SIASN's ``latihanStrukturalId``) and ``learning_records.leadership_level_id``.

Existing development types get the ids SIASN's reference list gives for them as far as the portal's domain
reference states them (KL07 workshop 4, KL02 pelatihan manajerial 5, KL05 sosial kultural 6, KL06 seminar 9,
NKL12 magang 10); the others stay empty until BKPSDM enters them. The four leadership levels are created without
SIASN ids (BKPSDM enters them). Existing records get no level.

Revision ID: 900e1ea179e7
Revises: c0371dbe90c2
Create Date: 2026-12-08 04:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "900e1ea179e7"
down_revision = "c0371dbe90c2"
branch_labels = None
depends_on = None

# SIASN jenisDiklatId per BKN SE 3/2022 code, as /work/shared/docs/asn-domain.md states them; no other is guessed.
SIASN_IDS = {"KL07": 4, "KL02": 5, "KL05": 6, "KL06": 9, "NKL12": 10}
LEVELS = (
    ("PKN1", "Pelatihan Kepemimpinan Nasional Tingkat I", 1),
    ("PKN2", "Pelatihan Kepemimpinan Nasional Tingkat II", 2),
    ("PKA", "Pelatihan Kepemimpinan Administrator", 3),
    ("PKP", "Pelatihan Kepemimpinan Pengawas", 4),
)


def upgrade():
    with op.batch_alter_table("development_types", schema=None) as batch_op:
        batch_op.add_column(sa.Column("siasn_id", sa.Integer(), nullable=True))
    levels = op.create_table(
        "leadership_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("siasn_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_levels")),
        sa.UniqueConstraint("code", name=op.f("uq_leadership_levels_code")),
    )
    with op.batch_alter_table("learning_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leadership_level_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_learning_records_leadership_level_id_leadership_levels"),
            "leadership_levels",
            ["leadership_level_id"],
            ["id"],
            ondelete="SET NULL",
        )
    types = sa.table("development_types", sa.column("code", sa.String), sa.column("siasn_id", sa.Integer))
    for code, siasn_id in SIASN_IDS.items():
        op.execute(types.update().where(types.c.code == code).values(siasn_id=siasn_id))
    op.bulk_insert(levels, [{"code": c, "name": n, "position": p, "siasn_id": None} for c, n, p in LEVELS])


def downgrade():
    with op.batch_alter_table("learning_records", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_learning_records_leadership_level_id_leadership_levels"), type_="foreignkey"
        )
        batch_op.drop_column("leadership_level_id")
    op.drop_table("leadership_levels")
    with op.batch_alter_table("development_types", schema=None) as batch_op:
        batch_op.drop_column("siasn_id")
