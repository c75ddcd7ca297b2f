"""ORM rows -> wire structs. The only place that knows both shapes.

Converters are pure: whatever needs another query (counts, claim ids, roles) is
fetched in batches by the services and passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec

import schemas
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimRow,
    IngestJobRow,
    SourceRow,
    StatementRow,
)

# A job's error is shown as one line of at most this many characters.
MAX_JOB_ERROR_CHARS = 500


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp (naive UTC, see ``models.utcnow``) as the wire sends it: in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def optional_utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else utc(moment)


def source_ref(row: SourceRow) -> schemas.SourceRef:
    return schemas.SourceRef(id=row.id, name=row.name, kind=schemas.SourceKind(row.kind))


def sorted_source_refs(rows: Iterable[SourceRow]) -> list[schemas.SourceRef]:
    """Distinct sources, by name then id, so lists read the same on every backend."""
    unique = {row.id: row for row in rows}
    return [source_ref(row) for row in sorted(unique.values(), key=lambda s: (s.name, s.id))]


def actor_ref(row: ActorRow | None) -> schemas.ActorRef | None:
    if row is None:
        return None
    return schemas.ActorRef(id=row.id, name=row.name, kind=schemas.ActorKind(row.kind))


def article_ref(row: ArticleRow) -> schemas.ArticleRef:
    return schemas.ArticleRef(
        id=row.id,
        title=row.title,
        url=row.url,
        published_date=row.published_date,
        source=source_ref(row.source) if row.source is not None else None,
    )


def optional_span(start: int | None, end: int | None, text: str | None) -> schemas.Span | None:
    """A span, or None when the pipeline recorded no offsets for it."""
    if start is None or end is None:
        return None
    return schemas.Span(start=start, end=end, text=text or "")


def content_span(row: StatementRow) -> schemas.Span:
    return schemas.Span(start=row.content_start, end=row.content_end, text=row.text)


def quote_spans(quotes: list[dict[str, Any]]) -> list[schemas.Span]:
    return [schemas.Span(start=q["start"], end=q["end"], text=q["text"]) for q in quotes]


def statement(
    row: StatementRow, claim_id: int | None, *, snippet: str | None = None
) -> schemas.Statement:
    """``snippet`` is the search hit's highlighted snippet (None outside a search)."""
    article = row.article
    return schemas.Statement(
        id=row.id,
        kind=schemas.StatementKind(row.kind),
        text=row.text,
        content=content_span(row),
        quotes=quote_spans(row.quotes),
        cue=optional_span(row.cue_start, row.cue_end, row.cue_text),
        speaker=actor_ref(row.speaker),
        speaker_mention=optional_span(row.speaker_start, row.speaker_end, row.speaker_text),
        speaker_role=row.speaker_role,
        confidence=row.confidence,
        article=article_ref(article),
        source=source_ref(article.source) if article.source is not None else None,
        via=sorted_source_refs(credit.source for credit in row.credits),
        date=row.statement_date,
        date_inferred=row.date_inferred,
        date_text=row.date_text,
        claim_id=claim_id,
        snippet=snippet,
    )


def actor(row: ActorRow, *, statement_count: int, roles: list[str]) -> schemas.Actor:
    return schemas.Actor(
        id=row.id,
        name=row.name,
        kind=schemas.ActorKind(row.kind),
        aliases=sorted({alias.alias for alias in row.aliases}),
        roles=roles,
        wikidata_id=row.wikidata_id,
        statement_count=statement_count,
    )


def inferred_fields(row: ArticleRow) -> schemas.InferredFields:
    return schemas.InferredFields(
        title=row.title_inferred, outlet=row.outlet_inferred, published=row.published_inferred
    )


def article_summary(row: ArticleRow, *, statement_count: int) -> schemas.ArticleSummary:
    return schemas.ArticleSummary(
        id=row.id,
        title=row.title,
        url=row.url,
        source=source_ref(row.source) if row.source is not None else None,
        published_date=row.published_date,
        published_at=row.published_at.isoformat() if row.published_at is not None else None,
        inferred=inferred_fields(row),
        content_hash=row.content_hash,
        statement_count=statement_count,
        # Stored as naive UTC (utcnow); the wire says so.
        ingested_at=utc(row.ingested_at),
        version=row.version,
        duplicate_of=row.duplicate_of_id,
        duplicate_similarity=row.duplicate_similarity,
    )


def article_version(row: ArticleRow, *, statement_count: int) -> schemas.ArticleVersion:
    return schemas.ArticleVersion(
        id=row.id,
        version=row.version,
        content_hash=row.content_hash,
        ingested_at=utc(row.ingested_at),
        statement_count=statement_count,
    )


def article_duplicate(row: ArticleRow) -> schemas.ArticleDuplicate:
    return schemas.ArticleDuplicate(
        id=row.id,
        url=row.url,
        source=source_ref(row.source) if row.source is not None else None,
        similarity=row.duplicate_similarity,
    )


def article(
    row: ArticleRow,
    *,
    statement_count: int,
    versions: list[schemas.ArticleVersion],
    duplicates: list[schemas.ArticleDuplicate],
) -> schemas.Article:
    summary = article_summary(row, statement_count=statement_count)
    return schemas.Article(
        **msgspec.structs.asdict(summary),
        origin=row.origin,
        versions=versions,
        duplicates=duplicates,
        text=row.text,
    )


def source(row: SourceRow, *, article_count: int, statement_count: int) -> schemas.Source:
    return schemas.Source(
        id=row.id,
        name=row.name,
        kind=schemas.SourceKind(row.kind),
        article_count=article_count,
        statement_count=statement_count,
    )


def claim(
    row: ClaimRow,
    *,
    statement_count: int,
    outlets: list[schemas.SourceRef],
    first_published_date: dt.date | None,
) -> schemas.Claim:
    return schemas.Claim(
        id=row.id,
        text=row.text,
        speaker=actor_ref(row.speaker),
        statement_count=statement_count,
        outlets=outlets,
        first_published_date=first_published_date,
    )


def one_line(text: str | None, limit: int = MAX_JOB_ERROR_CHARS) -> str | None:
    """The first non-blank line of ``text``, cut to ``limit`` characters; None for none."""
    if text is None:
        return None
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not line:
        return None
    return line if len(line) <= limit else line[: limit - 1] + "…"


def ingest_job(row: IngestJobRow, *, article_url: str | None) -> schemas.IngestJob:
    """``article_url`` is the path of ``row.article_id`` (the services know no routes)."""
    return schemas.IngestJob(
        id=row.id,
        status=schemas.JobStatus(row.status),
        outcome=schemas.JobOutcome(row.outcome) if row.outcome is not None else None,
        article_id=row.article_id,
        statement_count=row.statement_count,
        attempts=row.attempts,
        error=one_line(row.error),
        created_at=utc(row.created_at),
        started_at=optional_utc(row.started_at),
        finished_at=optional_utc(row.finished_at),
        article_url=article_url,
    )
