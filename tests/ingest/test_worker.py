"""``statements worker`` in process: queued submissions become articles and statements."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import api.pipeline.ingest_article as ingest_article_module
import api.pipeline.worker as worker_module
from api.pipeline.outbox import WebhookConfig
from api.pipeline.webhooks import SIGNATURE_HEADER, verify
from api.pipeline.worker import WorkerOptions, run_worker
from api.services.text_index_sync import sync_text_index
from api.storage.models import (
    ArticleRow,
    IngestJobRow,
    StatementDocumentRow,
    StatementRow,
    TextIndexQueueRow,
    WebhookDeliveryRow,
)
from api.storage.text_index import IndexTerm, TextIndexReader

pytestmark = pytest.mark.nlp


def sessions_in(db_session: Session) -> Callable[[], Session]:
    """Worker sessions on the test's connection: their commits are rolled back with it."""
    connection = db_session.connection()
    return lambda: Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def submit(db_session: Session, **payload: str) -> int:
    job = IngestJobRow(payload=payload)
    db_session.add(job)
    db_session.commit()
    return job.id


def test_worker_ingests_submissions_and_marks_them_done(
    db_session: Session, seeds_dir: Path
) -> None:
    text = (seeds_dir / "003_fb0bc581b9d15f48.txt").read_text(encoding="utf-8")
    url = "https://example.org/summit-live"
    first = submit(db_session, text=text, url=url, outlet="Example Daily", published="2026-01-07")
    again = submit(db_session, text=text, url=url)
    html = submit(
        db_session,
        html="<html><body><article><h1>Grain deal</h1><p>“The corridor stays open,” "
        "the minister said on Monday. The port reopened after a week of talks between "
        "the two governments and the shipping companies.</p></article></body></html>",
        url="https://example.org/grain",
        published="2026-01-07",
    )
    blank = submit(db_session, text="   ")

    stats = run_worker(sessions_in(db_session), WorkerOptions(name="t", exit_when_idle=True))
    assert (stats.done, stats.failed) == (3, 1)

    jobs = {job.id: job for job in db_session.scalars(select(IngestJobRow))}
    assert (jobs[first].status, jobs[first].outcome) == ("done", "ingested")
    article = db_session.get_one(ArticleRow, jobs[first].article_id)
    assert (article.url, article.source and article.source.name) == (url, "Example Daily")
    stored = db_session.scalar(
        select(func.count()).select_from(StatementRow).where(StatementRow.article_id == article.id)
    )
    assert stored == jobs[first].statement_count > 0

    assert (jobs[again].status, jobs[again].outcome) == ("done", "unchanged")
    assert jobs[again].article_id == article.id

    assert jobs[html].outcome == "ingested" and jobs[html].statement_count >= 1
    dated = db_session.scalars(
        select(StatementRow).where(StatementRow.article_id == jobs[html].article_id)
    ).first()
    assert dated is not None and dated.text.startswith("The corridor stays open")
    assert (str(dated.statement_date), dated.date_text) == ("2026-01-05", "on Monday")

    assert jobs[blank].status == "failed" and jobs[blank].attempts == 1
    # Bad input is not retried: it would fail the same way every time.
    assert jobs[blank].error == "record has no text (needs a non-empty text or html)"


