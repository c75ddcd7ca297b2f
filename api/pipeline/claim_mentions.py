"""Narration that states a claim: outlets that carry it in their own words.

A fact one article attributes ("the draft says the United States would lead ceasefire
monitoring") another may state as its own narration ("The United States would lead a
ceasefire monitoring mechanism ..."): no statement, so no claim would list that outlet.
At ingestion every sentence of the article that is part of no statement is kept with
its index keys (the keys of api/pipeline/claims.py), and matched against claims with the
statement matcher, the sentence taken as said by nobody in particular.

Precision first. A sentence states a claim when it matches at least half of the claim's
statements from other articles (at least one): with no speaker to anchor it, one
statement sharing a few words is not enough ("US Signals Readiness to Back European-Led
Security Force in Ukraine After Ceasefire" shares "US", "ceasefire" and "Ukraine" with
Macron's "supervision of a ceasefire in Ukraine ... under U.S. leadership", and is
another fact). An article that carries the claim as a statement gets no mention of it.

Order does not matter: the article's sentences are matched against the claims known so
far, and every claim the article's statements join or form is matched against the
narration already stored (through ``narration_keys``). A (sentence, claim) pair is
judged again each time, against the claim as it then is. A mention points at the
claim's statement it matches best, so it follows that statement's claim when claims
are merged or split.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

from spacy.tokens import Doc
from sqlalchemy import TextClause, delete, insert, select, text
from sqlalchemy.orm import Session

from api.pipeline.claim_store import (
    KEYS_PER_QUERY,
    Candidate,
    KnownClaims,
    claim_members,
    load_candidates,
    most_shared,
)
from api.pipeline.claim_store import POSTINGS_PER_KEY as STATEMENT_POSTINGS
from api.pipeline.claims import ClaimFeatures, claim_features, claim_keys, match_score
from api.storage.models import (
    ArticleRow,
    ClaimKeyRow,
    ClaimMentionRow,
    ClaimStatementRow,
    NarrationKeyRow,
    NarrationSentenceRow,
    StatementRow,
)

MIN_CONTENT_WORDS = 4  # fewer cannot share the words any match asks for
POSTINGS_PER_KEY = 200
SENTENCES_PER_CLAIM = 50  # narration sentences judged for one claim: most keys shared
STATEMENTS_JUDGED = 50  # a claim's statements a sentence is compared with (most recent)
SUPPORT = 0.5  # of the claim's statements from other articles a sentence must match


def record_mentions(
    session: Session, article: ArticleRow, statements: list[StatementRow], doc: Doc | None
) -> None:
    """Keep the article's narration and find the claims it, or the article's claims,
    are mentioned in; no commit. A handful of queries per article, not per sentence."""
    sentences = _store_narration(session, article, statements, doc) if doc is not None else []
    pairs: set[tuple[int, int]] = set()  # (sentence id, claim id)
    known = KnownClaims(article.id)
    for sentence_id, candidates in _candidates_by_sentence(session, sentences, known).items():
        pairs.update(
            (sentence_id, candidate.claim_id)
            for candidate in candidates
            if candidate.article_id != article.id
        )
    claims = set(
        session.scalars(
            select(ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_([s.id for s in statements])
            )
        )
    )
    for claim_id in claims:
        pairs.update((sentence_id, claim_id) for sentence_id in _narration_for(session, claim_id))
    # Every sentence judged, in one query: pairs name narration of earlier articles too.
    judged = session.scalars(
        select(NarrationSentenceRow).where(
            NarrationSentenceRow.id.in_(sorted({sentence_id for sentence_id, _ in pairs}))
        )
    ).all()
    judge = _Judge(
        session,
        fresh={sentence_id for sentence_id, _ in sentences},
        sentences={row.id: row for row in judged},
    )
    for sentence_id, claim_id in sorted(pairs):
        judge.pair(sentence_id, claim_id)


def _candidates_by_sentence(
    session: Session, sentences: list[tuple[int, list[int]]], known: KnownClaims
) -> dict[int, list[Candidate]]:
    """Each sentence's candidate statements, as ``indexed_candidates`` finds them for one
    sentence, with the postings of all the article's keys read together."""
    every_key = sorted({key for _, keys in sentences for key in keys})
    postings: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(every_key), KEYS_PER_QUERY):
        chunk = every_key[start : start + KEYS_PER_QUERY]
        params = {f"k{i}": key for i, key in enumerate(chunk)}
        for key, statement_id in session.execute(_keyed_postings_sql(len(chunk)), params):
            postings[key].append(statement_id)
    chosen = {
        sentence_id: most_shared(Counter(sid for key in keys for sid in postings.get(key, ())))
        for sentence_id, keys in sentences
    }
    load_candidates(session, (sid for ids in chosen.values() for sid in ids), known)
    return {
        sentence_id: [known.cache[sid] for sid in ids if sid in known.cache]
        for sentence_id, ids in chosen.items()
    }


@functools.cache
def _keyed_postings_sql(count: int) -> TextClause:
    """The statements' most recent postings of ``count`` keys, with their key."""
    parts = [
        f"SELECT key, statement_id FROM (SELECT key, statement_id FROM claim_keys "
        f"WHERE key = :k{i} ORDER BY statement_id DESC LIMIT {STATEMENT_POSTINGS}) AS p{i}"
        for i in range(count)
    ]
    return text(" UNION ALL ".join(parts))


