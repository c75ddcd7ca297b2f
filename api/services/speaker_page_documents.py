"""The first page of each actor's statements, stored as one array (``speaker_page_documents``,
migration 0017).

``GET /v1/actors/{id}/statements`` without parameters is the page a frontend opens for
an actor. Built from the statements' own documents it is an index range and a lookup per
statement; on a large archive those statements lie anywhere in the file, and profiled at
1M statements a page that missed the response cache held the endpoint near a third of
the framework's ceiling. The page is therefore kept as one row: its statements' stored
documents joined into one JSON array, exactly the ``items`` a page built from them
sends, with the id of its last statement and whether more follow.

Writers render NULL pages before they commit, after the statement documents they are
made of (``api.services.document_rendering``). A page whose statements are not all
rendered yet is left NULL for a later pass, and a page whose actor has no statements
left is deleted: the reader then builds the page from the tables, as before. Pages are
rendered for the API's default page size (``STATEMENTS_DEFAULT_PAGE_SIZE``); a reader
asking for another size ignores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import delete, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from api.services.statement_documents import WROTE_FLAG
from api.settings import load_settings
from api.storage.document_reads import StoredPage, stored_page
from api.storage.models import SpeakerPageDocumentRow, StatementDocumentRow, StatementRow

RENDER_BATCH = 50
RENDER_PER_COMMIT = 500

Page = list[tuple[int, bytes | None]]  # statement id, its document (None: not rendered)


@cache
def stored_page_size() -> int:
    """The API's default page size, as its window provider computes it."""
    settings = load_settings()
    return min(settings.default_page_size, settings.max_page_size)


def joined_documents(bodies: Sequence[bytes]) -> bytes:
    """Documents as one JSON array: the bytes msgspec writes for a list of them."""
    return b"[" + b",".join(bodies) + b"]"


def _stale_ids(session: Session, size: int, below: int | None) -> list[int]:
    query = select(SpeakerPageDocumentRow.speaker_id).where(SpeakerPageDocumentRow.body.is_(None))
    if below is not None:  # past the pages this pass left NULL
        query = query.where(SpeakerPageDocumentRow.speaker_id < below)
    query = (
        query.order_by(SpeakerPageDocumentRow.speaker_id.desc())
        .limit(size)
        # PostgreSQL only (SQLite has one writer at a time): a concurrent change to a
        # statement on the page waits for this transaction, then sets it NULL again.
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query).all())


def first_statements(session: Session, speaker_ids: Sequence[int], size: int) -> dict[int, Page]:
    """Each speaker's first ``size`` statements in id order, with their documents: one
    query, an index range per speaker."""
    ranges = [
        select(StatementRow.speaker_id, StatementRow.id, StatementDocumentRow.body)
        .outerjoin(StatementDocumentRow, StatementDocumentRow.statement_id == StatementRow.id)
        .where(StatementRow.speaker_id == speaker_id)
        .order_by(StatementRow.id)
        .limit(size)
        .subquery()
        for speaker_id in speaker_ids
    ]
    pages: dict[int, Page] = {speaker_id: [] for speaker_id in speaker_ids}
    if ranges:
        query = union_all(*(select(*subquery.c) for subquery in ranges))
        for speaker_id, statement_id, body in session.execute(query):
            pages[speaker_id].append((statement_id, body))
    for page in pages.values():
        page.sort()
    return pages


def render_stale_pages(
    session: Session, *, limit: int | None = RENDER_PER_COMMIT, page_size: int | None = None
) -> int:
    """Render up to ``limit`` NULL pages (every one with None), newest actors first.

    Returns how many pages were taken: rendered, deleted (an actor without statements)
    or left NULL (a statement on it has no document yet). Runs in the caller's
    transaction.
    """
    size = stored_page_size() if page_size is None else page_size
    taken = 0
    below: int | None = None
    while limit is None or taken < limit:
        batch = RENDER_BATCH if limit is None else min(RENDER_BATCH, limit - taken)
        ids = _stale_ids(session, batch, below)
        if not ids:
            break
        rendered, empty = [], []
        # One look-ahead statement tells whether the actor has more than a page.
        for speaker_id, page in first_statements(session, ids, size + 1).items():
            shown = page[:size]
            if not shown:
                empty.append(speaker_id)
            elif all(body is not None for _, body in shown):
                rendered.append(
                    {
                        "speaker_id": speaker_id,
                        "body": joined_documents([body for _, body in shown if body]),
                        "page_size": size,
                        "last_id": shown[-1][0],
                        "has_more": len(page) > size,
                    }
                )
        if rendered:
            session.execute(update(SpeakerPageDocumentRow), rendered)
        if empty:
            session.execute(
                delete(SpeakerPageDocumentRow).where(SpeakerPageDocumentRow.speaker_id.in_(empty))
            )
        taken += len(ids)
        below = ids[-1]
    session.info.pop(WROTE_FLAG, None)  # rendering's own writes leave nothing to render
    return taken


async def read_stored_page(
    session: AsyncSession, speaker_id: int, page_size: int
) -> StoredPage | None:
    """The actor's stored first page when it was rendered for ``page_size`` statements;
    None otherwise."""
    result = await session.execute(
        select(
            SpeakerPageDocumentRow.body,
            SpeakerPageDocumentRow.has_more,
            SpeakerPageDocumentRow.last_id,
        ).where(
            SpeakerPageDocumentRow.speaker_id == speaker_id,
            SpeakerPageDocumentRow.page_size == page_size,
            SpeakerPageDocumentRow.body.is_not(None),
        )
    )
    row = result.one_or_none()
    if row is None or row.body is None:
        return None
    return stored_page(row.body, row.has_more, row.last_id)
