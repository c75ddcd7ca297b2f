"""data_version on PostgreSQL: moved once per transaction, at commit

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22

Migration 0007 moved the counter in a statement-level trigger, at a transaction's first
write to a served table. The UPDATE locks the counter's row until the transaction ends,
so two ingestion workers took turns for their whole database work: with two processes,
writers spent about three quarters of their database time waiting on that row.

Now each served table has a deferred constraint trigger: it fires when the transaction
commits, and only its first firing moves the counter (a transaction-local setting
remembers it), so the row is locked only while the commit completes. Readers still see
the new number exactly when they see the rows.

A connection may ask for the old, immediate behaviour (tests whose transactions never
commit): ``SET CONSTRAINTS ALL IMMEDIATE`` and ``SET statements.data_version_per_row =
'on'``. TRUNCATE, which constraint triggers cannot watch, keeps a statement trigger.

SQLite is unchanged: its writers hold the one write lock for the whole transaction
anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "bump_data_version"
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
ONCE = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('statements.data_version_per_row', true), '') <> 'on' THEN
        IF coalesce(current_setting('statements.data_version_moved', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        PERFORM set_config('statements.data_version_moved', 'on', true);
    END IF;
    {bump};
    RETURN NULL;
END $$
"""
EACH_STATEMENT = (
    "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN {bump}; RETURN NULL; END $$"
)


def _served_tables() -> list[str]:
    """The tables migration 0007 watched, and those added since with the same trigger."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE 'trg_%_change_data_version'"
        )
    )
    return sorted(row[0] for row in rows)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(ONCE.format(function=FUNCTION, bump=BUMP))
    for table in _served_tables():
        op.execute(f"DROP TRIGGER trg_{table}_change_data_version ON {table}")
        op.execute(
            f"CREATE CONSTRAINT TRIGGER trg_{table}_commit_data_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_truncate_data_version AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    rows = op.get_bind().execute(
        sa.text(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE 'trg_%_commit_data_version'"
        )
    )
    for table in sorted(row[0] for row in rows):
        op.execute(f"DROP TRIGGER trg_{table}_commit_data_version ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_truncate_data_version ON {table}")
        op.execute(
            f"CREATE TRIGGER trg_{table}_change_data_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
    op.execute(EACH_STATEMENT.format(function=FUNCTION, bump=BUMP))
