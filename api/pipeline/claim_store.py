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

import functools
from collections import Counter
from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import Select, TextClause, insert, select, text
from sqlalchemy.orm import Session

from api.pipeline.claim_merge import merge_claims, offer_wording
from api.pipeline.claims import ClaimFeatures, claim_features, claim_keys, match_score
from api.storage.models import (
    ActorRow,
    ClaimKeyRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

POSTINGS_PER_KEY = 200  # most recent statements read for each key
CANDIDATES = 20  # statements compared in full: those sharing most keys
KEYS_PER_QUERY = 100  # keys looked up in one statement (SQLite caps compound selects)


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
    features = statement_features(statement)
    keys = sorted(claim_keys(statement.text))
    matched = _matching_claims(session, features, keys, known)
    if matched:
        claim = session.get_one(ClaimRow, matched[0])
        for other in matched[1:]:
            merge_claims(session, other, claim)
            known.moved(other, claim.id)
        offer_wording(session, claim, statement)
    else:
        claim = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
        session.add(claim)
        session.flush()
    session.add(ClaimStatementRow(claim_id=claim.id, statement_id=statement.id))
    if keys:
        session.execute(
            insert(ClaimKeyRow), [{"key": key, "statement_id": statement.id} for key in keys]
        )
    return claim


def statement_features(statement: StatementRow) -> ClaimFeatures:
    speaker = statement.speaker
    quotes = [q["text"] for q in statement.quotes]
    if speaker is None:
        return claim_features(statement.text, quotes, None)
    return claim_features(statement.text, quotes, speaker.id, speaker.kind, speaker.name)


def _matching_claims(
    session: Session, features: ClaimFeatures, keys: list[int], known: KnownClaims
) -> list[int]:
    """The claims (oldest first) of the candidates from other articles that match."""
    claims: set[int] = set()
    for candidate in indexed_candidates(session, keys, known):
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
    for start in range(0, len(keys), KEYS_PER_QUERY):
        shared.update(_postings(session, keys[start : start + KEYS_PER_QUERY]))
    ids = most_shared(shared)
    load_candidates(session, ids, known)
    return [known.cache[sid] for sid in ids if sid in known.cache]


class ClaimMember(msgspec.Struct, frozen=True):
    """One statement of a claim, as the matcher sees it."""

    statement_id: int
    article_id: int
    text: str
    features: ClaimFeatures


def claim_members(session: Session, claim_id: int) -> list[ClaimMember]:
    """The statements of claim ``claim_id`` with their match features, in id order."""
    query = _claimed_statements().where(ClaimStatementRow.claim_id == claim_id)
    rows = session.execute(query.order_by(StatementRow.id)).all()
    return [
        ClaimMember(
            sid,
            article_id,
            words,
            claim_features(words, [q["text"] for q in quotes], sp, kind, name),
        )
        for sid, article_id, words, quotes, sp, kind, name, _ in rows
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


@functools.cache
def _postings_sql(count: int) -> TextClause:
    """The most recent postings of ``count`` keys, each capped on its own, in one query.

    Plain SQL: built with the expression language, the union of ``count`` subqueries
    costs more to compile than to run. Written the same way for SQLite and PostgreSQL.
    """
    parts = [
        f"SELECT statement_id FROM (SELECT statement_id FROM claim_keys WHERE key = :k{i} "
        f"ORDER BY statement_id DESC LIMIT {POSTINGS_PER_KEY}) AS p{i}"
        for i in range(count)
    ]
    return text(" UNION ALL ".join(parts))


def _postings(session: Session, keys: list[int]) -> list[int]:
    params = {f"k{i}": key for i, key in enumerate(keys)}
    return list(session.execute(_postings_sql(len(keys)), params).scalars())
