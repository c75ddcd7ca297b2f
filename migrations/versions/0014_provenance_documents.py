"""provenance_documents: each claim's provenance JSON, encoded once and kept until it changes

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22

``GET /v1/claims/{id}/provenance`` gathers a claim's statements, their articles' copies,
the narration that states it and its relations to other claims: seven queries and a
word diff per appearance. ``api/services/provenance_documents.py`` encodes that answer
once and keeps it, with the articles it was rendered from in
``provenance_dependencies`` (everything a provenance shows belongs to one of those
articles, or is the claim's own row). Triggers set a document back to NULL, whichever
process writes, when:

- the claim's row changes, or a statement joins or leaves it (a new claim gets a NULL
  document);
- anything shown from an article it depends on changes: a statement of that article,
  a statement's credits, the article's own fields, a new copy of it, its narration, the
  name of a speaker or source that appears there, a statement's claim link (relations
  show the other side's claim);
- a relation or a narration mention of the claim is added, changed or removed.

The triggers lock the document's row even when it is already NULL: a writer rendering
it holds that lock (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so a concurrent change
waits and then sets it NULL again instead of being lost under the rendered bytes.
Existing claims start with NULL documents: ``statements migrate`` renders them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "UPDATE provenance_documents SET body = NULL WHERE claim_id"


def depending_on(article: str) -> str:
    """The claims whose documents show the article ``article`` (an SQL expression)."""
    return f"IN (SELECT claim_id FROM provenance_dependencies WHERE article_id = {article})"


def article_of(statement: str) -> str:
    return f"(SELECT article_id FROM statements WHERE id = {statement})"


def claim_of(statements: str) -> str:
    return f"IN (SELECT claim_id FROM claim_statements WHERE statement_id IN ({statements}))"


SPEAKER_ARTICLES = (
    "IN (SELECT d.claim_id FROM provenance_dependencies d "
    "JOIN statements s ON s.article_id = d.article_id WHERE s.speaker_id = NEW.id)"
)
SOURCE_ARTICLES = (
    "IN (SELECT d.claim_id FROM provenance_dependencies d "
    "JOIN articles a ON a.id = d.article_id WHERE a.source_id = NEW.id "
    "UNION SELECT d.claim_id FROM provenance_dependencies d "
    "JOIN statements s ON s.article_id = d.article_id "
    "JOIN statement_credits c ON c.statement_id = s.id WHERE c.source_id = NEW.id)"
)


def _each(old: bool, new: bool, statements: Sequence[str]) -> tuple[str, ...]:
    """``statements`` written with NEW and/or OLD, as the event has them."""
    rows = (["NEW"] if new else []) + (["OLD"] if old else [])
    return tuple(s.replace("ROW.", f"{row}.") for row in rows for s in statements)


# event -> (has OLD, has NEW)
EVENTS = {"INSERT": (False, True), "UPDATE": (True, True), "DELETE": (True, False)}
LINKED = (
    # table -> statements, written with ROW for NEW or OLD
    (
        "claim_statements",
        (f"{STALE} = ROW.claim_id", f"{STALE} {depending_on(article_of('ROW.statement_id'))}"),
    ),
    ("statement_credits", (f"{STALE} {depending_on(article_of('ROW.statement_id'))}",)),
    (
        "claim_relations",
        (
            f"{STALE} IN (ROW.claim_id, ROW.later_claim_id)",
            f"{STALE} {claim_of('ROW.statement_id, ROW.later_statement_id')}",
        ),
    ),
    ("claim_mentions", (f"{STALE} {claim_of('ROW.statement_id')}",)),
    ("narration_sentences", (f"{STALE} {depending_on('ROW.article_id')}",)),
)
# (trigger name, event, table, statements run for each row)
TRIGGERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "trg_claims_insert_provenance",
        "INSERT",
        "claims",
        ("INSERT INTO provenance_documents (claim_id, body) VALUES (NEW.id, NULL)",),
    ),
    ("trg_claims_update_provenance", "UPDATE", "claims", (f"{STALE} = NEW.id",)),
    *(
        (f"trg_statements_{event.lower()}_provenance", event, "statements", statements)
        for event, statements in (
            ("UPDATE", _each(True, True, (f"{STALE} {depending_on('ROW.article_id')}",))),
            ("DELETE", _each(True, False, (f"{STALE} {depending_on('ROW.article_id')}",))),
        )
    ),
    *(
        (f"trg_articles_{name}_provenance", event, "articles", statements)
        for name, event, statements in (
            ("insert", "INSERT", (f"{STALE} {depending_on('NEW.duplicate_of_id')}",)),
            (
                "update",
                "UPDATE OF title, url, published_date, source_id, duplicate_of_id, "
                "duplicate_similarity, text",
                _each(
                    True,
                    True,
                    (
                        f"{STALE} {depending_on('ROW.id')}",
                        f"{STALE} {depending_on('ROW.duplicate_of_id')}",
                    ),
                ),
            ),
            (
                "delete",
                "DELETE",
                (
                    f"{STALE} {depending_on('OLD.id')}",
                    f"{STALE} {depending_on('OLD.duplicate_of_id')}",
                ),
            ),
        )
    ),
    (
        "trg_actors_update_provenance",
        "UPDATE OF name, kind",
        "actors",
        (
            f"{STALE} IN (SELECT id FROM claims WHERE speaker_id = NEW.id)",
            f"{STALE} {SPEAKER_ARTICLES}",
        ),
    ),
    (
        "trg_sources_update_provenance",
        "UPDATE OF name, kind",
        "sources",
        (f"{STALE} {SOURCE_ARTICLES}",),
    ),
    *(
        (f"trg_{table}_{event.lower()}_provenance", event, table, _each(*EVENTS[event], statements))
        for table, statements in LINKED
        for event in EVENTS
    ),
)


def upgrade() -> None:
    op.create_table(
        "provenance_documents",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_provenance_documents_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_provenance_documents")),
    )
    op.create_index(
        "ix_provenance_documents_stale",
        "provenance_documents",
        ["claim_id"],
        sqlite_where=sa.text("body IS NULL"),
        postgresql_where=sa.text("body IS NULL"),
    )
    # No foreign key to articles: a dependency on a deleted article is harmless (the
    # article's own delete trigger has already set the document NULL), and rendering
    # replaces a claim's dependencies whole.
    op.create_table(
        "provenance_dependencies",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_provenance_dependencies_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "claim_id", name=op.f("pk_provenance_dependencies")),
    )
    op.create_index("ix_provenance_dependencies_claim_id", "provenance_dependencies", ["claim_id"])
    op.execute("INSERT INTO provenance_documents (claim_id, body) SELECT id, NULL FROM claims")
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
    op.drop_index("ix_provenance_dependencies_claim_id", table_name="provenance_dependencies")
    op.drop_table("provenance_dependencies")
    op.drop_index("ix_provenance_documents_stale", table_name="provenance_documents")
    op.drop_table("provenance_documents")
