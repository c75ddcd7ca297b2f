"""The full-text index of migration 0003: created, backfilled, kept in step, removed.

The drift test leaves the index's objects out of the comparison (they are not modelled);
this file checks them directly, on both engines: after an upgrade they exist and index
the rows stored before it; writes through a synchronous ORM session (as the ingestion
job makes them) reach the index through the triggers; a downgrade removes every one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, inspect, select, text, update
from sqlalchemy.orm import Session

from api.services.search import apply_search, parse_search
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ActorRow, ArticleRow, StatementRow
from tests.conftest import empty_database_url

SQLITE_TRIGGERS = {
    "statements_search_insert",
    "statements_search_update",
    "statements_search_delete",
    "actors_search_rename",
}
POSTGRESQL_TRIGGERS = {"statements_search_refresh", "actors_search_rename"}
POSTGRESQL_FUNCTIONS = {
    "statement_search_document",
    "statements_search_refresh",
    "actors_search_rename",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_search_check") as url:
        yield url


def search_objects(conn: Connection) -> set[str]:
    """Every database object of the full-text index that exists, by name."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE name LIKE 'statements_fts%' "
                "OR (type = 'trigger' AND name LIKE '%search%')"
            )
        )
        return {name for (name,) in rows}
    found: set[str] = set()
    triggers = conn.execute(
        text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%search%'")
    )
    found |= {name for (name,) in triggers}
    functions = conn.execute(
        text(
            "SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace "
            "AND proname LIKE '%search%'"
        )
    )
    found |= {name for (name,) in functions}
    columns = {column["name"] for column in inspect(conn).get_columns("statements")}
    found |= columns & {"search_vector"}
    indexes = {index["name"] for index in inspect(conn).get_indexes("statements")}
    found |= {name for name in indexes if name and "search" in name}
    return found


def expected_objects(dialect: str) -> set[str]:
    if dialect == "sqlite":
        shadows = {f"statements_fts_{s}" for s in ("data", "idx", "content", "docsize", "config")}
        return {"statements_fts", *shadows, *SQLITE_TRIGGERS}
    return {
        *POSTGRESQL_TRIGGERS,
        *POSTGRESQL_FUNCTIONS,
        "search_vector",
        "ix_statements_search_vector",
    }


def matching_ids(session: Session, q: str) -> list[int]:
    search = parse_search(q)
    assert search is not None
    dialect = session.get_bind().dialect.name
    applied = apply_search(select(StatementRow.id), search, dialect)
    return list(session.scalars(applied.query.order_by(StatementRow.id)))


def add_statement(session: Session, words: str, speaker: ActorRow | None = None) -> StatementRow:
    article = ArticleRow(
        text=words,
        content_hash=f"hash-{words}",
        title_inferred=False,
        outlet_inferred=True,
        published_inferred=False,
        published_date=dt.date(2026, 1, 6),
    )
    session.add(article)
    session.flush()
    row = StatementRow(
        article_id=article.id,
        speaker_id=speaker.id if speaker else None,
        kind="direct",
        text=words,
        content_start=0,
        content_end=len(words),
        quotes=[{"start": 0, "end": len(words), "text": words}],
        confidence=0.9,
    )
    session.add(row)
    session.flush()
    return row


def test_upgrade_indexes_existing_rows_and_downgrade_removes_everything(
    empty_database: str,
) -> None:
    # Rows are written with today's models, then the index is taken away and rebuilt:
    # the rebuilt index must cover the rows that were there before it.
    migrate.upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        with Session(engine) as session:
            speaker = ActorRow(key="person:nadia ostrova", name="Nadia Ostrova", kind="person")
            session.add(speaker)
            session.flush()
            stored = add_statement(session, "The granary stays open.", speaker).id
            session.commit()

        migrate.downgrade(empty_database, "0002")
        with engine.connect() as conn:
            assert search_objects(conn) == set()
            # The rows themselves are untouched (read with SQL: the models are newer).
            statement_text = conn.execute(
                text("SELECT text FROM statements WHERE id = :id"), {"id": stored}
            ).scalar()
            assert statement_text == "The granary stays open."

        migrate.upgrade(empty_database)
        with engine.connect() as conn:
            assert search_objects(conn) == expected_objects(conn.dialect.name)
        with Session(engine) as session:
            assert matching_ids(session, "granary") == [stored]
            assert matching_ids(session, "ostrova") == [stored]
    finally:
        engine.dispose()


def test_sync_session_writes_reach_the_index(db_session: Session) -> None:
    """The ingestion job writes with a synchronous session: the triggers do the rest."""
    speaker = ActorRow(key="person:oren vale", name="Oren Vale", kind="person")
    db_session.add(speaker)
    db_session.flush()
    row = add_statement(db_session, "Grain exports resume on Monday.", speaker)

    assert matching_ids(db_session, "grain exports") == [row.id]
    assert matching_ids(db_session, '"oren vale"') == [row.id]

    db_session.execute(
        update(StatementRow).where(StatementRow.id == row.id).values(text="Talks collapsed.")
    )
    assert matching_ids(db_session, "collapsed") == [row.id]
    # The quotes still carry the old words; only the text changed.
    db_session.execute(update(StatementRow).where(StatementRow.id == row.id).values(quotes=[]))
    assert matching_ids(db_session, "grain") == []

    db_session.execute(update(ActorRow).where(ActorRow.id == speaker.id).values(name="Oren Valis"))
    assert matching_ids(db_session, "vale") == []
    assert matching_ids(db_session, "valis") == [row.id]

    db_session.execute(delete(StatementRow).where(StatementRow.id == row.id))
    assert matching_ids(db_session, "collapsed") == []
    assert matching_ids(db_session, "valis") == []
