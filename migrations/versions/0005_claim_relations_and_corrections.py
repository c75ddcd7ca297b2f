"""claim relations (dropped, softened, contradicted) and editors' corrections

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_key", sa.String(length=300), nullable=True),
        sa.Column("alias_key", sa.String(length=300), nullable=True),
        sa.Column("target_key", sa.String(length=300), nullable=True),
        sa.Column("target_name", sa.String(length=300), nullable=True),
        sa.Column("alias", sa.String(length=300), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("article_hash", sa.String(length=64), nullable=True),
        sa.Column("content_start", sa.Integer(), nullable=True),
        sa.Column("content_end", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_corrections_api_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_corrections_article_hash"), ["article_hash"], unique=False
        )
        batch_op.create_index("ix_corrections_kind_actor_key", ["kind", "actor_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_corrections_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "claim_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("later_article_id", sa.Integer(), nullable=True),
        sa.Column("later_claim_id", sa.Integer(), nullable=True),
        sa.Column("later_statement_id", sa.Integer(), nullable=True),
        sa.Column("evidence_start", sa.Integer(), nullable=True),
        sa.Column("evidence_end", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_relations_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["later_article_id"],
            ["articles.id"],
            name=op.f("fk_claim_relations_later_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["later_claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_relations_later_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["later_statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_relations_later_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_relations_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_relations")),
    )
    with op.batch_alter_table("claim_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_relations_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_relations_later_article_id"), ["later_article_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_relations_later_claim_id"), ["later_claim_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_relations_later_statement_id"),
            ["later_statement_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_claim_relations_statement_id"), ["statement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("claim_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_relations_statement_id"))
        batch_op.drop_index(batch_op.f("ix_claim_relations_later_statement_id"))
        batch_op.drop_index(batch_op.f("ix_claim_relations_later_claim_id"))
        batch_op.drop_index(batch_op.f("ix_claim_relations_later_article_id"))
        batch_op.drop_index(batch_op.f("ix_claim_relations_claim_id"))

    op.drop_table("claim_relations")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_actor_id"))
        batch_op.drop_index("ix_corrections_kind_actor_key")
        batch_op.drop_index(batch_op.f("ix_corrections_article_hash"))

    op.drop_table("corrections")
