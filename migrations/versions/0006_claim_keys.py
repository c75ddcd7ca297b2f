"""claim_keys: the index that finds a new statement's candidate claims

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

The keys of the statements already stored are computed here, by the same function
ingestion uses (api/pipeline/claims.py ``claim_keys``), so that new statements find the
claims made before the upgrade. Existing claims are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "claim_keys",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_keys_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "statement_id", name=op.f("pk_claim_keys")),
    )
    with op.batch_alter_table("claim_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_keys_statement_id"), ["statement_id"], unique=False
        )
    _index_stored_statements()


def _index_stored_statements() -> None:
    from api.pipeline.claims import claim_keys

    statements = sa.table("statements", sa.column("id", sa.Integer), sa.column("text", sa.Text))
    keys = sa.table(
        "claim_keys", sa.column("key", sa.BigInteger), sa.column("statement_id", sa.Integer)
    )
    connection = op.get_bind()
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
    with op.batch_alter_table("claim_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_keys_statement_id"))

    op.drop_table("claim_keys")
