"""Statements -> claims in the database: join the claim of a matching statement from
another article, or start a new one (the matching rule is api/pipeline/claims.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.claims import ClaimFeatures, claim_features, same_claim
from api.storage.models import ClaimRow, ClaimStatementRow, StatementRow


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
