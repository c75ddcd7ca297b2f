"""Ids given before the flush (api/storage/new_ids.py): on SQLite an article's new rows go
in as one executemany, with the ids SQLite would have chosen; PostgreSQL is left alone."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.storage.models import ClaimRow
from api.storage.new_ids import give_ids
from tests.sent_sql import sent_sql


def _claims(count: int) -> list[ClaimRow]:
    return [ClaimRow(text=f"claim {n}") for n in range(count)]


def test_new_rows_are_numbered_after_the_largest_id_and_inserted_together(
    db_session: Session,
) -> None:
    first = _claims(2)
    db_session.add_all(first)
    db_session.flush()
    largest = max(claim.id for claim in first)
    rows = _claims(5)
    with sent_sql(db_session) as sent:
        give_ids(db_session, ClaimRow.id, rows)
        db_session.add_all(rows)
        db_session.flush()
    seen = [
        (s.statement, s.executemany) for s in sent if s.statement.startswith("INSERT INTO claims")
    ]
    if db_session.get_bind().dialect.name == "sqlite":
        assert [claim.id for claim in rows] == list(range(largest + 1, largest + 6))
        assert seen == [(seen[0][0], True)]  # one executemany, nothing returned
        assert "RETURNING" not in seen[0][0]
    else:
        assert len(seen) == 1  # PostgreSQL batches with its own keys (insertmanyvalues)
    stored = db_session.scalars(select(ClaimRow.text).where(ClaimRow.id.in_([c.id for c in rows])))
    assert sorted(stored) == [f"claim {n}" for n in range(5)]


def test_ids_are_those_sqlite_would_choose_after_the_newest_was_deleted(
    db_session: Session,
) -> None:
    rows = _claims(3)
    db_session.add_all(rows)
    db_session.flush()
    db_session.execute(delete(ClaimRow).where(ClaimRow.id == rows[-1].id))
    again = _claims(1)
    give_ids(db_session, ClaimRow.id, again)
    db_session.add_all(again)
    db_session.flush()
    if db_session.get_bind().dialect.name == "sqlite":
        assert again[0].id == rows[-1].id  # SQLite reuses the largest rowid, as before
    assert (
        db_session.scalar(
            select(func.count()).select_from(ClaimRow).where(ClaimRow.id == again[0].id)
        )
        == 1
    )


def test_rows_added_earlier_are_flushed_and_counted_first(db_session: Session) -> None:
    pending = _claims(2)
    db_session.add_all(pending)  # not flushed: their ids are still to come
    rows = _claims(2)
    give_ids(db_session, ClaimRow.id, rows)
    db_session.add_all(rows)
    db_session.flush()
    ids = [claim.id for claim in [*pending, *rows]]
    assert len(set(ids)) == 4
    if db_session.get_bind().dialect.name == "sqlite":
        assert ids[2:] == [max(ids[:2]) + 1, max(ids[:2]) + 2]


def test_nothing_to_number_queries_nothing(db_session: Session) -> None:
    with sent_sql(db_session) as sent:
        give_ids(db_session, ClaimRow.id, [])
    assert sent == []
