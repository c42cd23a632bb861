"""planning: the annual competency development plan per OPD and for the city

New tables only (no existing data changes): ``planning_plans`` (one per year and scope: an OPD or the city),
``planning_lines`` (an OPD's proposed items, with ``planning_line_positions``: target jobs), ``planning_programs``
and ``planning_quotas`` (the city's consolidated programs, a quota per OPD), ``planning_versions`` (history),
``planning_workshop_links`` (workshops that carry out a program, realised cost) and ``planning_invitations``.

Revision ID: c0371dbe90c2
Revises: dafc56ef0d72
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c0371dbe90c2"
down_revision = "dafc56ef0d72"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "planning_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "proposed", "approved", name="annualplanstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_planning_plans_version_positive")),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_planning_plans_approved_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_planning_plans_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_plans")),
        sa.UniqueConstraint("year", "scope", name=op.f("uq_planning_plans_year_scope")),
    )
    with op.batch_alter_table("planning_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_plans_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "planning_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("invited", "declined", name="invitationstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_planning_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_planning_invitations_unit_id_units"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_planning_invitations_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_planning_invitations_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_invitations")),
        sa.UniqueConstraint("workshop_id", "user_id", name=op.f("uq_planning_invitations_workshop_id_user_id")),
    )
    with op.batch_alter_table("planning_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_invitations_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_invitations_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "planning_programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("development_type_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column(
            "provider_kind",
            sa.Enum("bkpsdm", "bpsdm", "lan", "mitra", "e_learning", name="providerkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("cost_per_participant", sa.Integer(), nullable=False),
        sa.CheckConstraint("cost_per_participant >= 0", name=op.f("ck_planning_programs_cost_not_negative")),
        sa.CheckConstraint("jp >= 0", name=op.f("ck_planning_programs_jp_not_negative")),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f("ck_planning_programs_quarter_range")),
        sa.ForeignKeyConstraint(
            ["competency_id"], ["competencies.id"], name=op.f("fk_planning_programs_competency_id_competencies")
        ),
        sa.ForeignKeyConstraint(
            ["development_type_id"],
            ["development_types.id"],
            name=op.f("fk_planning_programs_development_type_id_development_types"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["planning_plans.id"],
            name=op.f("fk_planning_programs_plan_id_planning_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_programs")),
    )
    with op.batch_alter_table("planning_programs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_programs_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_programs_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "planning_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_planning_versions_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["planning_plans.id"],
            name=op.f("fk_planning_versions_plan_id_planning_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_versions")),
    )
    with op.batch_alter_table("planning_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_versions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "planning_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("development_type_id", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("target_note", sa.String(length=300), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "kebutuhan",
                "kesenjangan",
                "rencana_individu",
                "manual",
                name="linesource",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column(
            "provider_kind",
            sa.Enum("bkpsdm", "bpsdm", "lan", "mitra", "e_learning", name="providerkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("cost_per_participant", sa.Integer(), nullable=False),
        sa.CheckConstraint("cost_per_participant >= 0", name=op.f("ck_planning_lines_cost_not_negative")),
        sa.CheckConstraint("jp >= 0", name=op.f("ck_planning_lines_jp_not_negative")),
        sa.CheckConstraint("participants >= 1", name=op.f("ck_planning_lines_participants_positive")),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f("ck_planning_lines_quarter_range")),
        sa.ForeignKeyConstraint(
            ["competency_id"], ["competencies.id"], name=op.f("fk_planning_lines_competency_id_competencies")
        ),
        sa.ForeignKeyConstraint(
            ["development_type_id"],
            ["development_types.id"],
            name=op.f("fk_planning_lines_development_type_id_development_types"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["planning_plans.id"],
            name=op.f("fk_planning_lines_plan_id_planning_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["planning_programs.id"],
            name=op.f("fk_planning_lines_program_id_planning_programs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_lines")),
    )
    with op.batch_alter_table("planning_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_lines_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_lines_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_lines_program_id"), ["program_id"], unique=False)

    op.create_table(
        "planning_quotas",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.CheckConstraint("quota >= 0", name=op.f("ck_planning_quotas_quota_not_negative")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["planning_programs.id"],
            name=op.f("fk_planning_quotas_program_id_planning_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_planning_quotas_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("program_id", "unit_id", name=op.f("pk_planning_quotas")),
    )
    with op.batch_alter_table("planning_quotas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_quotas_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "planning_workshop_links",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("realised_cost", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "realised_cost IS NULL OR realised_cost >= 0", name=op.f("ck_planning_workshop_links_cost_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_planning_workshop_links_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["planning_programs.id"],
            name=op.f("fk_planning_workshop_links_program_id_planning_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_planning_workshop_links_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workshop_id", name=op.f("pk_planning_workshop_links")),
    )
    with op.batch_alter_table("planning_workshop_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_workshop_links_program_id"), ["program_id"], unique=False)

    op.create_table(
        "planning_line_positions",
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["planning_lines.id"],
            name=op.f("fk_planning_line_positions_line_id_planning_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_planning_line_positions_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("line_id", "position_id", name=op.f("pk_planning_line_positions")),
    )
    with op.batch_alter_table("planning_line_positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_line_positions_position_id"), ["position_id"], unique=False)


def downgrade():
    with op.batch_alter_table("planning_line_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_line_positions_position_id"))

    op.drop_table("planning_line_positions")
    with op.batch_alter_table("planning_workshop_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_workshop_links_program_id"))

    op.drop_table("planning_workshop_links")
    with op.batch_alter_table("planning_quotas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_quotas_unit_id"))

    op.drop_table("planning_quotas")
    with op.batch_alter_table("planning_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_lines_program_id"))
        batch_op.drop_index(batch_op.f("ix_planning_lines_plan_id"))
        batch_op.drop_index(batch_op.f("ix_planning_lines_competency_id"))

    op.drop_table("planning_lines")
    with op.batch_alter_table("planning_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_versions_plan_id"))

    op.drop_table("planning_versions")
    with op.batch_alter_table("planning_programs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_programs_plan_id"))
        batch_op.drop_index(batch_op.f("ix_planning_programs_competency_id"))

    op.drop_table("planning_programs")
    with op.batch_alter_table("planning_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_invitations_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_planning_invitations_user_id"))

    op.drop_table("planning_invitations")
    with op.batch_alter_table("planning_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_plans_unit_id"))

    op.drop_table("planning_plans")
