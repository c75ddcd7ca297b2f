"""narration sentences and claim mentions: outlets that state a claim in their own words

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22

A fact one outlet attributes ("the draft says the US would lead ceasefire monitoring")
another may state as its own narration, with no statement to join a claim. Sentences of
an article that are part of no statement are kept with their index keys
(``narration_sentences``, ``narration_keys``: the keys of api/pipeline/claims.py), and a
sentence that matches a claim strongly is a ``claim_mentions`` row pointing at the
claim's statement it matches best (api/pipeline/claim_mentions.py). Provenance serves
them, so their changes move the data version (as 0007 does for the other served
tables). Articles already stored get no narration: ingest them again to have it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERVED = ("narration_sentences", "claim_mentions")
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "narration_sentences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_narration_sentences_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_narration_sentences")),
    )
    with op.batch_alter_table("narration_sentences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_narration_sentences_article_id"), ["article_id"], unique=False
        )
    op.create_table(
        "narration_keys",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["narration_sentences.id"],
            name=op.f("fk_narration_keys_sentence_id_narration_sentences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "sentence_id", name=op.f("pk_narration_keys")),
    )
    with op.batch_alter_table("narration_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_narration_keys_sentence_id"), ["sentence_id"], unique=False
        )
    op.create_table(
        "claim_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["narration_sentences.id"],
            name=op.f("fk_claim_mentions_sentence_id_narration_sentences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_mentions_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_mentions")),
        sa.UniqueConstraint(
            "sentence_id", "statement_id", name=op.f("uq_claim_mentions_sentence_id")
        ),
    )
    with op.batch_alter_table("claim_mentions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_mentions_sentence_id"), ["sentence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_mentions_statement_id"), ["statement_id"], unique=False
        )
    _bump_on_change()


def _bump_on_change() -> None:
    """Data-version triggers as migration 0007 makes them (its function on PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        for table in SERVED:
            op.execute(
                f"CREATE TRIGGER trg_{table}_change_data_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
            )
        return
    for table in SERVED:
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER trg_{table}_{event}_data_version AFTER {event.upper()} "
                f"ON {table} BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    # Dropping a table drops its triggers on both engines.
    with op.batch_alter_table("claim_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_mentions_statement_id"))
        batch_op.drop_index(batch_op.f("ix_claim_mentions_sentence_id"))
    op.drop_table("claim_mentions")
    with op.batch_alter_table("narration_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_narration_keys_sentence_id"))
    op.drop_table("narration_keys")
    with op.batch_alter_table("narration_sentences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_narration_sentences_article_id"))
    op.drop_table("narration_sentences")
