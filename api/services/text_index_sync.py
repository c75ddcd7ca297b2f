"""Keeping the tantivy search index (``api.storage.text_index``) in step with the database.

Writers call ``sync_text_index`` after they commit (the ingestion job, the worker,
``statements synth``), and ``statements index`` runs it by hand. It:

1. switches the index on the first time (``text_index_state``), so triggers start
   queueing changed statements, and builds the index from every statement;
2. applies the queue (``text_index_queue``, migration 0016) in batches: re-reads the
   queued statements, replaces them in the index (a deleted one is only removed),
   commits the index, then removes from the queue exactly the tickets it applied.

A crash between the index's commit and the queue's leaves the rows queued: they are
applied again, which changes nothing. Only one process writes the index at a time
(tantivy locks its folder); another one that finds it locked waits a moment, then
leaves its rows queued for the writer that holds it, or for the next sync.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Connection, Engine, delete, exists, select
from sqlalchemy.orm import Session

from api.services.ranked_search import fold
from api.storage.models import ActorRow, StatementRow, TextIndexQueueRow, TextIndexStateRow
from api.storage.text_index import (
    IndexedStatement,
    TextIndexUnavailable,
    TextIndexWriter,
    index_exists,
)

log = structlog.get_logger(__name__)

# Statements read and written per index commit when the queue is applied, and per
# read while the index is built from scratch (one index commit at the end).
QUEUE_BATCH = 5_000
BUILD_BATCH = 20_000
# How long a writer that finds the index locked waits for the other one.
LOCK_WAIT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class SyncReport:
    built: int = 0  # statements indexed by a full build
    applied: int = 0  # queued statements applied
    busy: bool = False  # another process held the index; the queue was left to it


def _quotes_text(quotes: Sequence[Any] | None) -> str:
    """The quoted fragments' texts, as the database indexes them (migration 0003)."""
    if not isinstance(quotes, list):
        return ""
    return " ".join(
        str(quote["text"]) for quote in quotes if isinstance(quote, dict) and quote.get("text")
    )


def _indexed_columns() -> Any:
    return select(
        StatementRow.id,
        StatementRow.text,
        StatementRow.quotes,
        StatementRow.speaker_text,
        ActorRow.name,
    ).outerjoin(ActorRow, ActorRow.id == StatementRow.speaker_id)


def _indexed(row: Any) -> IndexedStatement:
    statement_id, text, quotes, mention, name = row
    speaker = " ".join(part for part in (name, mention) if part)
    return IndexedStatement(statement_id, fold(text), fold(_quotes_text(quotes)), fold(speaker))


def is_switched_on(session: Session) -> bool:
    return session.get(TextIndexStateRow, 1) is not None


def queue_is_empty(session: Session) -> bool:
    return not session.scalar(select(exists().where(TextIndexQueueRow.statement_id.isnot(None))))


def _open_writer(path: Path, wait: float) -> TextIndexWriter | None:
    deadline = time.monotonic() + wait
    while True:
        try:
            return TextIndexWriter(path)
        except TextIndexUnavailable:
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


def _all_statements(session: Session) -> Iterator[list[IndexedStatement]]:
    after = 0
    while True:
        query = _indexed_columns().where(StatementRow.id > after).order_by(StatementRow.id)
        rows = session.execute(query.limit(BUILD_BATCH)).all()
        if not rows:
            return
        after = rows[-1][0]
        yield [_indexed(row) for row in rows]


def _build(session: Session, writer: TextIndexWriter, progress: Callable[[int], None]) -> int:
    writer.clear()
    built = 0
    for batch in _all_statements(session):
        # Each batch is read in a transaction of its own: a writers' engine begins every
        # transaction with the SQLite write lock, which a build of a million statements
        # would otherwise hold for its whole length. What changes between batches is
        # queued, and applied after the build.
        session.commit()
        writer.add(batch)
        built += len(batch)
        progress(built)
    writer.commit()
    return built


def _apply_queue(session: Session, writer: TextIndexWriter) -> int:
    applied = 0
    while True:
        tickets = session.execute(
            select(TextIndexQueueRow.statement_id, TextIndexQueueRow.ticket)
            .order_by(TextIndexQueueRow.statement_id)
            .limit(QUEUE_BATCH)
        ).all()
        if not tickets:
            return applied
        ids = [statement_id for statement_id, _ in tickets]
        rows = session.execute(_indexed_columns().where(StatementRow.id.in_(ids))).all()
        writer.remove(ids)
        writer.add(_indexed(row) for row in rows)
        writer.commit()
        _unqueue(session, tickets)
        session.commit()
        applied += len(tickets)


def _unqueue(session: Session, tickets: Sequence[Any]) -> None:
    """Remove the applied rows, unless queued again since (their ticket moved on)."""
    by_ticket: dict[int, list[int]] = {}
    for statement_id, ticket in tickets:
        by_ticket.setdefault(ticket, []).append(statement_id)
    for ticket, ids in by_ticket.items():
        session.execute(
            delete(TextIndexQueueRow).where(
                TextIndexQueueRow.statement_id.in_(ids), TextIndexQueueRow.ticket == ticket
            )
        )


def sync_text_index(
    engine: Engine | Connection,
    path: Path,
    *,
    rebuild: bool = False,
    wait: float = LOCK_WAIT_SECONDS,
    progress: Callable[[int], None] = lambda done: None,
) -> SyncReport:
    """Bring the index in ``path`` up to date with the database (see the module doc)."""
    with Session(engine) as session:
        if not is_switched_on(session):
            session.add(TextIndexStateRow(id=1))
            session.commit()
            rebuild = True
        elif not rebuild and queue_is_empty(session) and index_exists(path):
            return SyncReport()  # the common case after a write: nothing queued
    writer = _open_writer(path, wait)
    if writer is None:
        log.info("search index busy: another process is writing it", path=str(path))
        return SyncReport(busy=True)
    try:
        with Session(engine) as session:
            built = 0
            # A new or emptied folder while the database has statements: build it whole
            # (the queue only holds what changed since the index was switched on).
            if rebuild or (writer.size() == 0 and _any_statement(session)):
                built = _build(session, writer, progress)
            applied = _apply_queue(session, writer)
    finally:
        writer.close()
    return SyncReport(built=built, applied=applied)


def _any_statement(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(StatementRow.id.isnot(None)))))