def _store_narration(
    session: Session, article: ArticleRow, statements: list[StatementRow], doc: Doc
) -> list[tuple[int, list[int]]]:
    """The article's sentences that overlap no statement, stored with their keys."""
    spans = [(s.content_start, s.content_end) for s in statements]
    kept: list[tuple[NarrationSentenceRow, list[int]]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if any(start < e and s < end for s, e in spans):
            continue
        words = article.text[start:end].strip()
        start += article.text[start:end].find(words)
        features = claim_features(words, [], None)
        keys = sorted(claim_keys(words))
        if len(features.lemmas) < MIN_CONTENT_WORDS or not keys:
            continue
        row = NarrationSentenceRow(
            article_id=article.id, start_offset=start, end_offset=start + len(words), text=words
        )
        kept.append((row, keys))
    if not kept:
        return []
    session.add_all([row for row, _ in kept])
    session.flush()  # one INSERT for all of them (batched on PostgreSQL)
    session.execute(
        insert(NarrationKeyRow),
        [{"key": key, "sentence_id": row.id} for row, keys in kept for key in keys],
    )
    return [(row.id, keys) for row, keys in kept]


def _narration_for(session: Session, claim_id: int) -> list[int]:
    """Narration sentences sharing most keys with the claim's statements."""
    keys = sorted(
        set(
            session.scalars(
                select(ClaimKeyRow.key)
                .join(ClaimStatementRow, ClaimStatementRow.statement_id == ClaimKeyRow.statement_id)
                .where(ClaimStatementRow.claim_id == claim_id)
            )
        )
    )
    shared: Counter[int] = Counter()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        params = {f"k{i}": key for i, key in enumerate(chunk)}
        shared.update(session.execute(_postings_sql(len(chunk)), params).scalars())
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))
    return [sentence_id for sentence_id, _ in ranked[:SENTENCES_PER_CLAIM]]


@functools.cache
def _postings_sql(count: int) -> TextClause:
    """The most recent narration postings of ``count`` keys, as api/pipeline/claim_store.py
    reads the statements' (plain SQL for the same reason)."""
    parts = [
        f"SELECT sentence_id FROM (SELECT sentence_id FROM narration_keys WHERE key = :k{i} "
        f"ORDER BY sentence_id DESC LIMIT {POSTINGS_PER_KEY}) AS p{i}"
        for i in range(count)
    ]
    return text(" UNION ALL ".join(parts))


@functools.lru_cache(maxsize=4096)
def _narration_features(sentence: str) -> ClaimFeatures:
    """A sentence is judged against each claim it may state: its features, once."""
    return claim_features(sentence, [], None)


def states_claim(
    sentence: str, statements: list[tuple[int, ClaimFeatures]]
) -> tuple[int, float] | None:
    """Whether a narration sentence states the claim of ``statements`` (id, features,
    from other articles): the statement it matches best and the score, or None when it
    matches fewer than half of them (see the module)."""
    features = _narration_features(sentence)
    matched = [
        (score, sid)
        for sid, other in statements
        if (score := match_score(other, features)) is not None
    ]
    if not matched or len(matched) < SUPPORT * len(statements):
        return None
    score, best = max(matched, key=lambda pair: (pair[0], -pair[1]))
    return best, score


class _Judge:
    """Judges (sentence, claim) pairs, reading each claim and sentence once."""

    def __init__(
        self,
        session: Session,
        fresh: set[int],
        sentences: dict[int, NarrationSentenceRow],
    ) -> None:
        self.session = session
        self.fresh = fresh  # sentences stored just now: no mention of them to forget
        self.sentences = sentences  # held here: the session's identity map holds weakly
        self.claims: dict[int, list[tuple[int, int, ClaimFeatures]]] = {}

    def pair(self, sentence_id: int, claim_id: int) -> None:
        sentence = self.sentences.get(sentence_id) or self.session.get_one(
            NarrationSentenceRow, sentence_id
        )
        statements = self._statements(claim_id)
        ids = [sid for sid, _, _ in statements]
        if sentence_id not in self.fresh:
            # Judged afresh: what an earlier state of the claim made of it no longer counts.
            self.session.execute(
                delete(ClaimMentionRow).where(
                    ClaimMentionRow.sentence_id == sentence_id,
                    ClaimMentionRow.statement_id.in_(ids),
                )
            )
        if any(article == sentence.article_id for _, article, _ in statements):
            return  # the article carries the claim as a statement
        judged = statements[-STATEMENTS_JUDGED:]
        found = states_claim(sentence.text, [(sid, f) for sid, _, f in judged])
        if found is not None:
            best, score = found
            self.session.add(
                ClaimMentionRow(sentence_id=sentence_id, statement_id=best, score=score)
            )

    def _statements(self, claim_id: int) -> list[tuple[int, int, ClaimFeatures]]:
        if claim_id not in self.claims:
            self.claims[claim_id] = [
                (member.statement_id, member.article_id, member.features)
                for member in claim_members(self.session, claim_id)
            ]
        return self.claims[claim_id]
