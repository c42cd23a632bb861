"""feedback: technical needs from the competency catalogue

Adds ``feedback_answers.competency_id``: the technical competency a respondent picked for a question of the new
kind ``technical``, or the competency BKPSDM coded a written need as. Existing answers keep their values; no
question changes kind (the kind column is a plain string, so the new value needs no schema change).

Revision ID: d4e5f6a7b8c9
Revises: c4e8a1f0b7d2
Create Date: 2026-12-08 02:02:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4e5f6a7b8c9"
down_revision = "c4e8a1f0b7d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("competency_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_feedback_answers_competency_id"), ["competency_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_answers_competency_id_competencies"),
            "competencies",
            ["competency_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_feedback_answers_competency_id_competencies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_feedback_answers_competency_id"))
        batch_op.drop_column("competency_id")
