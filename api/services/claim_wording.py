"""A claim's canonical wording and speaker, chosen again from its statements.

Shared by the pipeline (api/pipeline/claim_merge.py, after a merge) and by editors'
corrections (api/services/corrections.py, after a statement leaves its claim), which
cannot import the pipeline: one rule whichever side regroups a claim.

The canonical wording is that of the claim's best statement: a direct quote before a
partial one before reported speech, the most quoted words, then the earliest published,
then the first stored. Its speaker is the canonical statement's, or failing that the
first statement's (by id) that has one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.models import ArticleRow, ClaimRow, ClaimStatementRow, StatementRow

_KIND_RANK = {"direct": 0, "partial": 1}


def rank(
    statement_id: int, kind: str, quotes: list[dict[str, object]], published: dt.date | None
) -> tuple[int, int, dt.date, int]:
    """Lower is a better canonical wording."""
    quoted = sum(len(str(q["text"])) for q in quotes)
    return (_KIND_RANK.get(kind, 2), -quoted, published or dt.date.max, statement_id)


def choose_wording(session: Session, claim: ClaimRow) -> None:
    """Give ``claim`` the wording and speaker of its best statement (see the module)."""
    rows = session.execute(
        select(
            StatementRow.id,
            StatementRow.kind,
            StatementRow.quotes,
            ArticleRow.published_date,
            StatementRow.text,
            StatementRow.speaker_id,
        )
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .where(ClaimStatementRow.claim_id == claim.id)
        .order_by(StatementRow.id)
    ).all()
    if not rows:
        return
    best = min(rows, key=lambda row: rank(row[0], row[1], row[2], row[3]))
    claim.text = best[4]
    speakers = [row[5] for row in rows if row[5] is not None]
    claim.speaker_id = best[5] if best[5] is not None else (speakers[0] if speakers else None)
