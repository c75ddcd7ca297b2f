"""An article's statements assigned together join the claims they would one at a time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.claim_store import assign_claims, known_claims
from api.pipeline.claims import claim_keys
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimKeyRow,
    ClaimMergeRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

WORDS = "compromises would be needed on the land question"
OTHER = "the reconstruction fund would be financed by frozen assets"


def article(session: Session, name: str, *texts: tuple[str, ActorRow | None]) -> list[ClaimRow]:
    row = ArticleRow(text="-", content_hash=f"batch-{name}", published_date=dt.date(2026, 1, 6))
    session.add(row)
    session.flush()
    statements = [
        StatementRow(
            article_id=row.id,
            speaker=speaker,
            kind="reported",
            text=text,
            content_start=0,
            content_end=len(text),
            quotes=[],
            confidence=0.9,
        )
        for text, speaker in texts
    ]
    session.add_all(statements)
    session.flush()
    return assign_claims(session, statements, known_claims(session, row.id))


def person(session: Session, name: str) -> ActorRow:
    actor = ActorRow(key=f"person:batch-{name.lower()}", name=name, kind="person")
    session.add(actor)
    session.flush()
    return actor


def test_new_claims_a_bridging_merge_and_the_index_in_one_article(db_session: Session) -> None:
    # Two people saying the same words are two claims; a statement with no speaker that
    # says them too bridges both, and they merge into the older one.
    (witkoff,) = article(db_session, "a", (WORDS, person(db_session, "Witkoff")))
    (merz,) = article(db_session, "b", (WORDS, person(db_session, "Merz")))
    assert witkoff.id != merz.id
    first, bridged, last = article(db_session, "c", (OTHER, None), (WORDS, None), (OTHER, None))
    db_session.flush()
    assert bridged.id == witkoff.id
    assert db_session.get(ClaimRow, merz.id) is None
    assert db_session.scalar(select(ClaimMergeRow.into_id).where(ClaimMergeRow.claim_id == merz.id))
    # Statements of one article never join each other: two claims, both new.
    assert len({first.id, last.id, witkoff.id}) == 3
    members = db_session.scalars(
        select(ClaimStatementRow.statement_id).where(ClaimStatementRow.claim_id == witkoff.id)
    ).all()
    assert len(members) == 3
    keyed = db_session.scalars(
        select(ClaimKeyRow.statement_id).where(ClaimKeyRow.key.in_(claim_keys(OTHER)))
    ).all()
    assert len(keyed) == 2 * len(claim_keys(OTHER))
