"""Stored documents kept current by whoever writes: the session hooks.

Every process that writes (the pipeline, the worker, the CLI, the API's editors) imports
``api.services``, which installs these hooks on every SQLAlchemy session. A session that
wrote renders, just before it commits and in the same transaction, the statement
documents (api/services/statement_documents.py) and then the provenance documents
(api/services/provenance_documents.py) that its writes, or anyone's, left NULL. Each
kind is bounded per commit; ``statements migrate`` renders a whole backlog.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from api.services.provenance_documents import render_stale_provenance
from api.services.statement_documents import WROTE_FLAG, render_stale


def _note_flush(session: Session, _context: Any) -> None:
    session.info[WROTE_FLAG] = True


def _note_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[WROTE_FLAG] = True


def _render_before_commit(session: Session) -> None:
    # Objects added but not yet flushed are flushed after this hook, by the commit; the
    # render's first query flushes them first (autoflush), so their documents exist.
    pending = bool(session.new or session.dirty or session.deleted)
    if session.info.pop(WROTE_FLAG, False) or pending:
        render_stale(session)
        render_stale_provenance(session)


def _forget(session: Session) -> None:
    session.info.pop(WROTE_FLAG, None)


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
