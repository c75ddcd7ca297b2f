"""Claims' provenances encoded once, as the API serves them (``provenance_documents``,
migration 0014).

A provenance is the API's most expensive read: a claim's statements, the copies of their
articles, the narration that states the claim and its relations, then a word diff per
appearance. It changes only when something it shows changes, so it is encoded when it
is written, like a statement's document (api/services/statement_documents.py), and kept
with the articles it was rendered from (``provenance_dependencies``), which is what the
migration's triggers look at to set it back to NULL.

Writers render NULL documents before they commit (``api.services.document_rendering``),
a batch of claims at a time through the loaders of ``api.services.claim_traces``. On
PostgreSQL the NULL rows are taken ``FOR UPDATE SKIP LOCKED``: a concurrent change to
what a document shows waits for this transaction, then sets it NULL again.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

import schemas
from api.services import claim_traces
from api.services.provenance import Trace, provenance_of
from api.services.statement_documents import WROTE_FLAG
from api.storage.models import ClaimRow, ProvenanceDependencyRow, ProvenanceDocumentRow

RENDER_BATCH = 100
RENDER_PER_COMMIT = 200

_encoder = msgspec.json.Encoder()


def encode_provenance(provenance: schemas.Provenance) -> bytes:
    """The bytes the API sends for ``provenance`` (Litestar encodes Structs with msgspec)."""
    return _encoder.encode(provenance)


def shown_articles(trace: Trace) -> set[int]:
    """Every article the provenance shows something of: its dependencies."""
    found = {statement.article_id for statement in trace.statements}
    for original, copies in trace.copies.items():
        found.add(original)
        found.update(copy.id for copy in copies)
    found.update(mention.article.id for mention in trace.mentions)
    for relation in trace.relations:
        if relation.row.later_article_id is not None:
            found.add(relation.row.later_article_id)
        found.update(s.article_id for s in (relation.earlier, relation.later) if s is not None)
    return found


def _stale_ids(session: Session, size: int) -> list[int]:
    query = (
        select(ProvenanceDocumentRow.claim_id)
        .where(ProvenanceDocumentRow.body.is_(None))
        .order_by(ProvenanceDocumentRow.claim_id.desc())
        .limit(size)
        # PostgreSQL only (SQLite has one writer at a time): see the module docstring.
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query).all())


def _render(session: Session, claim_ids: list[int]) -> Iterator[tuple[int, bytes, set[int]]]:
    # A session of its own on the writer's connection: the same transaction, but the
    # writer's objects are neither reused with this read's loader options nor changed.
    with Session(bind=session.connection(), autoflush=False) as reader:
        claims = list(reader.scalars(select(ClaimRow).where(ClaimRow.id.in_(claim_ids))))
        traces = claim_traces.traces(reader, claims)
        summaries = claim_traces.summaries(reader, claims)
        for claim, summary in zip(claims, summaries, strict=True):
            trace = traces[claim.id]
            yield claim.id, encode_provenance(provenance_of(trace, summary)), shown_articles(trace)


def render_stale_provenance(session: Session, *, limit: int | None = RENDER_PER_COMMIT) -> int:
    """Render up to ``limit`` NULL provenance documents (every one with None), newest
    claims first. Returns how many were rendered. Runs in the caller's transaction."""
    rendered = 0
    while limit is None or rendered < limit:
        size = RENDER_BATCH if limit is None else min(RENDER_BATCH, limit - rendered)
        ids = _stale_ids(session, size)
        if not ids:
            break
        documents, dependencies = [], []
        for claim_id, body, articles in _render(session, ids):
            documents.append({"claim_id": claim_id, "body": body})
            dependencies += [{"claim_id": claim_id, "article_id": a} for a in sorted(articles)]
        session.execute(
            delete(ProvenanceDependencyRow).where(ProvenanceDependencyRow.claim_id.in_(ids))
        )
        if dependencies:
            session.execute(insert(ProvenanceDependencyRow), dependencies)
        if documents:
            session.execute(update(ProvenanceDocumentRow), documents)
        rendered += len(ids)
        if len(documents) < len(ids):  # claims deleted meanwhile: their documents went too
            break
    session.info.pop(WROTE_FLAG, None)  # rendering's own writes leave nothing to render
    return rendered


async def read_provenance(session: AsyncSession, claim_id: int) -> bytes | None:
    """The claim's stored provenance JSON, or None when it has none yet."""
    result = await session.execute(
        select(ProvenanceDocumentRow.body).where(ProvenanceDocumentRow.claim_id == claim_id)
    )
    return result.scalar_one_or_none()
