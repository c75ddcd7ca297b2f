"""One claim absorbs another, and a claim's wording is chosen again from its statements.

A statement that matches the claims of two earlier statements bridges them: had it come
first, both would have joined its claim. Merging them then makes the grouping the same
whatever order the articles arrive in (a claim is a connected group of matching
statements). The older claim survives; the other's statements and relations move to it,
and ``claim_merges`` records where the merged id went so that its URL keeps answering.

The canonical wording is that of the claim's best statement (api/services/claim_wording.py,
shared with editors' corrections).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.services.claim_wording import choose_wording, rank
from api.storage.models import (
    ArticleRow,
    ClaimMergeRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)


def merge_claims(session: Session, source_id: int, target: ClaimRow) -> None:
    """Move everything of claim ``source_id`` to ``target`` and delete it, recorded."""
    if source_id == target.id:
        return
    session.execute(
        update(ClaimStatementRow)
        .where(ClaimStatementRow.claim_id == source_id)
        .values(claim_id=target.id)
    )
    session.execute(
        update(ClaimRelationRow)
        .where(ClaimRelationRow.claim_id == source_id)
        .values(claim_id=target.id)
    )
    session.execute(
        update(ClaimRelationRow)
        .where(ClaimRelationRow.later_claim_id == source_id)
        .values(later_claim_id=target.id)
    )
    # Ids merged into the source now lead to the target in one step.
    session.execute(
        update(ClaimMergeRow).where(ClaimMergeRow.into_id == source_id).values(into_id=target.id)
    )
    # SQLite may hand a deleted claim's id to a new claim: a record left from then is stale.
    session.execute(delete(ClaimMergeRow).where(ClaimMergeRow.claim_id == source_id))
    session.execute(delete(ClaimRow).where(ClaimRow.id == source_id))
    session.add(ClaimMergeRow(claim_id=source_id, into_id=target.id))
    session.flush()
    choose_wording(session, target)


def offer_wording(session: Session, claim: ClaimRow, statement: StatementRow) -> None:
    """Make ``statement``, about to join ``claim``, its wording if it ranks first: one
    comparison with the current wording rather than a reading of every statement."""
    current = session.execute(
        select(StatementRow.id, StatementRow.kind, StatementRow.quotes, ArticleRow.published_date)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .where(ClaimStatementRow.claim_id == claim.id, StatementRow.text == claim.text)
        .order_by(StatementRow.id)
        .limit(1)
    ).first()
    mine = rank(statement.id, statement.kind, statement.quotes, statement.article.published_date)
    if current is None or mine < rank(*current):
        claim.text = statement.text
        if statement.speaker_id is not None:
            claim.speaker_id = statement.speaker_id
    if claim.speaker_id is None and statement.speaker_id is not None:
        claim.speaker_id = statement.speaker_id


def merged_into(session: Session, claim_id: int) -> int | None:
    """The live claim a merged claim id became, or None."""
    return session.scalar(select(ClaimMergeRow.into_id).where(ClaimMergeRow.claim_id == claim_id))
