"""statement_documents: triggers lock a document's row even when it is already NULL

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22

Migration 0013's triggers set a statement's document NULL only when it was not NULL
already. On PostgreSQL that let a change be lost: a writer rendering a NULL document
read the tables, another writer changed a row the document shows and committed (its
trigger found the document NULL and touched nothing), then the first wrote bytes that
did not show the change. Now every trigger updates the row whatever its body, so it
waits for a writer rendering that document (rendering takes its rows ``FOR UPDATE SKIP
LOCKED``) and sets it NULL again after; provenance documents work the same way
(0014). Only the triggers' bodies change, on both databases, so one definition holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKING = "UPDATE statement_documents SET body = NULL WHERE statement_id"
SKIPPING = "UPDATE statement_documents SET body = NULL WHERE body IS NOT NULL AND statement_id"
SPEAKER_OF = "IN (SELECT id FROM statements WHERE speaker_id = NEW.id)"
ARTICLE_OF = "IN (SELECT id FROM statements WHERE article_id = NEW.id)"
SOURCE_OF = (
    "IN (SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id "
    "WHERE a.source_id = NEW.id UNION SELECT statement_id FROM statement_credits "
    "WHERE source_id = NEW.id)"
)
# 0013's triggers that set documents NULL: (name, event, table, statements with STALE).
TRIGGERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("trg_statements_update_document", "UPDATE", "statements", ("STALE = NEW.id",)),
    ("trg_actors_update_document", "UPDATE OF name, kind", "actors", (f"STALE {SPEAKER_OF}",)),
    (
        "trg_articles_update_document",
        "UPDATE OF title, url, published_date, source_id",
        "articles",
        (f"STALE {ARTICLE_OF}",),
    ),
    ("trg_sources_update_document", "UPDATE OF name, kind", "sources", (f"STALE {SOURCE_OF}",)),
    *(
        (f"trg_{table}_{event.lower()}_document", event, table, statements)
        for table in ("statement_credits", "claim_statements")
        for event, statements in (
            ("INSERT", ("STALE = NEW.statement_id",)),
            ("DELETE", ("STALE = OLD.statement_id",)),
            ("UPDATE", ("STALE = NEW.statement_id", "STALE = OLD.statement_id")),
        )
    ),
)


def _replace_triggers(stale: str) -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, event, table, statements in TRIGGERS:
        body = "; ".join(s.replace("STALE", stale, 1) for s in statements)
        if postgresql:  # the trigger calls the function by name: replacing it is enough
            op.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body}; RETURN NULL; END $$"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body}; END")


def upgrade() -> None:
    _replace_triggers(LOCKING)


def downgrade() -> None:
    _replace_triggers(SKIPPING)
