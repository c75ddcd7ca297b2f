"""Resolved statements -> database rows, for one article inside the caller's transaction.

Actors are canonical across the corpus: one key per kind and name, aliases for every
other spelling seen. A person written with a misspelt surname ("Whitkoff") reaches the
existing actor only when the first name agrees and the surnames are close (rapidfuzz),
never on fuzzy similarity alone.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.claims import ClaimFeatures, claim_features, same_claim
from api.pipeline.identity import Placement, index_bands
from api.pipeline.lexicon import load_lexicon, name_key
from api.pipeline.resolve import ResolvedSpeaker, ResolvedStatement
from api.pipeline.types import CleanArticle
from api.storage.models import (
    ActorAliasRow,
    ActorRow,
    ArticleRow,
    ClaimRow,
    ClaimStatementRow,
    SourceRow,
    StatementCreditRow,
    StatementRow,
)

SURNAME_SIMILARITY = 85.0


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
    stored: list[StatementRow] = []
    for resolved in statements:
        statement = _statement_row(session, row, article, resolved)
        session.add(statement)
        session.flush()
        assign_claim(session, statement, known)
        stored.append(statement)
    return row, stored


def _statement_row(
    session: Session, article_row: ArticleRow, article: CleanArticle, resolved: ResolvedStatement
) -> StatementRow:
    c = resolved.candidate
    text = article.text
    speaker = get_or_create_actor(session, resolved.speaker) if resolved.speaker else None
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
        speaker_text=text[c.speaker_start : c.speaker_end] if c.speaker_start is not None else None,
        speaker_start=c.speaker_start,
        speaker_end=c.speaker_end,
        speaker_role=resolved.speaker.role if resolved.speaker else None,
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


def get_or_create_source(session: Session, name: str, kind: str) -> SourceRow:
    key = name_key(load_lexicon().media_name(name) or name)
    existing = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if existing is not None:
        return existing
    source = SourceRow(key=key, name=name, kind=kind)
    session.add(source)
    session.flush()
    return source


def actor_key(kind: str, name: str) -> str:
    return f"{kind}:{name_key(name)}"


def get_or_create_actor(session: Session, speaker: ResolvedSpeaker) -> ActorRow:
    key = actor_key(speaker.kind, speaker.name)
    actor = session.scalar(select(ActorRow).where(ActorRow.key == key))
    if actor is None:
        alias_owner = session.scalar(
            select(ActorRow)
            .join(ActorAliasRow)
            .where(ActorAliasRow.key == name_key(speaker.name), ActorRow.kind == speaker.kind)
        )
        actor = alias_owner or (
            _similar_person(session, speaker) if speaker.kind == "person" else None
        )
    if actor is None:
        actor = ActorRow(key=key, name=speaker.name, kind=speaker.kind)
        session.add(actor)
    _add_alias(actor, speaker.name)
    if speaker.role:
        _add_alias(actor, f"{speaker.role} {speaker.name}")
    session.flush()
    return actor


def _add_alias(actor: ActorRow, alias: str) -> None:
    key = name_key(alias)
    if all(existing.key != key for existing in actor.aliases):
        actor.aliases.append(ActorAliasRow(alias=alias, key=key))


def _similar_person(session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
    """Same first name and a close surname; a lone surname must match exactly and uniquely."""
    parts = name_key(speaker.name).split()
    people = session.scalars(select(ActorRow).where(ActorRow.kind == "person")).all()
    if len(parts) == 1:
        same = [p for p in people if name_key(p.name).split()[-1] == parts[0]]
        return same[0] if len(same) == 1 else None
    matches = []
    for person in people:
        other = name_key(person.name).split()
        if len(other) < 2 or other[0] != parts[0]:
            continue
        if fuzz.ratio(other[-1], parts[-1]) >= SURNAME_SIMILARITY:
            matches.append(person)
    return matches[0] if len(matches) == 1 else None


def _features(statement: StatementRow) -> ClaimFeatures:
    return claim_features(
        statement.text, [q["text"] for q in statement.quotes], statement.speaker_id
    )


def known_claims(session: Session, article_id: int) -> list[tuple[ClaimFeatures, int]]:
    """Every statement of the other articles, as (claim features, claim id), in id order."""
    rows = session.execute(
        select(StatementRow, ClaimStatementRow.claim_id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .where(StatementRow.article_id != article_id)
        .order_by(StatementRow.id)
    ).all()
    return [(_features(other), claim_id) for other, claim_id in rows]


def assign_claim(
    session: Session, statement: StatementRow, known: list[tuple[ClaimFeatures, int]]
) -> ClaimRow:
    """Join the claim of a matching statement from another article, or start a new claim."""
    features = _features(statement)
    claim_id = next((cid for other, cid in known if same_claim(features, other)), None)
    if claim_id is not None:
        claim = session.get_one(ClaimRow, claim_id)
        if claim.speaker_id is None and statement.speaker_id is not None:
            claim.speaker_id = statement.speaker_id
    else:
        claim = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
        session.add(claim)
        session.flush()
    session.add(ClaimStatementRow(claim_id=claim.id, statement_id=statement.id))
    return claim
