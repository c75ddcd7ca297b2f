"""data_version: a counter every change to what the API serves moves forward

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

The API keeps rendered responses in memory (api/http/response_cache.py) and must know
when they no longer hold. Triggers on every table a response is built from add one to
``data_version.version`` in the writer's own transaction, so a reader sees the new
number exactly when it can see the new rows, whichever process wrote them (an ingest
job, a worker, an editor's request to another API process, a hand-run SQL fix).

Queue, key and delivery tables are left out: jobs and keys are never cached, and
their writes must not empty the cache.

SQLite has only row-level triggers; PostgreSQL gets one statement-level trigger per
table, so a bulk insert moves the counter once per statement, not per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERVED_TABLES = (
    "sources",
    "articles",
    "actors",
    "actor_aliases",
    "statements",
    "statement_credits",
    "claims",
    "claim_statements",
    "claim_relations",
)
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
PG_FUNCTION = "bump_data_version"


def _trigger(table: str, event: str) -> str:
    return f"trg_{table}_{event}_data_version"


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in SERVED_TABLES:
            op.execute(
                f"CREATE TRIGGER {_trigger(table, 'change')} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
        return
    for table in SERVED_TABLES:
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER {_trigger(table, event)} AFTER {event.upper()} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SERVED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, 'change')} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for table in SERVED_TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, event)}")
    op.drop_table("data_version")
