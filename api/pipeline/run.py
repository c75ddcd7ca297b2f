"""The ingestion job: paths in, one transaction per article, a stored run report out."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import msgspec
import structlog
from spacy.tokens import Doc
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from tqdm import tqdm

from api.pipeline.actor_seed import ActorFileError, load_actor_file
from api.pipeline.claim_rematch import drain_rematches
from api.pipeline.clean import clean_article
from api.pipeline.identity import is_unchanged, place_article
from api.pipeline.ingest_article import (
    ArticleResult,
    prepare,
    render_documents,
    store_placed,
    unusable_reason,
)
from api.pipeline.inputs import ReadOptions, actor_files, read_inputs
from api.pipeline.nlp import load_pipeline
from api.pipeline.outbox import WebhookConfig, deliver_due
from api.pipeline.types import CleanArticle, InputError, RawArticle
from api.pipeline.webhooks import new_client
from api.services.document_rendering import rendering_deferred
from api.storage.models import IngestionRunRow, utcnow

log = structlog.get_logger("statements.ingest")

# Articles stored between two renderings of the documents their commits left NULL
# (api/pipeline/ingest_article.py: ``render_documents``).
RENDER_EVERY = 32


class RunReport(msgspec.Struct, kw_only=True):
    run_id: int
    ingested: int = 0  # stored: new articles, new versions and near-duplicate copies
    unchanged: int = 0
    failed: int = 0
    statements: int = 0
    new_versions: int = 0
    duplicates: int = 0
    errors: list[InputError] = msgspec.field(default_factory=list)

    def fail(self, item: str, reason: str) -> None:
        self.failed += 1
        self.errors.append(InputError(item=item, reason=reason))
        log.warning("ingest.failed", item=item, reason=reason)


def ingest_paths(
    session: Session,
    paths: Sequence[Path | str],
    *,
    batch_size: int = 32,
    progress: bool | None = None,
    options: ReadOptions | None = None,
    webhooks: WebhookConfig | None = None,
) -> RunReport:
    """Ingest files, folders and URLs; commits once per article and once for the run report.

    A fetched page that answered 304 Not Modified counts as unchanged, not failed. Webhook
    notices are queued with each article and sent once the articles are in.
    """
    run = IngestionRunRow()
    session.add(run)
    session.commit()
    report = RunReport(run_id=run.id)
    read_options = _count_unchanged_pages(options or ReadOptions(), report)
    try:
        _load_actor_files(session, paths, report)
        articles = list(_clean_inputs(read_inputs(paths, read_options), report))
        fresh = _skip_unchanged(session, articles, report)
        # End that read before spaCy runs: on SQLite every transaction of the writers'
        # engine holds the database's write lock (BEGIN IMMEDIATE), and a second ingest
        # process would wait out the first batch's parse and give up ("database is locked").
        session.commit()
        _ingest_articles(session, fresh, report, batch_size, progress, webhooks)
        drain_rematches(session)  # claims editors' corrections put in doubt
    finally:
        run.finished_at = utcnow()
        run.status = "failed" if report.failed else "succeeded"
        run.ingested, run.unchanged, run.failed = report.ingested, report.unchanged, report.failed
        run.errors = [{"item": e.item, "reason": e.reason} for e in report.errors]
        session.commit()
    if webhooks is not None and webhooks.urls:
        with new_client() as client:
            deliver_due(session, webhooks, client)
    return report


def _load_actor_files(session: Session, paths: Sequence[Path | str], report: RunReport) -> None:
    """A folder's curated actors (actors.toml) before its articles, so its aliases steer them."""
    for path in actor_files(paths):
        try:
            seeded = load_actor_file(session, path)
            session.commit()
        except ActorFileError as exc:
            session.rollback()
            report.fail(str(path), str(exc))
            continue
        log.info("ingest.actors", item=str(path), **msgspec.structs.asdict(seeded))


def _count_unchanged_pages(options: ReadOptions, report: RunReport) -> ReadOptions:
    caller = options.on_unchanged

    def on_unchanged(url: str) -> None:
        report.unchanged += 1
        log.info("ingest.unchanged", item=url, reason="304 Not Modified")
        if caller is not None:
            caller(url)

    return dataclasses.replace(options, on_unchanged=on_unchanged)


def _clean_inputs(
    items: Iterable[RawArticle | InputError], report: RunReport
) -> Iterator[CleanArticle]:
    for item in items:
        if isinstance(item, InputError):
            report.fail(item.item, item.reason)
            continue
        try:
            article = clean_article(item)
        except Exception as exc:  # one bad article must not stop the batch
            report.fail(item.origin, f"could not clean the text: {exc}")
            continue
        if (reason := unusable_reason(article)) is not None:
            report.fail(item.origin, reason)
            continue
        yield article


