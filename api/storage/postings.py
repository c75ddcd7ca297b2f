"""Key postings: the index tables that map a text key to the rows that carry it.

``claim_keys`` (key -> statement) and ``narration_keys`` (key -> narration sentence) are
read the same way, each key's most recent postings up to a cap, and written the same
way, all the postings of one article at once. An article has a thousand keys or more,
so how many statements those take matters more than what each one costs:

- PostgreSQL gets one statement per read and one per write, whatever the number of keys:
  the keys travel as an array (``unnest``), read with a ``LATERAL`` subquery per key.
  The statement text never changes, so psycopg prepares it after a few runs. The union
  of one subquery per key that SQLite needs took PostgreSQL 4 ms a query to plan, and
  the row-by-row insert about 11 ms an article (benchmarks/ingest_speed.py, profiled).
- SQLite has no arrays: one ``UNION ALL`` of capped subqueries per hundred keys (its
  compound select limit is 500), and an ``executemany`` insert, which costs no round
  trips in-process.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Literal

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

KEYS_PER_QUERY = 100  # SQLite: keys looked up in one compound select

# The index tables and the column naming what each posting points at. Names are
# interpolated into SQL, so only these two pairs are accepted.
PostingTable = Literal["claim_keys", "narration_keys"]
_POSTED_COLUMN: dict[str, str] = {"claim_keys": "statement_id", "narration_keys": "sentence_id"}


def recent_postings(
    session: Session, table: PostingTable, keys: list[int], per_key: int
) -> dict[int, list[int]]:
    """Each key's ``per_key`` most recent postings (ids, most recent first), by key.

    Keys without postings are absent from the answer."""
    postings: dict[int, list[int]] = defaultdict(list)
    if not keys:
        return postings
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(_lateral_sql(table, per_key), {"keys": keys})
        for key, posted_id in rows:
            postings[key].append(posted_id)
        for posted in postings.values():
            posted.sort(reverse=True)  # a lateral join promises no order across its rows
        return postings
    connection = session.connection()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = tuple(keys[start : start + KEYS_PER_QUERY])
        # Straight to the driver: SQLAlchemy compiled the text's hundred bound parameters
        # again on every run, which cost more than the query.
        for key, posted_id in connection.exec_driver_sql(
            _union_sql(table, per_key, len(chunk)), chunk
        ):
            postings[key].append(posted_id)
    return postings


def add_postings(session: Session, table: PostingTable, rows: list[tuple[int, int]]) -> None:
    """Insert (key, posted id) pairs, in one statement on PostgreSQL."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        keys, ids = zip(*rows, strict=True)
        session.execute(_unnest_insert_sql(table), {"keys": list(keys), "ids": list(ids)})
        return
    column = _POSTED_COLUMN[table]
    # Straight to the driver's executemany: an article posts thousands of keys, and
    # SQLAlchemy's building of a parameter dict per row cost more than the inserts.
    session.connection().exec_driver_sql(
        f"INSERT INTO {table} (key, {column}) VALUES (?, ?)", list(rows)
    )


@functools.cache
def _lateral_sql(table: str, per_key: int) -> TextClause:
    column = _POSTED_COLUMN[table]
    return text(
        f"SELECT k.key, p.{column} FROM unnest(CAST(:keys AS bigint[])) AS k(key) "
        f"CROSS JOIN LATERAL (SELECT {column} FROM {table} WHERE {table}.key = k.key "
        f"ORDER BY {column} DESC LIMIT {per_key}) AS p"
    )


@functools.cache
def _union_sql(table: str, per_key: int, count: int) -> str:
    """SQLite's SQL (qmark parameters): built with the expression language, the union of
    ``count`` subqueries costs more to compile than to run."""
    column = _POSTED_COLUMN[table]
    parts = [
        f"SELECT key, {column} FROM (SELECT key, {column} FROM {table} "
        f"WHERE key = ? ORDER BY {column} DESC LIMIT {per_key}) AS p{i}"
        for i in range(count)
    ]
    return " UNION ALL ".join(parts)


@functools.cache
def _unnest_insert_sql(table: str) -> TextClause:
    column = _POSTED_COLUMN[table]
    return text(
        f"INSERT INTO {table} (key, {column}) "
        f"SELECT * FROM unnest(CAST(:keys AS bigint[]), CAST(:ids AS integer[]))"
    )
