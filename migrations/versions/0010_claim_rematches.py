"""claim_rematches: statements whose claim an editor's correction put in doubt

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22

Claims depend on who speaks (two different named people are never one claim), so a
reassigned speaker can make a statement's claim wrong. The HTTP layer cannot run the
matcher (it lives in the pipeline): the correction detaches what is plainly wrong at
once and records the statement here, in its own transaction; the pipeline drains the
table with the real matcher (api/pipeline/claim_rematch.py). Not served by the API, so
no data-version trigger.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_rematches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_rematches_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_rematches")),
    )
    with op.batch_alter_table("claim_rematches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_rematches_statement_id"), ["statement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("claim_rematches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_rematches_statement_id"))
    op.drop_table("claim_rematches")