def _skip_unchanged(
    session: Session, articles: list[CleanArticle], report: RunReport
) -> list[CleanArticle]:
    """Drop what is already stored, and repeats within the batch, before spaCy sees them.

    Within the batch a URL is compared with its latest text so far, as the database would
    compare it across runs: a page that goes v1, v2, v1 is three versions either way.
    """
    fresh: list[CleanArticle] = []
    latest_text: dict[str, str] = {}  # url -> content hash, in this batch
    seen_without_url: set[str] = set()
    for article in articles:
        if article.url is not None and article.url in latest_text:
            repeat = latest_text[article.url] == article.content_hash
        elif article.url is None and article.content_hash in seen_without_url:
            repeat = True
        else:
            repeat = is_unchanged(session, article)
        if repeat:
            report.unchanged += 1
            log.info("ingest.unchanged", item=article.origin)
            continue
        if article.url is not None:
            latest_text[article.url] = article.content_hash
        else:
            seen_without_url.add(article.content_hash)
        fresh.append(article)
    return fresh


def _ingest_articles(
    session: Session,
    articles: list[CleanArticle],
    report: RunReport,
    batch_size: int,
    progress: bool | None,
    webhooks: WebhookConfig | None,
) -> None:
    if not articles:
        return
    nlp = load_pipeline()
    show = sys.stderr.isatty() if progress is None else progress
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    bar = tqdm(
        zip(articles, docs, strict=True), total=len(articles), unit="article", disable=not show
    )
    with rendering_deferred(session):
        for number, (article, doc) in enumerate(bar, start=1):
            _store_and_count(session, article, doc, report, webhooks)
            if number % RENDER_EVERY == 0 or number == len(articles):
                render_documents(session)


def _store_and_count(
    session: Session,
    article: CleanArticle,
    doc: Doc,
    report: RunReport,
    webhooks: WebhookConfig | None,
) -> None:
    try:
        result = _store_one(session, article, doc, report.run_id, webhooks)
    except Exception as exc:
        session.rollback()
        report.fail(article.origin, f"could not store the article: {type(exc).__name__}: {exc}")
        return
    if result.outcome == "unchanged":  # stored by someone else since the batch began
        report.unchanged += 1
        return
    report.ingested += 1
    report.new_versions += result.outcome == "new_version"
    report.duplicates += result.outcome == "duplicate"
    report.statements += result.statement_count
    log.info(
        "ingest.stored",
        item=article.origin,
        outcome=result.outcome,
        article_id=result.article_id,
        statements=result.statement_count,
    )


def _store_one(
    session: Session,
    article: CleanArticle,
    doc: Doc,
    run_id: int,
    webhooks: WebhookConfig | None,
) -> ArticleResult:
    """One transaction per article: a failure leaves nothing of it behind.

    Another process ingesting at the same time may store the same actor or alias between
    our read and our insert (a unique-key conflict), or PostgreSQL may pick this
    transaction as the victim of a deadlock over such keys: the article is stored again
    from the start, and the next attempt reads what the other process wrote.
    """
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return _store_attempt(session, article, doc, run_id, webhooks)
        except (IntegrityError, OperationalError) as exc:
            session.rollback()
            if attempt == STORE_ATTEMPTS or not _concurrent_conflict(exc):
                raise
    raise AssertionError("unreachable")


STORE_ATTEMPTS = 3
# PostgreSQL's deadlock_detected and serialization_failure: another writer won, try again.
_RETRIED_SQLSTATES = frozenset({"40P01", "40001"})


def _concurrent_conflict(exc: IntegrityError | OperationalError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    return getattr(exc.orig, "sqlstate", None) in _RETRIED_SQLSTATES


def _store_attempt(
    session: Session,
    article: CleanArticle,
    doc: Doc,
    run_id: int,
    webhooks: WebhookConfig | None,
) -> ArticleResult:
    # Before the transaction begins (at the first query, below): see ``Prepared``.
    prepared = prepare(article, doc)
    # The session outlives its transactions (expire_on_commit=False): forget what earlier
    # articles loaded, so this one sees the rows other processes wrote since.
    session.expire_all()
    placement = place_article(session, article, prepared.fingerprint)
    result = store_placed(
        session, article, placement, doc, run_id=run_id, webhooks=webhooks, prepared=prepared
    )
    session.commit()
    return result
