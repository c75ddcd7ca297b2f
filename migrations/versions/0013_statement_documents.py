"""statement_documents: each statement's API JSON, encoded once and kept until it changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22

``GET /v1/statements/{id}`` and the actor pages serve statements as the bytes
``api/services/statement_documents.py`` encoded when the statement was stored, instead
of loading and encoding five tables' rows per read. A document holds while nothing it
is rendered from changes; triggers make that so whichever process writes:

- a new statement gets a row with a NULL body (to render);
- a change to the statement, its credits or its claim link, or to the name or kind of
  its speaker, the title, URL, date or outlet of its article, or the name or kind of a
  source it names, sets the body back to NULL.

Writers render the NULL bodies before they commit (the partial index finds them);
a reader that finds NULL renders from the tables as before. Existing statements start
with NULL bodies: ``statements migrate`` renders them after upgrading.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "UPDATE statement_documents SET body = NULL WHERE body IS NOT NULL AND statement_id"
SPEAKER_OF = "IN (SELECT id FROM statements WHERE speaker_id = NEW.id)"
ARTICLE_OF = "IN (SELECT id FROM statements WHERE article_id = NEW.id)"
SOURCE_OF = (
    "IN (SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id "
    "WHERE a.source_id = NEW.id UNION SELECT statement_id FROM statement_credits "
    "WHERE source_id = NEW.id)"
)
# (trigger name, event, table, statements run for each row)
TRIGGERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "trg_statements_insert_document",
        "INSERT",
        "statements",
        ("INSERT INTO statement_documents (statement_id, body) VALUES (NEW.id, NULL)",),
    ),
    ("trg_statements_update_document", "UPDATE", "statements", (f"{STALE} = NEW.id",)),
    (
        "trg_actors_update_document",
        "UPDATE OF name, kind",
        "actors",
        (f"{STALE} {SPEAKER_OF}",),
    ),
    (
        "trg_articles_update_document",
        "UPDATE OF title, url, published_date, source_id",
        "articles",
        (f"{STALE} {ARTICLE_OF}",),
    ),
    ("trg_sources_update_document", "UPDATE OF name, kind", "sources", (f"{STALE} {SOURCE_OF}",)),
    *(
        (f"trg_{table}_{event.lower()}_document", event, table, statements)
        for table in ("statement_credits", "claim_statements")
        for event, statements in (
            ("INSERT", (f"{STALE} = NEW.statement_id",)),
            ("DELETE", (f"{STALE} = OLD.statement_id",)),
            ("UPDATE", (f"{STALE} = NEW.statement_id", f"{STALE} = OLD.statement_id")),
        )
    ),
)


def upgrade() -> None:
    op.create_table(
        "statement_documents",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_documents_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_statement_documents")),
    )
    # Only the bodies still to render: writers find them without reading the rest.
    op.create_index(
        "ix_statement_documents_stale",
        "statement_documents",
        ["statement_id"],
        sqlite_where=sa.text("body IS NULL"),
        postgresql_where=sa.text("body IS NULL"),
    )
    op.execute(
        "INSERT INTO statement_documents (statement_id, body) SELECT id, NULL FROM statements"
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
    op.drop_index("ix_statement_documents_stale", table_name="statement_documents")
    op.drop_table("statement_documents")
