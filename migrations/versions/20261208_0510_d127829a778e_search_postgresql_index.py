"""search: the PostgreSQL full-text index (search_documents, search_terms) and the pg_trgm extension

On PostgreSQL, search runs in the database (portal.search.pg_backend): one row per document with a weighted
``tsvector`` analysed in Python, a GIN index, and the vocabulary with document frequencies under a trigram index
for "did you mean". The extension needs CREATE privilege on the database (or a DBA creates it first, see
docs/operations.md). On SQLite the tables are created unused (Whoosh stays the backend there). The new index is
empty: `flask search rebuild` fills it once after this upgrade.

Revision ID: d127829a778e
Revises: 8c53853451d7
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "d127829a778e"
down_revision = "8c53853451d7"
branch_labels = None
depends_on = None


def _trigram_opclass() -> str:
    """gin_trgm_ops, qualified by the extension's schema (it may live outside the search_path)."""
    bind = op.get_bind()
    bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar_one()
    return f'"{schema}".gin_trgm_ops'


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("competencies", sa.String(length=400), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("reach", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title_len", sa.Integer(), nullable=False),
        sa.Column("content_len", sa.Integer(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("key", name=op.f("uq_search_documents_key")),
    )
    op.create_index("ix_search_documents_tsv", "search_documents", ["tsv"], unique=False, postgresql_using="gin")
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("doc_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    opclass = _trigram_opclass() if postgres else "gin_trgm_ops"
    op.create_index(
        "ix_search_terms_trgm",
        "search_terms",
        ["term"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"term": opclass},
    )


def downgrade():
    op.drop_index("ix_search_terms_trgm", table_name="search_terms")
    op.drop_table("search_terms")
    op.drop_index("ix_search_documents_tsv", table_name="search_documents")
    op.drop_table("search_documents")
    # pg_trgm stays: other databases objects may use it, and dropping needs the owner's rights.
