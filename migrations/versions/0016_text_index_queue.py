"""text_index_queue: the statements the tantivy search index has still to take in

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-22

The tantivy index (``api/storage/text_index.py``) lives outside the database, so no
transaction can keep it in step. Instead, once the index is switched on (a row in
``text_index_state``, written by ``statements index``), triggers queue every statement
whose searchable text may have changed, whichever process writes:

- a statement inserted, deleted, or its text, quotes, speaker or mention changed (a
  changed id queues both ids);
- an actor renamed: every statement it spoke.

``api/services/text_index_sync.py`` applies the queue to the index and then removes
what it applied. ``ticket`` counts the times a statement was queued: the applier
removes a row only if its ticket is the one it read, so a change made while the index
was being written stays queued. A search answers from the index only when the queue
is empty; while it is not, it answers from the database's own full-text index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED_COLUMNS = "id, text, quotes, speaker_id, speaker_text"
SWITCHED_ON = "EXISTS (SELECT 1 FROM text_index_state)"
UPSERT = "ON CONFLICT (statement_id) DO UPDATE SET ticket = text_index_queue.ticket + 1"


def _sqlite_queue(ids: str) -> str:
    # ``WHERE true`` keeps SQLite from reading ON CONFLICT as the SELECT's join clause.
    return (
        f"INSERT INTO text_index_queue (statement_id) SELECT id FROM ({ids}) WHERE true {UPSERT};"
    )


SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER statements_text_index_insert AFTER INSERT ON statements
    WHEN {SWITCHED_ON} BEGIN
        {_sqlite_queue("SELECT new.id AS id")}
    END
    """,
    f"""
    CREATE TRIGGER statements_text_index_update AFTER UPDATE OF {SEARCHED_COLUMNS}
    ON statements WHEN {SWITCHED_ON} BEGIN
        {_sqlite_queue("SELECT new.id AS id UNION SELECT old.id")}
    END
    """,
    f"""
    CREATE TRIGGER statements_text_index_delete AFTER DELETE ON statements
    WHEN {SWITCHED_ON} BEGIN
        {_sqlite_queue("SELECT old.id AS id")}
    END
    """,
    f"""
    CREATE TRIGGER actors_text_index_rename AFTER UPDATE OF name ON actors
    WHEN {SWITCHED_ON} AND old.name IS NOT new.name BEGIN
        {_sqlite_queue("SELECT id FROM statements WHERE speaker_id = new.id")}
    END
    """,
]

POSTGRESQL_FUNCTIONS = [
    f"""
    CREATE FUNCTION text_index_queue_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {SWITCHED_ON} THEN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO text_index_queue (statement_id) VALUES (OLD.id) {UPSERT};
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
                INSERT INTO text_index_queue (statement_id) VALUES (NEW.id) {UPSERT};
            END IF;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE FUNCTION text_index_queue_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {SWITCHED_ON} AND OLD.name IS DISTINCT FROM NEW.name THEN
            INSERT INTO text_index_queue (statement_id)
            SELECT id FROM statements WHERE speaker_id = NEW.id {UPSERT};
        END IF;
        RETURN NULL;
    END
    $$
    """,
]

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE TRIGGER statements_text_index
    AFTER INSERT OR DELETE OR UPDATE OF {SEARCHED_COLUMNS} ON statements
    FOR EACH ROW EXECUTE FUNCTION text_index_queue_statement()
    """,
    """
    CREATE TRIGGER actors_text_index_rename AFTER UPDATE OF name ON actors
    FOR EACH ROW EXECUTE FUNCTION text_index_queue_speaker()
    """,
]


def upgrade() -> None:
    op.create_table(
        "text_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("switched_on_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_index_state")),
    )
    op.create_table(
        "text_index_queue",
        sa.Column("statement_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ticket", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_text_index_queue")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_FUNCTIONS + POSTGRESQL_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER actors_text_index_rename ON actors")
        op.execute("DROP TRIGGER statements_text_index ON statements")
        op.execute("DROP FUNCTION text_index_queue_speaker()")
        op.execute("DROP FUNCTION text_index_queue_statement()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER statements_text_index_{name}")
        op.execute("DROP TRIGGER actors_text_index_rename")
    op.drop_table("text_index_queue")
    op.drop_table("text_index_state")
