"""speaker_page_documents: the first page of each actor's statements, stored as one array

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23

``GET /v1/actors/{id}/statements`` without parameters is the page a frontend opens for
an actor: their first statements in id order. Read from the statements' own documents
it is one index range and a lookup per statement, spread over the whole file on a large
archive. ``api/services/speaker_page_documents.py`` keeps it as one row: the page's
stored statement documents as one JSON array, the page size it was rendered for, the
id of its last statement and whether more follow.

A page shows the actor's first ``page_size`` statements, so a change to a statement of
theirs matters to it only when the statement is on it (its id at most ``last_id``) or
when the page holds all of them (``has_more`` false: any new one joins it). Triggers set
the page's body NULL, whichever process writes, when such a statement is:

- inserted (the page's row is created for an actor's first statement);
- given another speaker (both actors' pages);
- deleted;
- re-rendered, or set NULL, in ``statement_documents``: that covers everything a
  statement's document shows (migrations 0013 and 0015 set it NULL on those changes).

As in 0015, the triggers update the page's row even when it is already NULL, so they
wait for a writer rendering it (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and set it
NULL again after. Existing actors start with NULL pages: ``statements migrate`` renders
them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def stale(speaker: str, statement: str) -> str:
    """Set NULL the page of ``speaker`` if the statement ``statement`` is on it."""
    return (
        f"UPDATE speaker_page_documents SET body = NULL WHERE speaker_id = {speaker} "
        f"AND (NOT has_more OR last_id IS NULL OR {statement} <= last_id)"
    )


def ensure(speaker: str) -> str:
    """The speaker's page row, created NULL (to render) if it has none yet."""
    # The WHERE clause also keeps SQLite from reading ON CONFLICT as a join's clause.
    return (
        f"INSERT INTO speaker_page_documents (speaker_id) SELECT {speaker} "
        f"WHERE {speaker} IS NOT NULL ON CONFLICT (speaker_id) DO NOTHING"
    )


SPEAKER_OF_DOCUMENT = "(SELECT speaker_id FROM statements WHERE id = NEW.statement_id)"
# (trigger name, event, table, statements run for each row)
TRIGGERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "trg_statements_insert_speaker_page",
        "INSERT",
        "statements",
        (ensure("NEW.speaker_id"), stale("NEW.speaker_id", "NEW.id")),
    ),
    (
        "trg_statements_update_speaker_page",
        "UPDATE OF speaker_id",
        "statements",
        (
            ensure("NEW.speaker_id"),
            stale("NEW.speaker_id", "NEW.id"),
            stale("OLD.speaker_id", "OLD.id"),
        ),
    ),
    (
        "trg_statements_delete_speaker_page",
        "DELETE",
        "statements",
        (stale("OLD.speaker_id", "OLD.id"),),
    ),
    (
        "trg_statement_documents_update_speaker_page",
        "UPDATE",
        "statement_documents",
        (stale(SPEAKER_OF_DOCUMENT, "NEW.statement_id"),),
    ),
)


def upgrade() -> None:
    op.create_table(
        "speaker_page_documents",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("page_size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("has_more", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["actors.id"],
            name=op.f("fk_speaker_page_documents_speaker_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("speaker_id", name=op.f("pk_speaker_page_documents")),
    )
    op.create_index(
        "ix_speaker_page_documents_stale",
        "speaker_page_documents",
        ["speaker_id"],
        sqlite_where=sa.text("body IS NULL"),
        postgresql_where=sa.text("body IS NULL"),
    )
    op.execute(
        "INSERT INTO speaker_page_documents (speaker_id) "
        "SELECT DISTINCT speaker_id FROM statements WHERE speaker_id IS NOT NULL"
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, event, table, statements in TRIGGERS:
        body = "; ".join(statements)
        if postgresql:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body}; END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, _, table, _ in TRIGGERS:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_speaker_page_documents_stale", table_name="speaker_page_documents")
    op.drop_table("speaker_page_documents")
