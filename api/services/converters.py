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
from api.storage.models import ActorRow, ArticleRow, ClaimRow, SourceRow, StatementRow


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
        ingested_at=row.ingested_at.replace(tzinfo=dt.UTC),
    )


def article(row: ArticleRow, *, statement_count: int) -> schemas.Article:
    summary = article_summary(row, statement_count=statement_count)
    return schemas.Article(**msgspec.structs.asdict(summary), origin=row.origin, text=row.text)


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


def appearance(row: StatementRow, *, diff: list[schemas.WordDiff]) -> schemas.Appearance:
    article = row.article
    return schemas.Appearance(
        statement_id=row.id,
        article=article_ref(article),
        outlet=source_ref(article.source) if article.source is not None else None,
        published_date=article.published_date,
        text=row.text,
        content=content_span(row),
        speaker=actor_ref(row.speaker),
        credited=sorted_source_refs(credit.source for credit in row.credits),
        diff=diff,
    )