def test_a_job_that_fails_to_store_goes_back_to_the_queue(
    db_session: Session, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.pipeline.worker as worker_module

    text = (seeds_dir / "001_b16eecb884c7e125.txt").read_text(encoding="utf-8")
    job_id = submit(db_session, text=text)
    real = worker_module.store_placed
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        result = real(*args, **kwargs)
        if calls["n"] == 1:
            raise RuntimeError("connection reset")  # after the rows were flushed
        return result

    monkeypatch.setattr(worker_module, "store_placed", flaky)
    options = WorkerOptions(name="t", exit_when_idle=True)
    stats = run_worker(sessions_in(db_session), options)
    assert (stats.done, stats.failed) == (1, 1)  # failed once, then taken again and done
    job = db_session.get_one(IngestJobRow, job_id, populate_existing=True)
    assert (job.status, job.attempts, job.outcome) == ("done", 2, "ingested")
    assert db_session.scalar(select(func.count()).select_from(ArticleRow)) == 1
    statements = db_session.scalar(select(func.count()).select_from(StatementRow))
    assert statements == job.statement_count


def test_worker_announces_new_statements_to_webhooks(
    db_session: Session, seeds_dir: Path, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(url="https://hooks.example.test/in", status_code=204)
    text = (seeds_dir / "004_ebb0fcdf10aa2aac.txt").read_text(encoding="utf-8")
    job_id = submit(db_session, text=text)
    hooks = WebhookConfig(urls=("https://hooks.example.test/in",), secret="s3cret")
    options = WorkerOptions(name="t", exit_when_idle=True, webhooks=hooks)
    run_worker(sessions_in(db_session), options)

    job = db_session.get_one(IngestJobRow, job_id, populate_existing=True)
    (request,) = httpx_mock.get_requests()
    assert verify("s3cret", request.headers[SIGNATURE_HEADER], request.content)
    notice = json.loads(request.content)
    assert notice["type"] == "statements.created"
    assert notice["data"]["article"]["id"] == job.article_id
    assert len(notice["data"]["statement_ids"]) == job.statement_count > 0
    delivery = db_session.scalars(select(WebhookDeliveryRow)).one()
    assert delivery.status == "delivered"


def test_worker_keeps_the_search_index_current(db_session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "search-index"
    sync_text_index(db_session.connection(), folder)  # switched on: writes are queued now
    submit(
        db_session,
        html="<html><body><article><h1>Grain deal</h1><p>“The granary corridor stays open,” "
        "the minister said on Monday. The port reopened after a week of talks between "
        "the two governments and the shipping companies.</p></article></body></html>",
        url="https://example.org/granary",
    )
    options = WorkerOptions(name="t", exit_when_idle=True, search_index=folder)
    assert run_worker(sessions_in(db_session), options).done == 1
    assert db_session.scalar(select(func.count()).select_from(TextIndexQueueRow)) == 0
    hits = TextIndexReader(folder).best([IndexTerm(("granary",))], (1.0, 0.5, 0.5), 10, 10**9)
    stored = db_session.scalars(
        select(StatementRow.id).where(StatementRow.text.contains("granary"))
    )
    assert sorted(statement_id for statement_id, _ in hits) == sorted(stored) != []


def test_worker_renders_documents_once_the_queue_is_idle(
    db_session: Session, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jobs' commits leave their documents NULL; the worker renders them every
    RENDER_EVERY jobs while the queue is busy, and as soon as it is idle."""
    for path in sorted(seeds_dir.glob("*.txt"))[:3]:
        submit(db_session, text=path.read_text(encoding="utf-8"), published="2026-01-07")
    nulls_at_render: list[int] = []
    real_render = ingest_article_module.render_pending

    def render(session: Session) -> tuple[int, int]:
        nulls_at_render.append(
            session.scalar(
                select(func.count())
                .select_from(StatementDocumentRow)
                .where(StatementDocumentRow.body.is_(None))
            )
            or 0
        )
        return real_render(session)

    monkeypatch.setattr(worker_module, "RENDER_EVERY", 2)
    monkeypatch.setattr(ingest_article_module, "render_pending", render)
    stats = run_worker(sessions_in(db_session), WorkerOptions(name="t", exit_when_idle=True))
    assert stats.done == 3
    assert len(nulls_at_render) == 2  # after the second job, and once the queue was empty
    assert all(nulls > 0 for nulls in nulls_at_render), nulls_at_render
    left = select(func.count()).select_from(StatementDocumentRow)
    assert db_session.scalar(left.where(StatementDocumentRow.body.is_(None))) == 0
    assert db_session.scalar(left) == stats.statements
