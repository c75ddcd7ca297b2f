"""Primary keys for new rows written many at a time, given before the flush on SQLite.

The ORM inserts a batch of new rows in one statement only when it can tell which
generated key went to which row. PostgreSQL can (``INSERT ... RETURNING`` sorted by a
sentinel), SQLite cannot, so SQLAlchemy falls back to one INSERT per row there: an
article's statements, claims and narration sentences cost a round of the ORM's insert
machinery each (benchmarks/ingest_speed.py, profiled). Rows that already have their
keys need nothing back and go in as one ``executemany``.

Giving keys is safe only while no one else can insert into the table: on SQLite a
writer's transaction holds the database's write lock from its first statement
(api/storage/engine.py: ``BEGIN IMMEDIATE``), so the largest id read here stays the
largest until the rows are in. The keys are the ones SQLite would have chosen (the
largest rowid plus one, in order). PostgreSQL keeps its sequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session


class _WithId(Protocol):
    id: int


def give_ids(
    session: Session, id_column: InstrumentedAttribute[int], rows: Sequence[_WithId]
) -> None:
    """On SQLite, number the new ``rows`` after the table's largest id, in order; flush
    them before any other row of that table is added. A no-op on other databases."""
    if not rows or session.get_bind().dialect.name != "sqlite":
        return
    # autoflush: rows of this table added earlier get their ids first, and count here.
    largest = session.scalar(select(func.max(id_column))) or 0
    for offset, row in enumerate(rows, start=1):
        row.id = largest + offset
