"""Statements -> claims in the database (the matching rule is api/pipeline/claims.py).

A new statement is compared only with the candidates the ``claim_keys`` index gives it:
the statements sharing most keys with it, read from the most recent postings of each
key, so the cost of a statement does not grow with the corpus. It joins the claim of
the matching candidates from other articles, merging their claims when there are
several (api/pipeline/claim_merge.py), or starts a claim; then its own keys are indexed.
A claim is thus a connected group of matching statements, the same whatever order the
articles arrive in.

A claim's canonical wording and speaker are those of its best statement
(api/pipeline/claim_merge.py ``choose_wording``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api.pipeline.claim_merge import merge_claims, offer_wording
from api.pipeline.claims import ClaimFeatures, claim_features, claim_keys, match_score
from api.storage.models import (
    ActorRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)
from api.storage.new_ids import give_ids
from api.storage.postings import add_postings, recent_postings

POSTINGS_PER_KEY = 200  # most recent statements read for each key
CANDIDATES = 20  # statements compared in full: those sharing most keys


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    features: ClaimFeatures
    claim_id: int
    article_id: int


class KnownClaims:
    """The claim index as seen while storing one article, with the candidates read so far
    (statements already stored do not change while an article is stored)."""

    def __init__(self, article_id: int) -> None:
        self.article_id = article_id
        self.cache: dict[int, Candidate] = {}

    def moved(self, old_claim: int, new_claim: int) -> None:
        """Claim ``old_claim`` was merged into ``new_claim``: candidates follow it."""
        for sid, candidate in self.cache.items():
            if candidate.claim_id == old_claim:
                self.cache[sid] = msgspec.structs.replace(candidate, claim_id=new_claim)


def known_claims(session: Session, article_id: int) -> KnownClaims:
    """The claim index for storing the statements of article ``article_id``."""
    return KnownClaims(article_id)


def assign_claim(session: Session, statement: StatementRow, known: KnownClaims) -> ClaimRow:
    """Join the claims of the matching statements from other articles (merged into the
    oldest when there are several), or start one."""
    return assign_claims(session, [statement], known)[0]


def assign_claims(
    session: Session, statements: list[StatementRow], known: KnownClaims
) -> list[ClaimRow]:
    """``assign_claim`` for each of an article's statements in turn, with the index read
    once for them all rather than twice per statement.

    The result is that of assigning them one by one: statement ``i`` is compared with the
    candidates the index would give it once statements ``0..i-1`` are indexed. Their
    postings are kept here and merged, by id, with the stored ones read up front (the
    index is not written until the end); the stored candidates are read together, and
    merges keep them current (``KnownClaims.moved``).
    """
    keys = [sorted(claim_keys(statement.text)) for statement in statements]
    every_key = sorted({key for ks in keys for key in ks})
    stored = recent_postings(session, "claim_keys", every_key, POSTINGS_PER_KEY)
    own: dict[int, list[int]] = defaultdict(list)  # key -> this article's ids so far
    chosen: list[list[int]] = []
    for statement, statement_keys in zip(statements, keys, strict=True):
        shared: Counter[int] = Counter()
        for key in statement_keys:
            posted = stored.get(key, [])
            if key in own:
                posted = sorted([*own[key], *posted], reverse=True)[:POSTINGS_PER_KEY]
            shared.update(posted)
        chosen.append(most_shared(shared))
        for key in statement_keys:
            own[key].append(statement.id)
    mine = {statement.id for statement in statements}
    # This article's statements are never its candidates (``_matching_claims``).
    load_candidates(session, (sid for ids in chosen for sid in ids if sid not in mine), known)
    started = _Started(session)
    claims = []
    for statement, ids in zip(statements, chosen, strict=True):
        candidates = [known.cache[sid] for sid in ids if sid in known.cache]
        claims.append(_join_or_start(session, statement, candidates, known, started))
    started.write()
    postings = [
        (key, statement.id)
        for statement, statement_keys in zip(statements, keys, strict=True)
        for key in statement_keys
    ]
    add_postings(session, "claim_keys", postings)
    return claims


class _Started:
    """Claims started by an article's statements, inserted together (one batched INSERT
    rather than a flush each). Nothing reads them before the end: a new claim has only
    this article's statements, which are never candidates. They are written before a
    merge deletes a claim, as one at a time would have: SQLite reuses the highest id."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: list[tuple[ClaimRow, int]] = []  # (claim, its statement's id)

    def write(self) -> None:
        if not self.pending:
            return
        claims = [claim for claim, _ in self.pending]
        give_ids(self.session, ClaimRow.id, claims)
        self.session.add_all(claims)
        self.session.flush()
        self.session.add_all(
            ClaimStatementRow(claim_id=claim.id, statement_id=statement_id)
            for claim, statement_id in self.pending
        )
        self.pending.clear()


