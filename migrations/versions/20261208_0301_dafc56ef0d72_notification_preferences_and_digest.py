"""notifications: an email choice per kind, and the daily digest

Adds ``notification_preferences`` (a person's email choice per notification kind: immediate, digest or off; the
kind ``*`` covers every kind without a choice of its own) and, on ``notifications``, ``email_digest`` (the
recipient wants it in the daily digest) and ``emailed_at`` (a digest carried it). The old single switch
``notification_settings.email_enabled`` becomes the ``*`` row: on → immediate, off → no row (the default).

Revision ID: dafc56ef0d72
Revises: 323b934cdac3
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dafc56ef0d72"
down_revision = "323b934cdac3"
branch_labels = None
depends_on = None

_CHOICE = sa.Enum("immediate", "digest", "off", name="emailchoice", native_enum=False, length=10)


def upgrade():
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("email", _CHOICE, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preferences")),
    )
    op.execute(
        "INSERT INTO notification_preferences (user_id, kind, email) "
        "SELECT user_id, '*', 'immediate' FROM notification_settings WHERE email_enabled"
    )
    op.drop_table("notification_settings")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_digest", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_notifications_email_digest_emailed_at", ["email_digest", "emailed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_email_digest_emailed_at")
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("email_digest")
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.execute(
        "INSERT INTO notification_settings (user_id, email_enabled) "
        "SELECT user_id, TRUE FROM notification_preferences WHERE kind = '*' AND email <> 'off'"
    )
    op.drop_table("notification_preferences")
