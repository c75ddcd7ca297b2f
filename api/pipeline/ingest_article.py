"""One clean article (and its Doc) -> database rows, inside the caller's transaction.

Shared by the batch job (api/pipeline/run.py) and the queue worker
(api/pipeline/worker.py): place the article among the stored ones (new, unchanged, new
version, near-duplicate copy), extract and date its statements, store them, record
the relations between claims they take part in (api/pipeline/relations.py), and queue
webhook notices in the same transaction.
"""

from __future__ import annotations

import msgspec
import structlog
from spacy.tokens import Doc
from sqlalchemy.orm import Session

from api.pipeline import near_duplicates
from api.pipeline.claim_mentions import Narration, narration_of, record_mentions
from api.pipeline.claims import claim_keys, text_features
from api.pipeline.dates import DocDates
from api.pipeline.identity import Outcome, Placement
from api.pipeline.nlp import MAX_ARTICLE_CHARS
from api.pipeline.outbox import WebhookConfig, queue_notices
from api.pipeline.relation_text import features as relation_features
from api.pipeline.relations import record_relations
from api.pipeline.resolve import ResolvedStatement, resolve_speakers
from api.pipeline.store import store_article
from api.pipeline.types import CleanArticle
from api.services.document_rendering import render_pending

log = structlog.get_logger("statements.ingest")


class ArticleResult(msgspec.Struct, frozen=True, kw_only=True):
    outcome: Outcome
    article_id: int | None
    statement_count: int = 0


def unusable_reason(article: CleanArticle) -> str | None:
    """Why a cleaned article cannot go on to spaCy, or None when it can."""
    if not article.text.strip():
        return "no article text left after removing page clutter"
    if len(article.text) > MAX_ARTICLE_CHARS:
        return (
            f"article text is {len(article.text):,} characters, over the "
            f"{MAX_ARTICLE_CHARS:,} one article may have"
        )
    return None


def needs_doc(placement: Placement) -> bool:
    """Only a new article or a new version that is not a copy has statements to extract."""
    return placement.outcome in ("ingested", "new_version") and placement.duplicate_of_id is None


def dated_statements(doc: Doc, article: CleanArticle) -> list[ResolvedStatement]:
    """The Doc's statements with speakers resolved and dated when the text says when."""
    resolved = resolve_speakers(doc, doc._.statements)
    dates = DocDates(doc)
    return [
        msgspec.structs.replace(
            statement,
            date=dates.statement_date(
                cue_start=statement.candidate.cue_start,
                cue_end=statement.candidate.cue_end,
                content_start=statement.candidate.content_start,
                content_end=statement.candidate.content_end,
                published=article.published_date,
            ),
        )
        for statement in resolved
    ]


class Prepared(msgspec.Struct, frozen=True, kw_only=True):
    """What storing an article needs that no database row decides, worked out before its
    transaction: on SQLite every writer's transaction holds the database's one write lock
    (api/storage/engine.py, BEGIN IMMEDIATE), so work done inside it is work a second
    ingest process waits for. The rows it is stored with are the same either way."""

    fingerprint: near_duplicates.Fingerprint
    # From the Doc: the dated statements and the narration sentences (None: no Doc, or
    # working them out failed: ``failed``, and they are worked out again in the
    # transaction, to fail there as before if the article needs its Doc).
    statements: list[ResolvedStatement] | None = None
    narration: list[Narration] | None = None
    failed: bool = False


def prepare(article: CleanArticle, doc: Doc | None) -> Prepared:
    """Fingerprint, statements and narration of an article, and the text analyses the
    claim matcher and the relations will ask for (cached: api/pipeline/claims.py,
    api/pipeline/relation_text.py)."""
    fingerprint = near_duplicates.fingerprint(article.text)
    if doc is None:
        return Prepared(fingerprint=fingerprint)
    try:
        statements = dated_statements(doc, article)
        spans = [(s.candidate.content_start, s.candidate.content_end) for s in statements]
        narration = narration_of(article.text, spans, doc)
    except Exception:  # one bad article must not stop the batch (see ``failed``)
        return Prepared(fingerprint=fingerprint, failed=True)
    for start, end in spans:
        words = article.text[start:end]
        claim_keys(words)
        text_features(words)
        relation_features(words)
    return Prepared(fingerprint=fingerprint, statements=statements, narration=narration)


def store_placed(
    session: Session,
    article: CleanArticle,
    placement: Placement,
    doc: Doc | None,
    *,
    run_id: int | None = None,
    webhooks: WebhookConfig | None = None,
    prepared: Prepared | None = None,
) -> ArticleResult:
    """Store a placed article; ``doc`` is required when ``needs_doc(placement)``. No commit.

    ``prepared``: ``prepare(article, doc)``, when it was worked out before the transaction.
    """
    if placement.outcome == "unchanged":
        return ArticleResult(outcome="unchanged", article_id=placement.previous_id)
    if needs_doc(placement) and doc is None:
        raise ValueError(f"{article.origin}: a {placement.outcome} article needs its Doc")
    resolved: list[ResolvedStatement] = []
    narration: list[Narration] | None = None
    if doc is not None and needs_doc(placement):
        if prepared is None or prepared.failed:
            # Resolved here when not prepared, or again to raise the very exception.
            resolved = dated_statements(doc, article)
        else:
            resolved = prepared.statements or []
            narration = prepared.narration
    row, stored = store_article(session, article, placement, resolved, run_id)
    # Once the statements have their claims, and in the same transaction: a failure
    # leaves neither the article nor half of its relations behind.
    record_relations(session, row, stored)
    record_mentions(session, row, stored, doc if needs_doc(placement) else None, narration)
    if webhooks is not None:
        queue_notices(session, webhooks, row, stored)
    return ArticleResult(outcome=placement.outcome, article_id=row.id, statement_count=len(stored))


def render_documents(session: Session) -> None:
    """Render what earlier commits left NULL (``rendering_deferred``), committing. A failure
    loses no article: its documents stay NULL, readers render from the tables, and the
    next writer's commit renders them."""
    try:
        render_pending(session)
    except Exception as exc:
        session.rollback()
        log.warning("ingest.render_failed", error=f"{type(exc).__name__}: {exc}")
