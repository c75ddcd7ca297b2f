"""Statements -> claims in the database (the matching rule is api/pipeline/claims.py).

A new statement is compared only with the candidates the ``claim_keys`` index gives it:
the statements sharing most keys with it, read from the most recent postings of each
key, so the cost of a statement does not grow with the corpus. It joins the claim of
the best-matching candidate from another article, or starts a claim; then its own keys
are indexed.

A claim's canonical wording is that of its best statement: a direct quote before a
partial one before reported speech, the most quoted words, then the earliest published.
Its speaker is the canonical statement's, or the first one known.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

import msgspec
from sqlalchemy import TextClause, insert, select, text
from sqlalchemy.orm import Session

from api.pipeline.claims import ClaimFeatures, claim_features, claim_keys, match_score
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimKeyRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

POSTINGS_PER_KEY = 200  # most recent statements read for each key
CANDIDATES = 20  # statements compared in full: those sharing most keys
KEYS_PER_QUERY = 100  # keys looked up in one statement (SQLite caps compound selects)
_KIND_RANK = {"direct": 0, "partial": 1}


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


def known_claims(session: Session, article_id: int) -> KnownClaims:
    """The claim index for storing the statements of article ``article_id``."""
    return KnownClaims(article_id)


def assign_claim(session: Session, statement: StatementRow, known: KnownClaims) -> ClaimRow:
    """Join the claim of the best-matching statement from another article, or start one."""
    features = _features(statement)
    keys = sorted(claim_keys(statement.text))
    claim_id = _best_claim(session, features, keys, known)
    if claim_id is not None:
        claim = session.get_one(ClaimRow, claim_id)
        _maybe_canonical(session, claim, statement)
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


def _features(statement: StatementRow) -> ClaimFeatures:
    speaker = statement.speaker
    quotes = [q["text"] for q in statement.quotes]
    if speaker is None:
        return claim_features(statement.text, quotes, None)
    return claim_features(statement.text, quotes, speaker.id, speaker.kind, speaker.name)


def _best_claim(
    session: Session, features: ClaimFeatures, keys: list[int], known: KnownClaims
) -> int | None:
    best: tuple[float, int] | None = None  # (score, -claim id): stronger, then older
    for candidate in _candidates(session, keys, known):
        # Within one article, statements that share words are mostly one speaker's
        # several points, or one statement nested in another: not a claim travelling.
        if candidate.article_id == known.article_id:
            continue
        score = match_score(features, candidate.features)
        if score is not None and (best is None or (score, -candidate.claim_id) > best):
            best = (score, -candidate.claim_id)
    return -best[1] if best is not None else None


def _candidates(session: Session, keys: list[int], known: KnownClaims) -> list[Candidate]:
    """The indexed statements sharing most keys with ``keys``, most recent first on ties."""
    shared: Counter[int] = Counter()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        shared.update(_postings(session, keys[start : start + KEYS_PER_QUERY]))
    ids = [sid for sid, _ in sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))]
    ids = ids[:CANDIDATES]
    missing = [sid for sid in ids if sid not in known.cache]
    if missing:
        rows = session.execute(
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
            .where(StatementRow.id.in_(missing))
        ).all()
        for sid, article_id, text, quotes, speaker_id, kind, name, claim_id in rows:
            said = [q["text"] for q in quotes]
            features = claim_features(text, said, speaker_id, kind, name)
            known.cache[sid] = Candidate(
                features=features, claim_id=claim_id, article_id=article_id
            )
    return [known.cache[sid] for sid in ids if sid in known.cache]


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


def _maybe_canonical(session: Session, claim: ClaimRow, statement: StatementRow) -> None:
    """Make ``statement`` the claim's wording if it ranks before the current one."""
    current = session.execute(
        select(StatementRow.id, StatementRow.kind, StatementRow.quotes, ArticleRow.published_date)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .where(ClaimStatementRow.claim_id == claim.id, StatementRow.text == claim.text)
        .order_by(StatementRow.id)
        .limit(1)
    ).first()
    mine = _rank(statement.id, statement.kind, statement.quotes, statement.article.published_date)
    if current is None or mine < _rank(*current):
        claim.text = statement.text
        if statement.speaker_id is not None:
            claim.speaker_id = statement.speaker_id
    if claim.speaker_id is None and statement.speaker_id is not None:
        claim.speaker_id = statement.speaker_id


def _rank(
    statement_id: int, kind: str, quotes: list[dict[str, object]], published: dt.date | None
) -> tuple[int, int, dt.date, int]:
    """Lower is a better canonical wording."""
    quoted = sum(len(str(q["text"])) for q in quotes)
    return (_KIND_RANK.get(kind, 2), -quoted, published or dt.date.max, statement_id)
