"""Resolved statements -> database rows, for one article inside the caller's transaction.

Actors and sources are found or created by api/pipeline/actors.py, the editors'
corrections replayed over them (api/pipeline/corrections.py); each statement joins a
claim through api/pipeline/claim_store.py.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.pipeline.actors import ActorLookup, get_or_create_source, speaker_actor
from api.pipeline.claim_store import assign_claims, known_claims
from api.pipeline.corrections import Corrections, Mention, load_corrections
from api.pipeline.identity import Placement, index_bands
from api.pipeline.resolve import ResolvedStatement
from api.pipeline.types import CleanArticle
from api.storage.models import (
    ArticleRow,
    StatementCreditRow,
    StatementRow,
)
from api.storage.new_ids import give_ids


def store_article(
    session: Session,
    article: CleanArticle,
    placement: Placement,
    statements: list[ResolvedStatement],
    run_id: int | None,
) -> tuple[ArticleRow, list[StatementRow]]:
    """Add the article, its statements, their actors, sources and claims; no commit.

    A near-duplicate copy is stored with its pointer and none of the statements: they are
    the original's.
    """
    outlet = get_or_create_source(session, article.outlet, "outlet") if article.outlet else None
    row = ArticleRow(
        source=outlet,
        url=article.url,
        version=placement.previous_version + 1 if placement.outcome == "new_version" else 1,
        previous_version_id=placement.previous_id if placement.outcome == "new_version" else None,
        duplicate_of_id=placement.duplicate_of_id,
        duplicate_similarity=placement.similarity,
        minhash=placement.signature,
        title=article.title,
        title_inferred=article.title_inferred,
        outlet_inferred=article.outlet_inferred,
        published_date=article.published_date,
        published_at=article.published_at,
        published_inferred=article.published_inferred,
        text=article.text,
        content_hash=article.content_hash,
        origin=article.origin,
        ingestion_run_id=run_id,
    )
    session.add(row)
    session.flush()
    index_bands(session, row, placement)
    if placement.duplicate_of_id is not None:
        return row, []
    # Claims from other articles, read once per article rather than once per statement.
    known = known_claims(session, row.id)
    corrections = load_corrections(session)
    lookup = ActorLookup()
    lookup.prefetch(session, [resolved.speaker for resolved in statements])
    stored = [
        _statement_row(session, row, article, resolved, corrections, lookup)
        for resolved in statements
    ]
    # One flush, one batched INSERT, for the article's statements rather than one each.
    # Claims are assigned after, in the same order as before: a statement's claim depends
    # on the claim index so far and never on a statement of its own article, and the
    # actors above do not depend on claims.
    give_ids(session, StatementRow.id, stored)
    session.add_all(stored)
    session.flush()
    assign_claims(session, stored, known)
    return row, stored


def _statement_row(
    session: Session,
    article_row: ArticleRow,
    article: CleanArticle,
    resolved: ResolvedStatement,
    corrections: Corrections,
    lookup: ActorLookup,
) -> StatementRow:
    c = resolved.candidate
    text = article.text
    mention = Mention(
        text=text[c.speaker_start : c.speaker_end] if c.speaker_start is not None else None,
        article_hash=article.content_hash,
        content_start=c.content_start,
        content_end=c.content_end,
    )
    speaker, role = speaker_actor(session, resolved.speaker, corrections, mention, lookup)
    statement = StatementRow(
        article_id=article_row.id,
        speaker=speaker,
        kind=c.kind,
        text=text[c.content_start : c.content_end],
        content_start=c.content_start,
        content_end=c.content_end,
        quotes=[{"start": s, "end": e, "text": text[s:e]} for s, e in c.quotes],
        cue_text=text[c.cue_start : c.cue_end] if c.cue_start is not None else None,
        cue_start=c.cue_start,
        cue_end=c.cue_end,
        speaker_text=mention.text,
        speaker_start=c.speaker_start,
        speaker_end=c.speaker_end,
        speaker_role=role,
        confidence=resolved.confidence,
        # Dated by the text when it says when ("on Tuesday"), else by the publication.
        statement_date=resolved.date.date if resolved.date else article.published_date,
        date_inferred=resolved.date is None,
        date_text=resolved.date.text if resolved.date else None,
    )
    for name in dict.fromkeys(resolved.credited):
        statement.credits.append(
            StatementCreditRow(source=get_or_create_source(session, name, "agency"))
        )
    return statement
