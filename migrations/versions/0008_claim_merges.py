"""claim_merges: where a claim merged into another went; claim keys recomputed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

A statement that matches two claims merges them (api/pipeline/claim_merge.py); the
merged claim's id is recorded with the claim it became, so ``/v1/claims/{id}`` keeps
answering. The claim matcher now reads derived forms and near synonyms as one word
(api/pipeline/data/claim_words.toml), which changes the index keys: the keys of the
statements already stored are computed again, as 0006 did. Existing claims are left as
they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "claim_merges",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("into_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["into_id"],
            ["claims.id"],
            name=op.f("fk_claim_merges_into_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_merges")),
    )
    with op.batch_alter_table("claim_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_merges_into_id"), ["into_id"], unique=False)
    _index_stored_statements_again()


def _index_stored_statements_again() -> None:
    from api.pipeline.claims import claim_keys

    statements = sa.table("statements", sa.column("id", sa.Integer), sa.column("text", sa.Text))
    keys = sa.table(
        "claim_keys", sa.column("key", sa.BigInteger), sa.column("statement_id", sa.Integer)
    )
    connection = op.get_bind()
    connection.execute(sa.delete(keys))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(statements.c.id, statements.c.text)
            .where(statements.c.id > last)
            .order_by(statements.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"key": key, "statement_id": statement_id}
            for statement_id, text in rows
            for key in claim_keys(text)
        ]
        if values:
            connection.execute(sa.insert(keys), values)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("claim_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_merges_into_id"))
    op.drop_table("claim_merges")
