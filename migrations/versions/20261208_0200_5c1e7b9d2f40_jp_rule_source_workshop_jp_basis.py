"""JP rules say where each conversion comes from; a workshop records how its JP was reached

Adds ``learning_jp_rules.source`` and fills it for the seeded rules that still hold their default conversion
(a rule an admin changed is left without a source: its source is whatever the admin decided).

Adds ``workshops.jp_basis`` and ``workshops.jp_reason`` and drops ``workshops.jp_overridden``. Existing workshops
keep their stored JP: they are marked as stored before the rule (``legacy``: computed from the session minutes,
``legacy_organizer``: typed by the organizer). Downgrade restores ``jp_overridden`` from the basis.

Columns are added and dropped in place (no table rebuild): on SQLite a rebuilt ``workshops`` table would take its
registrations with it through ON DELETE CASCADE.

Revision ID: 5c1e7b9d2f40
Revises: 5b1e7c2d9a40
Create Date: 2026-12-08 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7b9d2f40'
down_revision = '5b1e7c2d9a40'
branch_labels = None
depends_on = None

# The default rules' sources as of this revision (portal/learning/services/rules.py), by the conversion they fit.
_CLASSICAL = (
    "1 JP = 45 menit pembelajaran klasikal (Peraturan LAN 10/2018; menit per JP adalah pengaturan portal); "
    "pelatihan berkurikulum dihitung sesuai JP kurikulumnya."
)
_NON_CLASSICAL = "Pedoman LAN tentang pengembangan kompetensi non-klasikal (2020)."
_PORTAL = "Aturan bawaan portal, bukan dari pedoman LAN: sesuaikan dengan kebijakan BKPSDM."
# code: (unit, jp_per_unit, jp_international, source)
_SEEDED = {
    **{code: ("curriculum", 10, None, _CLASSICAL)
       for code in ("KL01", "KL02", "KL03", "KL04", "KL05", "KL08", "KL09", "KL10", "KL12", "NKL13")},
    "KL06": ("day", 4, 6, _NON_CLASSICAL),
    "KL07": ("day", 5, 7, _NON_CLASSICAL),
    "KL11": ("day", 3, None, _PORTAL),
    **{code: ("session", 2, None, _NON_CLASSICAL) for code in ("NKL01", "NKL02", "NKL11")},
    "NKL03": ("activity", 3, None, _NON_CLASSICAL),
    "NKL04": ("activity", 4, None, _NON_CLASSICAL),
    "NKL06": ("activity", 4, None, _NON_CLASSICAL),
    "NKL07": ("activity", 10, None, _NON_CLASSICAL),
    **{code: ("activity", 20, None, _NON_CLASSICAL) for code in ("NKL05", "NKL08", "NKL12")},
    **{code: ("activity", 2, None, _NON_CLASSICAL) for code in ("NKL09", "NKL10")},
}

_BASIS = sa.Enum('rule', 'organizer', 'legacy', 'legacy_organizer', name='jpbasis', native_enum=False, length=20)


def upgrade():
    op.add_column('learning_jp_rules', sa.Column('source', sa.String(length=300), nullable=False, server_default=''))
    fill = sa.text(
        "UPDATE learning_jp_rules SET source = :source "
        "WHERE development_type_id IN (SELECT id FROM development_types WHERE code = :code) "
        "AND unit = :unit AND jp_per_unit = :jp "
        "AND ((:international IS NULL AND jp_international IS NULL) OR jp_international = :international)"
    ).bindparams(sa.bindparam('international', type_=sa.Integer()))
    for code, (unit, jp, international, source) in _SEEDED.items():
        op.get_bind().execute(fill, {'source': source, 'code': code, 'unit': unit, 'jp': jp, 'international': international})

    op.add_column('workshops', sa.Column('jp_basis', _BASIS, nullable=False, server_default='rule'))
    op.add_column('workshops', sa.Column('jp_reason', sa.String(length=500), nullable=False, server_default=''))
    op.execute(
        sa.text(
            "UPDATE workshops SET jp_basis = CASE WHEN jp_overridden THEN 'legacy_organizer' ELSE 'legacy' END"
        )
    )
    op.drop_column('workshops', 'jp_overridden')


def downgrade():
    op.add_column('workshops', sa.Column('jp_overridden', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        sa.text("UPDATE workshops SET jp_overridden = (jp_basis IN ('organizer', 'legacy_organizer'))")
    )
    op.drop_column('workshops', 'jp_reason')
    op.drop_column('workshops', 'jp_basis')
    op.drop_column('learning_jp_rules', 'source')
