"""What an editor's change of speaker does to claims, at once and later.

Claims depend on who speaks: two different named speakers are never one claim. When a
correction gives a statement another speaker, its claim may no longer hold, but the
matcher lives in the pipeline, which the services may not import. So the correction,
in its own transaction:

- records the statement in ``claim_rematches`` (an outbox the pipeline drains with the
  real matcher: api/pipeline/claim_rematch.py, which may join it to other claims);
- detaches it at once when another statement of its claim names a different speaker:
  it becomes a claim of its own, with its own wording and speaker, and the claim it left
  gets its wording and speaker again when they were the statement's. Detaching is the
  cautious side: a wrong claim puts words in someone's mouth, a split one only waits
  for the rematch to join what does belong together.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.services.claim_wording import choose_wording
from api.storage.models import ClaimRematchRow, ClaimRow, ClaimStatementRow, StatementRow


def regroup_after_speaker_change(
    session: Session, statements: Sequence[StatementRow], *, detach: bool = True
) -> int:
    """Queue ``statements`` (their new speaker already flushed) for the matcher and, with
    ``detach``, take each out of a claim whose other statements name someone else; how
    many were detached. No commit."""
    detached = 0
    for statement in statements:
        claim_id = session.scalar(
            select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == statement.id)
        )
        session.add(ClaimRematchRow(statement_id=statement.id, claim_id=claim_id))
        if detach and claim_id is not None and _speaks_apart(session, statement, claim_id):
            _detach(session, statement, claim_id)
            detached += 1
    session.flush()
    return detached


def queue_rematch(session: Session, statement_ids: Sequence[int]) -> None:
    """Queue statements for the matcher without detaching them: after two actors were
    merged, claims kept apart as two speakers' may now be one. No commit."""
    rows = session.execute(
        select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
            ClaimStatementRow.statement_id.in_(statement_ids)
        )
    ).all()
    claims = dict(rows)
    session.add_all(
        ClaimRematchRow(statement_id=sid, claim_id=claims.get(sid)) for sid in statement_ids
    )


def _speaks_apart(session: Session, statement: StatementRow, claim_id: int) -> bool:
    """Another statement of the claim has a speaker, and not this one's."""
    if statement.speaker_id is None:
        return False  # nobody: anyone may have said it, as the matcher reads it
    other = session.scalar(
        select(StatementRow.id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .where(
            ClaimStatementRow.claim_id == claim_id,
            StatementRow.id != statement.id,
            StatementRow.speaker_id.is_not(None),
            StatementRow.speaker_id != statement.speaker_id,
        )
        .limit(1)
    )
    return other is not None


def _detach(session: Session, statement: StatementRow, claim_id: int) -> None:
    own = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
    session.add(own)
    session.flush()
    session.execute(
        update(ClaimStatementRow)
        .where(ClaimStatementRow.statement_id == statement.id)
        .values(claim_id=own.id)
    )
    left = session.get_one(ClaimRow, claim_id)
    remaining = set(
        session.scalars(
            select(StatementRow.speaker_id)
            .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
            .where(ClaimStatementRow.claim_id == claim_id)
        )
    )
    # Its wording, or a speaker none of its statements has any more, came from the one
    # that left: chosen again by the pipeline's rule.
    if left.text == statement.text or (
        left.speaker_id is not None and left.speaker_id not in remaining
    ):
        choose_wording(session, left)