def _join_or_start(
    session: Session,
    statement: StatementRow,
    candidates: list[Candidate],
    known: KnownClaims,
    started: _Started,
) -> ClaimRow:
    features = statement_features(statement)
    matched = _matching_claims(features, candidates, known)
    if not matched:
        claim = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
        started.pending.append((claim, statement.id))
        return claim
    claim = session.get_one(ClaimRow, matched[0])
    if len(matched) > 1:
        started.write()
    for other in matched[1:]:
        merge_claims(session, other, claim)
        known.moved(other, claim.id)
    offer_wording(session, claim, statement)
    session.add(ClaimStatementRow(claim_id=claim.id, statement_id=statement.id))
    return claim


def statement_features(statement: StatementRow) -> ClaimFeatures:
    speaker = statement.speaker
    quotes = [q["text"] for q in statement.quotes]
    if speaker is None:
        return claim_features(statement.text, quotes, None)
    return claim_features(statement.text, quotes, speaker.id, speaker.kind, speaker.name)


def _matching_claims(
    features: ClaimFeatures, candidates: list[Candidate], known: KnownClaims
) -> list[int]:
    """The claims (oldest first) of the candidates from other articles that match."""
    claims: set[int] = set()
    for candidate in candidates:
        # Within one article, statements that share words are mostly one speaker's
        # several points, or one statement nested in another: not a claim travelling.
        if candidate.article_id == known.article_id:
            continue
        if match_score(features, candidate.features) is not None:
            claims.add(candidate.claim_id)
    return sorted(claims)


def indexed_candidates(session: Session, keys: list[int], known: KnownClaims) -> list[Candidate]:
    """The indexed statements sharing most keys with ``keys``, most recent first on ties."""
    shared: Counter[int] = Counter()
    for posted in recent_postings(session, "claim_keys", keys, POSTINGS_PER_KEY).values():
        shared.update(posted)
    ids = most_shared(shared)
    load_candidates(session, ids, known)
    return [known.cache[sid] for sid in ids if sid in known.cache]


class ClaimMember(msgspec.Struct, frozen=True):
    """One statement of a claim, as the matcher sees it."""

    statement_id: int
    article_id: int
    text: str
    features: ClaimFeatures
    claim_id: int = 0


def claim_members(session: Session, claim_id: int) -> list[ClaimMember]:
    """The statements of claim ``claim_id`` with their match features, in id order."""
    return claims_members(session, [claim_id])


def claims_members(session: Session, claim_ids: list[int]) -> list[ClaimMember]:
    """The statements of the claims ``claim_ids``, in id order, in one query."""
    query = _claimed_statements().where(ClaimStatementRow.claim_id.in_(claim_ids))
    rows = session.execute(query.order_by(StatementRow.id)).all()
    return [
        ClaimMember(
            sid,
            article_id,
            words,
            claim_features(words, [q["text"] for q in quotes], sp, kind, name),
            claim_id,
        )
        for sid, article_id, words, quotes, sp, kind, name, claim_id in rows
    ]


def _claimed_statements() -> Select[int, int, str, Any, int | None, str | None, str | None, int]:
    """Statements in a claim with what their match features are made of, and the claim."""
    return (
        select(
            StatementRow.id,
            StatementRow.article_id,
            StatementRow.text,
            StatementRow.quotes,
            StatementRow.speaker_id,
            ActorRow.kind,
            ActorRow.name,
            ClaimStatementRow.claim_id,
        )
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .outerjoin(ActorRow, ActorRow.id == StatementRow.speaker_id)
    )


def most_shared(shared: Counter[int]) -> list[int]:
    """The ``CANDIDATES`` statement ids sharing most keys, most recent first on ties."""
    return [sid for sid, _ in sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))][:CANDIDATES]


def load_candidates(session: Session, ids: Iterable[int], known: KnownClaims) -> None:
    """Read the statements of ``ids`` not yet in ``known`` as candidates, in one query."""
    missing = sorted({sid for sid in ids if sid not in known.cache})
    if not missing:
        return
    rows = session.execute(_claimed_statements().where(StatementRow.id.in_(missing))).all()
    for sid, article_id, words, quotes, speaker_id, kind, name, claim_id in rows:
        said = [q["text"] for q in quotes]
        features = claim_features(words, said, speaker_id, kind, name)
        known.cache[sid] = Candidate(features=features, claim_id=claim_id, article_id=article_id)
