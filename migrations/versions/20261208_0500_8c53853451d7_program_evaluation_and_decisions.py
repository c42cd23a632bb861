"""feedback: programs that evaluate themselves; review decisions with an owner, a due date and a next run

Adds ``feedback_program_evaluations`` (per program: the source forms copied to every new run for L1, the L2
pre/post-test and the L3 follow-ups of the participant and the supervisor, and the follow-up delay in days) and,
on ``feedback_program_reviews``, ``owner_id``, ``due_on`` and ``next_workshop_id``. Existing programs get no
evaluation definition (nothing is attached until one is saved); existing decisions keep no owner, no due date and
no chosen next run (their next run is the first run starting after them).

Revision ID: 8c53853451d7
Revises: 900e1ea179e7
Create Date: 2026-12-08 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c53853451d7"
down_revision = "900e1ea179e7"
branch_labels = None
depends_on = None

FORM_COLUMNS = ("l1_form_id", "pre_test_form_id", "post_test_form_id", "participant_form_id", "supervisor_form_id")


def upgrade():
    op.create_table(
        "feedback_program_evaluations",
        sa.Column("program_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in FORM_COLUMNS),
        sa.Column("followup_days", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "followup_days IS NULL OR followup_days >= 1",
            name=op.f("ck_feedback_program_evaluations_program_followup_days_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["feedback_programs.id"],
            name=op.f("fk_feedback_program_evaluations_program_id_feedback_programs"),
            ondelete="CASCADE",
        ),
        *(
            sa.ForeignKeyConstraint(
                [name],
                ["feedback_forms.id"],
                name=op.f(f"fk_feedback_program_evaluations_{name}_feedback_forms"),
                ondelete="SET NULL",
            )
            for name in FORM_COLUMNS
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_feedback_program_evaluations")),
    )
    with op.batch_alter_table("feedback_program_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_workshop_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_program_reviews_owner_id_users"), "users", ["owner_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_program_reviews_next_workshop_id_workshops"),
            "workshops",
            ["next_workshop_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("feedback_program_reviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_feedback_program_reviews_next_workshop_id_workshops"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_feedback_program_reviews_owner_id_users"), type_="foreignkey")
        batch_op.drop_column("next_workshop_id")
        batch_op.drop_column("due_on")
        batch_op.drop_column("owner_id")
    op.drop_table("feedback_program_evaluations")
