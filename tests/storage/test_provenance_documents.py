"""Stored documents under concurrent writers on PostgreSQL (migrations 0014 and 0015).

A writer renders the NULL documents it finds ``FOR UPDATE SKIP LOCKED``, and the
triggers lock a document's row even when it is already NULL. So a change committed by
another writer while a document is being rendered waits for that render, then sets the
document NULL again: the rendered bytes never hide a change they did not see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest
from sqlalchemy import Engine, Update, select, update
from sqlalchemy.orm import Session

import schemas
from api.cli.commands import render_documents
from api.services import provenance_documents, statement_documents
from api.services.provenance_documents import render_stale_provenance
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import (
    ArticleRow,
    ClaimStatementRow,
    ProvenanceDocumentRow,
    StatementDocumentRow,
    StatementRow,
)
from api.storage.synthetic import fill
from tests.conftest import empty_database_url


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    with empty_database_url("postgresql", tmp_path, "statements_provenance_check") as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            fill(engine, 300, seed=3)
        finally:
            engine.dispose()
        render_documents(url)
        yield url


def stored_titles(session: Session, claim_id: int) -> set[str]:
    body = session.scalar(
        select(ProvenanceDocumentRow.body).where(ProvenanceDocumentRow.claim_id == claim_id)
    )
    assert body is not None
    provenance = msgspec.json.decode(body, type=schemas.Provenance)
    return {appearance.article.title or "" for appearance in provenance.appearances}


def stored_title(session: Session, statement_id: int) -> str | None:
    body = session.scalar(
        select(StatementDocumentRow.body).where(StatementDocumentRow.statement_id == statement_id)
    )
    assert body is not None
    return msgspec.json.decode(body, type=schemas.Statement).article.title


Render = Callable[[Session], int]


def race(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    stale: Update,
    loader: tuple[ModuleType, str],
    render: Render,
    article_id: int,
) -> None:
    """Leave one document NULL (committed); render it, and between reading its rows and
    writing its bytes, let another writer retitle the article it shows and try to commit.

    That writer must wait for the render's transaction, then set the document NULL again
    and render it itself: the retitle is never hidden under the first render's bytes.
    """
    with Session(engine) as session, session.begin():
        session.execute(stale)
        session.info.clear()  # committed as a bare NULL, left for the render below
    retitled = threading.Event()

    def retitle() -> None:
        with Session(engine) as writer, writer.begin():
            writer.execute(
                update(ArticleRow).where(ArticleRow.id == article_id).values(title="Retitled")
            )
        retitled.set()

    other = threading.Thread(target=retitle)
    module, name = loader
    load = getattr(module, name)

    def load_then_let_another_writer_in(*args: Any) -> Any:
        loaded = load(*args)
        if threading.current_thread() is not other:  # the other writer renders too
            loaded = list(loaded)
            other.start()
            time.sleep(0.5)
        return loaded

    monkeypatch.setattr(module, name, load_then_let_another_writer_in)
    with Session(engine) as renderer, renderer.begin():
        assert render(renderer) == 1
        assert not retitled.is_set()  # its trigger waits for the document's row
    other.join(timeout=30)
    assert retitled.is_set()


def test_a_change_made_during_a_provenance_render_is_not_lost(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            claim_id, article_id = session.execute(
                select(ClaimStatementRow.claim_id, StatementRow.article_id)
                .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
                .order_by(ClaimStatementRow.claim_id.desc())
                .limit(1)
            ).one()
        stale = (
            update(ProvenanceDocumentRow)
            .where(ProvenanceDocumentRow.claim_id == claim_id)
            .values(body=None)
        )
        render = partial(render_stale_provenance, limit=1)
        race(engine, monkeypatch, stale, (provenance_documents, "_render"), render, article_id)
        with Session(engine) as session:
            assert "Retitled" in stored_titles(session, claim_id)
    finally:
        engine.dispose()


def test_a_change_made_during_a_statement_render_is_not_lost(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            statement_id, article_id = session.execute(
                select(StatementRow.id, StatementRow.article_id)
                .order_by(StatementRow.id.desc())
                .limit(1)
            ).one()
        stale = (
            update(StatementDocumentRow)
            .where(StatementDocumentRow.statement_id == statement_id)
            .values(body=None)
        )
        render = partial(statement_documents.render_stale, limit=1)
        loader = (statement_documents, "_rows_to_render")
        race(engine, monkeypatch, stale, loader, render, article_id)
        with Session(engine) as session:
            assert stored_title(session, statement_id) == "Retitled"
    finally:
        engine.dispose()
