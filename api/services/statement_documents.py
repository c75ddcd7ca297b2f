"""Statements encoded once, as the API serves them (``statement_documents``, migration 0013).

A statement is read far more often than it changes, and reading one from its tables
means joining five of them and encoding the result on every request. Its JSON is
therefore encoded when it is written and kept as bytes; triggers set a document back to
NULL when anything it is rendered from changes (see the migration), whichever process
made the change.

NULL documents are rendered by whoever wrote: ``api.services.document_rendering`` hooks
every SQLAlchemy session so that a session that wrote renders the stale documents just
before it commits, in the same transaction, newest first and at most
``RENDER_PER_COMMIT`` of them (a backlog left by an upgrade is rendered by
``statements migrate``, all of it, with ``render_stale(limit=None)``). A reader that
finds NULL, or no row, renders from the tables as before: a document is only ever a
faster answer, never a different one.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, joinedload, lazyload

import schemas
from api.services import converters
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimStatementRow,
    StatementDocumentRow,
    StatementRow,
)

RENDER_BATCH = 500
# session.info flag (set by api.services.document_rendering): this transaction wrote.
# Rendering clears it: its own writes leave nothing to render.
WROTE_FLAG = "statements.wrote"
RENDER_PER_COMMIT = 2_000

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(schemas.Statement)


def encode_statement(statement: schemas.Statement) -> bytes:
    """The bytes the API sends for ``statement`` (Litestar encodes Structs with msgspec)."""
    return _encoder.encode(statement)


def decode_statement(body: bytes) -> schemas.Statement:
    """A stored document as its struct again, for pages that add to it (snippets)."""
    return _decoder.decode(body)


def _rows_to_render(session: Session, ids: Sequence[int]) -> Sequence[StatementRow]:
    # Unlike the read services' query, nothing is raiseloaded: a writer's session goes
    # on using the articles and actors loaded here, and may read their text or aliases.
    query = (
        select(StatementRow)
        .options(
            joinedload(StatementRow.article).defer(ArticleRow.text),
            joinedload(StatementRow.speaker).options(lazyload(ActorRow.aliases)),
        )
        .where(StatementRow.id.in_(ids))
    )
    return session.scalars(query).all()


def render_stale(session: Session, *, limit: int | None = RENDER_PER_COMMIT) -> int:
    """Render up to ``limit`` NULL documents (every one with None), newest first.

    Returns how many were rendered. Runs in the caller's transaction.
    """
    rendered = 0
    while limit is None or rendered < limit:
        size = RENDER_BATCH if limit is None else min(RENDER_BATCH, limit - rendered)
        ids = session.scalars(
            select(StatementDocumentRow.statement_id)
            .where(StatementDocumentRow.body.is_(None))
            .order_by(StatementDocumentRow.statement_id.desc())
            .limit(size)
            # PostgreSQL only: a concurrent change to what these documents show waits for
            # this transaction, then sets them NULL again (migration 0015).
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            break
        links = session.execute(
            select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_(ids)
            )
        )
        claim_ids = {statement_id: claim_id for statement_id, claim_id in links}
        documents = [
            {
                "statement_id": row.id,
                "body": encode_statement(converters.statement(row, claim_ids.get(row.id))),
            }
            for row in _rows_to_render(session, ids)
        ]
        if documents:
            session.execute(update(StatementDocumentRow), documents)
        rendered += len(ids)
        if len(documents) < len(ids):  # rows deleted meanwhile: their documents go too
            break
    session.info.pop(WROTE_FLAG, None)
    return rendered


async def read_document(session: AsyncSession, statement_id: int) -> bytes | None:
    """The statement's stored JSON, or None when it has none yet (or no such statement)."""
    result = await session.execute(
        select(StatementDocumentRow.body).where(StatementDocumentRow.statement_id == statement_id)
    )
    return result.scalar_one_or_none()
