"""statement search

Ranked full-text search over statements: the statement text, its quoted words and the
speaker (the actor's name and the mention as the article wrote it).

- SQLite: an FTS5 table ``statements_fts`` (rowid = statements.id) with three columns,
  ``text``, ``quotes`` (the quoted fragments' texts) and ``speaker`` (actor name, then
  the mention). Tokenizer ``unicode61 remove_diacritics 2``: case- and accent-folding,
  no stemming, so a phrase query means exactly those words.
- PostgreSQL: a ``tsvector`` column ``statements.search_vector`` (text weighted A,
  quotes and speaker B; the ``simple`` configuration: no stemming, no stop words) with
  a GIN index.

Triggers keep the index in step on every write, so writers (the ingestion job) need not
know it exists: statements insert/update/delete, and an actor's rename. Deleting an
actor sets ``statements.speaker_id`` to NULL through the foreign key, which fires the
statements update trigger on both engines.

Caution for later migrations: a SQLite batch operation that *recreates* ``statements``
or ``actors`` (move-and-copy) drops their triggers; such a migration must create the
triggers again (tests/storage/test_search_index.py fails when they are missing).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_quotes(row: str) -> str:
    """The quoted fragments' texts of ``row`` (a statements row alias), space-separated."""
    return (
        "(SELECT group_concat(json_extract(q.value, '$.text'), ' ') "
        f"FROM json_each(CASE WHEN json_valid({row}.quotes) THEN {row}.quotes ELSE '[]' END) AS q "
        "WHERE q.type = 'object')"
    )


def _sqlite_speaker(row: str, actor_name: str | None = None) -> str:
    """The speaker's canonical name (looked up unless given) and the mention as written."""
    name = actor_name or f"(SELECT a.name FROM actors AS a WHERE a.id = {row}.speaker_id)"
    return f"trim(coalesce({name}, '') || ' ' || coalesce({row}.speaker_text, ''))"


def _sqlite_insert(row: str) -> str:
    return (
        "INSERT INTO statements_fts(rowid, text, quotes, speaker) VALUES "
        f"({row}.id, {row}.text, {_sqlite_quotes(row)}, {_sqlite_speaker(row)});"
    )


SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE statements_fts USING fts5("
    "text, quotes, speaker, tokenize = 'unicode61 remove_diacritics 2')",
    f"""
    CREATE TRIGGER statements_search_insert AFTER INSERT ON statements BEGIN
        {_sqlite_insert("new")}
    END
    """,
    f"""
    CREATE TRIGGER statements_search_update
    AFTER UPDATE OF id, text, quotes, speaker_id, speaker_text ON statements BEGIN
        DELETE FROM statements_fts WHERE rowid = old.id;
        {_sqlite_insert("new")}
    END
    """,
    """
    CREATE TRIGGER statements_search_delete AFTER DELETE ON statements BEGIN
        DELETE FROM statements_fts WHERE rowid = old.id;
    END
    """,
    f"""
    CREATE TRIGGER actors_search_rename AFTER UPDATE OF name ON actors
    WHEN old.name IS NOT new.name BEGIN
        UPDATE statements_fts
        SET speaker = (
            SELECT {_sqlite_speaker("s", "new.name")} FROM statements AS s
            WHERE s.id = statements_fts.rowid
        )
        WHERE rowid IN (SELECT id FROM statements WHERE speaker_id = new.id);
    END
    """,
    # Statements stored before this migration.
    "INSERT INTO statements_fts(rowid, text, quotes, speaker) "
    f"SELECT s.id, s.text, {_sqlite_quotes('s')}, {_sqlite_speaker('s')} FROM statements AS s",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS actors_search_rename",
    "DROP TRIGGER IF EXISTS statements_search_delete",
    "DROP TRIGGER IF EXISTS statements_search_update",
    "DROP TRIGGER IF EXISTS statements_search_insert",
    "DROP TABLE IF EXISTS statements_fts",
]


# --- PostgreSQL -----------------------------------------------------------------------

POSTGRESQL_FUNCTIONS = [
    # One place that says what a statement's document is; both triggers call it.
    """
    CREATE FUNCTION statement_search_document(
        body text, quotes json, speaker_id integer, mention text
    ) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', coalesce(body, '')), 'A')
            || setweight(to_tsvector('simple', coalesce((
                SELECT string_agg(q.value ->> 'text', ' ')
                FROM json_array_elements(
                    CASE WHEN json_typeof(quotes) = 'array' THEN quotes ELSE '[]'::json END
                ) AS q
                WHERE json_typeof(q.value) = 'object'
            ), '')), 'B')
            || setweight(to_tsvector('simple', concat_ws(' ',
                (SELECT a.name FROM actors AS a WHERE a.id = speaker_id), mention
            )), 'B')
    $$
    """,
    """
    CREATE FUNCTION statements_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := statement_search_document(
            NEW.text, NEW.quotes, NEW.speaker_id, NEW.speaker_text
        );
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE FUNCTION actors_search_rename() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements
        SET search_vector = statement_search_document(text, quotes, speaker_id, speaker_text)
        WHERE speaker_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
]

POSTGRESQL_TRIGGERS = [
    """
    CREATE TRIGGER statements_search_refresh
    BEFORE INSERT OR UPDATE OF text, quotes, speaker_id, speaker_text ON statements
    FOR EACH ROW EXECUTE FUNCTION statements_search_refresh()
    """,
    """
    CREATE TRIGGER actors_search_rename
    AFTER UPDATE OF name ON actors
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION actors_search_rename()
    """,
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS actors_search_rename ON actors",
    "DROP TRIGGER IF EXISTS statements_search_refresh ON statements",
    "DROP FUNCTION IF EXISTS actors_search_rename()",
    "DROP FUNCTION IF EXISTS statements_search_refresh()",
    "DROP FUNCTION IF EXISTS statement_search_document(text, json, integer, text)",
]


def _dialect() -> str:
    # The migration context knows its dialect online and offline (``--sql``) alike.
    return op.get_context().dialect.name


def upgrade() -> None:
    dialect = _dialect()
    if dialect == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)
    elif dialect == "postgresql":
        op.add_column("statements", sa.Column("search_vector", postgresql.TSVECTOR()))
        for statement in POSTGRESQL_FUNCTIONS + POSTGRESQL_TRIGGERS:
            op.execute(statement)
        # Statements stored before this migration.
        op.execute(
            "UPDATE statements SET search_vector = "
            "statement_search_document(text, quotes, speaker_id, speaker_text)"
        )
        op.alter_column("statements", "search_vector", nullable=False)
        op.create_index(
            "ix_statements_search_vector",
            "statements",
            ["search_vector"],
            postgresql_using="gin",
        )
    else:
        raise NotImplementedError(f"no full-text index for {dialect}")


def downgrade() -> None:
    dialect = _dialect()
    if dialect == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
    elif dialect == "postgresql":
        op.drop_index("ix_statements_search_vector", table_name="statements")
        for statement in POSTGRESQL_DOWNGRADE:
            op.execute(statement)
        op.drop_column("statements", "search_vector")
    else:
        raise NotImplementedError(f"no full-text index for {dialect}")
