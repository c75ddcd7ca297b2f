"""Stored documents kept current by whoever writes: the session hooks.

Every process that writes (the pipeline, the worker, the CLI, the API's editors) imports
``api.services``, which installs these hooks on every SQLAlchemy session. A session that
wrote renders, just before it commits and in the same transaction, the statement
documents (api/services/statement_documents.py), then the provenance documents
(api/services/provenance_documents.py) and the actors' first pages
(api/services/speaker_page_documents.py, made of statement documents) that its writes,
or anyone's, left NULL. Each kind is bounded per commit; ``statements migrate`` renders
a whole backlog.

A batch job may defer its rendering (``rendering_deferred``) and render what its
commits left NULL once per batch of articles (``render_pending``): a claim several
articles of the batch join is then rendered once, and the loaders run over a hundred
claims at a time rather than one article's. Meanwhile readers find NULL and render from
the tables, as they do for any document not rendered yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from api.services import provenance_documents, speaker_page_documents, statement_documents
from api.services.provenance_documents import render_stale_provenance
from api.services.speaker_page_documents import render_stale_pages
from api.services.statement_documents import WROTE_FLAG, render_stale

# session.info flag: this session's commits leave their documents to ``render_pending``.
DEFER_FLAG = "statements.defer_rendering"


def _note_flush(session: Session, _context: Any) -> None:
    session.info[WROTE_FLAG] = True


def _note_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[WROTE_FLAG] = True


def _render_before_commit(session: Session) -> None:
    if session.info.get(DEFER_FLAG):
        session.info.pop(WROTE_FLAG, None)  # left NULL, for ``render_pending``
        return
    # Objects added but not yet flushed are flushed after this hook, by the commit; the
    # render's first query flushes them first (autoflush), so their documents exist.
    pending = bool(session.new or session.dirty or session.deleted)
    if session.info.pop(WROTE_FLAG, False) or pending:
        render_stale(session)
        render_stale_provenance(session)
        render_stale_pages(session)


def _forget(session: Session) -> None:
    session.info.pop(WROTE_FLAG, None)


@contextmanager
def rendering_deferred(session: Session) -> Iterator[None]:
    """Commits of ``session`` inside the block do not render; call ``render_pending``."""
    session.info[DEFER_FLAG] = True
    try:
        yield
    finally:
        session.info.pop(DEFER_FLAG, None)


def render_pending(session: Session) -> tuple[int, int, int]:
    """Render every NULL statement and provenance document and actor page, committing
    after each bounded batch (on SQLite a transaction holds the write lock: other writers
    get turns between batches). Returns how many of each were rendered."""
    limits = (
        statement_documents.RENDER_PER_COMMIT,
        provenance_documents.RENDER_PER_COMMIT,
        speaker_page_documents.RENDER_PER_COMMIT,
    )
    totals = (0, 0, 0)
    while True:
        done = (
            render_stale(session),
            render_stale_provenance(session),
            render_stale_pages(session),
        )
        session.commit()
        totals = (totals[0] + done[0], totals[1] + done[1], totals[2] + done[2])
        if all(count < limit for count, limit in zip(done, limits, strict=True)):
            return totals


def install_document_rendering() -> None:
    """Hook every session: one that wrote renders the stale documents before it commits.

    Idempotent. Sessions that only read pay nothing: no flush with changes and no
    UPDATE/INSERT/DELETE statement means no query.
    """
    hooks = (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_write),
        ("before_commit", _render_before_commit),
        ("after_rollback", _forget),
    )
    for name, hook in hooks:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
