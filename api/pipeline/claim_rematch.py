"""Drain ``claim_rematches``: find again the claim of statements whose speaker changed.

An editor's correction (api/services/claim_regroup.py) records the statement and, when
its claim plainly mixed two speakers, has already detached it. Here the real matcher
(api/pipeline/claims.py) decides, for each recorded statement:

1. the claims it was in before and is in now are checked again: a claim is a connected
   group of matching statements (from different articles), and with one speaker changed
   it may have come apart; each part that no longer matches the rest becomes a claim of
   its own (the part with the canonical wording keeps the id);
2. the statement is compared with the indexed candidates as at ingestion, and joins the
   claims it matches: they merge into the oldest, its own claim among them
   (api/pipeline/claim_merge.py), so an id it leaves keeps answering.

Run at the end of ``statements ingest``, between jobs by ``statements worker`` and by
``statements claims rematch``. Each row is taken by deleting it and committed with what
it changed, so two drainers never handle one row and a crash loses nothing.
"""

from __future__ import annotations

import msgspec
import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.pipeline.claim_merge import merge_claims
from api.pipeline.claim_store import (
    KnownClaims,
    claim_members,
    indexed_candidates,
    statement_features,
)
from api.pipeline.claims import ClaimFeatures, claim_keys, match_score
from api.services.claim_wording import choose_wording
from api.storage.models import (
    ClaimRematchRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

log = structlog.get_logger("statements.claims")

BATCH = 100
# Checking a claim compares every pair of its statements: beyond this many, a claim is
# left whole (only the corrected statement's own matches are looked at again).
MAX_CHECKED = 200


class RematchReport(msgspec.Struct, kw_only=True):
    statements: int = 0  # rows drained
    split: int = 0  # claims made of the parts of claims that came apart
    merged: int = 0  # claims merged into another when a statement matched them


def drain_rematches(session: Session, *, limit: int | None = None) -> RematchReport:
    """Rematch every recorded statement (at most ``limit``); commits after each one."""
    report = RematchReport()
    while limit is None or report.statements < limit:
        rows = session.execute(
            select(ClaimRematchRow.id, ClaimRematchRow.statement_id, ClaimRematchRow.claim_id)
            .order_by(ClaimRematchRow.id)
            .limit(BATCH if limit is None else min(BATCH, limit - report.statements))
        ).all()
        if not rows:
            # End the read: on SQLite the writers' transaction holds the write lock.
            session.commit()
            break
        for row_id, statement_id, claim_id in rows:
            # Taken by deleting it: another drainer that got there first leaves 0 rows.
            taken = session.execute(delete(ClaimRematchRow).where(ClaimRematchRow.id == row_id))
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                rematch_statement(session, statement_id, claim_id, report)
                report.statements += 1
            session.commit()
    if report.statements:
        log.info("claims.rematched", **msgspec.structs.asdict(report))
    return report


def rematch_statement(
    session: Session, statement_id: int, left_claim_id: int | None, report: RematchReport
) -> None:
    """Check the claims the statement was and is in, then let it join what it matches."""
    session.expire_all()  # speakers may have changed since these rows were loaded
    statement = session.get(StatementRow, statement_id)
    if statement is None:
        return
    for claim_id in dict.fromkeys([left_claim_id, _claim_of(session, statement_id)]):
        if claim_id is not None and session.get(ClaimRow, claim_id) is not None:
            report.split += split_apart(session, claim_id)
    current = _claim_of(session, statement_id)
    known = KnownClaims(statement.article_id)
    features = statement_features(statement)
    matched = {
        candidate.claim_id
        for candidate in indexed_candidates(session, sorted(claim_keys(statement.text)), known)
        if candidate.article_id != statement.article_id
        and match_score(features, candidate.features) is not None
    }
    if current is None:  # never assigned (a failed ingestion): a claim of its own
        own = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
        session.add(own)
        session.flush()
        session.add(ClaimStatementRow(claim_id=own.id, statement_id=statement_id))
        current = own.id
    claims = sorted(matched | {current})
    target = session.get_one(ClaimRow, claims[0])
    for other in claims[1:]:
        merge_claims(session, other, target)
        report.merged += 1
    session.flush()


def _claim_of(session: Session, statement_id: int) -> int | None:
    return session.scalar(
        select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == statement_id)
    )


def split_apart(session: Session, claim_id: int) -> int:
    """Split claim ``claim_id`` into its connected groups of matching statements; how
    many new claims that made."""
    members = claim_members(session, claim_id)
    if len(members) < 2 or len(members) > MAX_CHECKED:
        return 0
    features = {member.statement_id: member.features for member in members}
    articles = {member.statement_id: member.article_id for member in members}
    groups = _connected(features, articles)
    if len(groups) == 1:
        return 0
    claim = session.get_one(ClaimRow, claim_id)
    texts = {member.statement_id: member.text for member in members}
    # The part with the canonical wording keeps the claim (and its URL).
    keeps = next((g for g in groups if any(texts[s] == claim.text for s in g)), groups[0])
    for group in groups:
        if group is keeps:
            continue
        part = ClaimRow(text=texts[group[0]])
        session.add(part)
        session.flush()
        session.execute(
            update(ClaimStatementRow)
            .where(ClaimStatementRow.statement_id.in_(group))
            .values(claim_id=part.id)
        )
        choose_wording(session, part)
    choose_wording(session, claim)
    session.flush()
    return len(groups) - 1


def _connected(features: dict[int, ClaimFeatures], articles: dict[int, int]) -> list[list[int]]:
    """Groups of statements linked by matches between different articles, as the store
    links them (within one article statements are never compared), each in id order."""
    parent = {sid: sid for sid in features}

    def root(sid: int) -> int:
        while parent[sid] != sid:
            parent[sid] = parent[parent[sid]]
            sid = parent[sid]
        return sid

    ids = sorted(features)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if articles[a] == articles[b] or root(a) == root(b):
                continue
            if match_score(features[a], features[b]) is not None:
                parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for sid in ids:
        groups.setdefault(root(sid), []).append(sid)
    return sorted(groups.values(), key=lambda g: g[0])
