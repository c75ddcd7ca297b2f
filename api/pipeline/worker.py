"""``statements worker``: take submitted articles off the database queue and ingest them.

Each job is one transaction: the article, its statements, its webhook notices and the
job's ``done`` mark are committed together, so a worker killed at any point leaves no
half article, and the job goes back to the queue when its lease expires. Run as many
workers as there are cores, on one machine or several: they share the queue through the
database (api/storage/queue.py).

SIGTERM and SIGINT let the job in hand finish before the worker stops.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import msgspec
import structlog
from spacy.language import Language
from sqlalchemy.orm import Session

from api.pipeline.claim_rematch import drain_rematches
from api.pipeline.clean import clean_article
from api.pipeline.identity import place_article
from api.pipeline.ingest_article import (
    needs_doc,
    prepare,
    render_documents,
    store_placed,
    unusable_reason,
)
from api.pipeline.nlp import load_pipeline
from api.pipeline.outbox import WebhookConfig, deliver_due
from api.pipeline.records import record_article
from api.pipeline.types import InputError
from api.pipeline.webhooks import new_client
from api.services.document_rendering import rendering_deferred
from api.services.text_index_sync import sync_text_index
from api.storage.models import IngestJobRow
from api.storage.queue import DEFAULT_LEASE, DEFAULT_MAX_ATTEMPTS, claim_job, fail_job, finish_job

log = structlog.get_logger("statements.worker")

# Jobs stored between two renderings of the documents their commits left NULL, while the
# queue stays busy (api/pipeline/ingest_article.py: ``render_documents``).
RENDER_EVERY = 16


@dataclass(frozen=True, kw_only=True)
class WorkerOptions:
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lease: dt.timedelta = DEFAULT_LEASE
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    poll_seconds: float = 1.0
    # Stop once the queue is empty (tests, benchmarks, cron) instead of waiting for more.
    exit_when_idle: bool = False
    max_jobs: int | None = None
    webhooks: WebhookConfig | None = None
    # The tantivy search index to keep current (STATEMENTS_SEARCH_INDEX_PATH), if any.
    search_index: Path | None = None


class WorkerStats(msgspec.Struct, kw_only=True):
    done: int = 0
    failed: int = 0
    statements: int = 0


class JobInputError(ValueError):
    """The submitted record cannot become an article: retrying will not help."""


def process_job(session: Session, job: IngestJobRow, nlp: Language, options: WorkerOptions) -> str:
    """Ingest one claimed job and mark it done, in one commit; returns the outcome.

    spaCy runs between transactions, so a long article never holds the database's
    write lock (SQLite has one per database) while it is parsed.
    """
    raw = record_article(msgspec.json.encode(job.payload), origin=f"job {job.id}")
    if isinstance(raw, InputError):
        raise JobInputError(raw.reason)
    article = clean_article(raw)
    if (reason := unusable_reason(article)) is not None:
        raise JobInputError(reason)
    parse_first = needs_doc(place_article(session, article))
    session.rollback()  # end the read before parsing; the write transaction starts below
    doc = nlp(article.text) if parse_first else None
    # Before the write transaction, which starts below.
    prepared = prepare(article, doc)
    # Again: another worker may have stored it.
    placement = place_article(session, article, prepared.fingerprint)
    if needs_doc(placement) and doc is None:
        doc = nlp(article.text)
        prepared = prepare(article, doc)
    result = store_placed(
        session, article, placement, doc, webhooks=options.webhooks, prepared=prepared
    )
    finish_job(
        session,
        job,
        outcome=result.outcome,
        article_id=result.article_id,
        statement_count=result.statement_count,
    )
    session.commit()
    return result.outcome


def _run_one(session: Session, job: IngestJobRow, nlp: Language, options: WorkerOptions) -> bool:
    """Process a claimed job; True when it was stored, False when it failed."""
    try:
        outcome = process_job(session, job, nlp, options)
    except Exception as exc:
        session.rollback()
        retry = not isinstance(exc, JobInputError) and job.attempts < options.max_attempts
        reason = str(exc) if isinstance(exc, JobInputError) else f"{type(exc).__name__}: {exc}"
        fail_job(session, job, reason, retry=retry)
        log.warning("worker.failed", job=job.id, reason=reason, retry=retry)
        return False
    log.info(
        "worker.done",
        job=job.id,
        outcome=outcome,
        article_id=job.article_id,
        statements=job.statement_count,
    )
    return True


def run_worker(
    session_factory: Callable[[], Session],
    options: WorkerOptions,
    stop: threading.Event | None = None,
) -> WorkerStats:
    """Take jobs until stopped (or, with ``exit_when_idle``, until the queue is empty)."""
    stopping = stop or threading.Event()
    nlp = load_pipeline()
    stats = WorkerStats()
    unrendered = 0  # jobs and rematches whose documents wait for ``render_documents``
    log.info("worker.started", worker=options.name)
    with new_client() as client:
        while not stopping.is_set():
            if options.max_jobs is not None and stats.done + stats.failed >= options.max_jobs:
                break
            # Commits in the round leave documents NULL (claiming a job writes too):
            # they are rendered every RENDER_EVERY jobs, and once the queue is idle; an
            # idle worker with nothing left to render queries nothing more.
            with session_factory() as session, rendering_deferred(session):
                job = claim_job(
                    session, options.name, lease=options.lease, max_attempts=options.max_attempts
                )
                if job is not None:
                    if _run_one(session, job, nlp, options):
                        stats.done += 1
                        stats.statements += job.statement_count
                    else:
                        stats.failed += 1
                    unrendered += 1
                # Claims editors' corrections put in doubt: rematched, their documents too
                # wait for the rendering.
                unrendered += drain_rematches(session).statements
                if unrendered and (job is None or unrendered >= RENDER_EVERY):
                    render_documents(session)
                    unrendered = 0
                if options.webhooks is not None and options.webhooks.urls:
                    deliver_due(session, options.webhooks, client)
                if options.search_index is not None:
                    # No wait: a worker that finds the index locked leaves its rows to
                    # the one writing it, or to its own next round.
                    sync_text_index(session.get_bind(), options.search_index, wait=0)
            if job is None:
                if options.exit_when_idle:
                    break
                stopping.wait(options.poll_seconds)
    if unrendered:  # stopped, or at ``max_jobs``, with a busy queue
        with session_factory() as session:
            render_documents(session)
    log.info("worker.stopped", worker=options.name, done=stats.done, failed=stats.failed)
    return stats


def stop_on_signals(stop: threading.Event) -> None:
    """Finish the job in hand on SIGTERM/SIGINT, then stop (a second signal is ignored)."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("worker.stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
