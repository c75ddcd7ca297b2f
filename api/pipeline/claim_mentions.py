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

import msgspec
from spacy.tokens import Doc
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from api.pipeline.claim_store import POSTINGS_PER_KEY as STATEMENT_POSTINGS
from api.pipeline.claim_store import (
    Candidate,
    KnownClaims,
    claims_members,
    load_candidates,
    most_shared,
)
from api.pipeline.claims import ClaimFeatures, claim_features, claim_keys, match_score
from api.storage.models import (
    ArticleRow,
    ClaimKeyRow,
    ClaimMentionRow,
    ClaimStatementRow,
    NarrationSentenceRow,
    StatementRow,
)
from api.storage.new_ids import give_ids
from api.storage.postings import add_postings, recent_postings

MIN_CONTENT_WORDS = 4  # fewer cannot share the words any match asks for
POSTINGS_PER_KEY = 200
SENTENCES_PER_CLAIM = 50  # narration sentences judged for one claim: most keys shared
STATEMENTS_JUDGED = 50  # a claim's statements a sentence is compared with (most recent)
SUPPORT = 0.5  # of the claim's statements from other articles a sentence must match


class Narration(msgspec.Struct, frozen=True):
    """A sentence of narration to keep: where it is, its words, its index keys."""

    start: int
    end: int
    text: str
    keys: list[int]


def narration_of(text: str, spans: list[tuple[int, int]], doc: Doc) -> list[Narration]:
    """The sentences of ``doc`` (over ``text``) that overlap no statement span and have
    words enough to state a claim. Pure: worked out before the article's transaction,
    which on SQLite holds the one write lock (api/pipeline/ingest_article.py)."""
    kept: list[Narration] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if any(start < e and s < end for s, e in spans):
            continue
        words = text[start:end].strip()
        start += text[start:end].find(words)
        keys = sorted(claim_keys(words))
        if len(_narration_features(words).lemmas) < MIN_CONTENT_WORDS or not keys:
            continue
        kept.append(Narration(start, start + len(words), words, keys))
    return kept


def record_mentions(
    session: Session,
    article: ArticleRow,
    statements: list[StatementRow],
    doc: Doc | None,
    narration: list[Narration] | None = None,
) -> None:
    """Keep the article's narration and find the claims it, or the article's claims,
    are mentioned in; no commit. A handful of queries per article, not per sentence or
    per claim. ``narration``: ``narration_of`` the article, when worked out already."""
    if narration is None and doc is not None:
        narration = narration_of(article.text, _spans(statements), doc)
    sentences = _store_narration(session, article, narration or [])
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
    for claim_id, sentence_ids in _narration_for(session, claims).items():
        pairs.update((sentence_id, claim_id) for sentence_id in sentence_ids)
    if pairs:
        _judge(session, article, narration or [], sentences, pairs)


def _spans(statements: list[StatementRow]) -> list[tuple[int, int]]:
    return [(s.content_start, s.content_end) for s in statements]


def _judge(
    session: Session,
    article: ArticleRow,
    narration: list[Narration],
    sentences: list[tuple[int, list[int]]],
    pairs: set[tuple[int, int]],
) -> None:
    """Judge every (sentence, claim) pair, in pair order, reading each claim, each
    sentence and the mentions to judge afresh once, in a few queries for them all."""
    # The article's own sentences are known; narration of earlier articles is read.
    texts = {sid: (article.id, n.text) for (sid, _), n in zip(sentences, narration, strict=True)}
    fresh = set(texts)
    older = sorted({sentence_id for sentence_id, _ in pairs} - fresh)
    for chunk in _chunks(older):
        rows = session.execute(
            select(
                NarrationSentenceRow.id, NarrationSentenceRow.article_id, NarrationSentenceRow.text
            ).where(NarrationSentenceRow.id.in_(chunk))
        )
        texts.update((sid, (article_id, words)) for sid, article_id, words in rows)
    members = _members(session, sorted({claim_id for _, claim_id in pairs}))
    stale = _stale_mentions(session, members, {pair for pair in pairs if pair[0] not in fresh})
    added: list[dict[str, object]] = []
    for sentence_id, claim_id in sorted(pairs):
        if (sentence_id, claim_id) in stale:
            # Written in the order judging one pair at a time wrote them (mentions found
            # so far, then this deletion): SQLite then gives new rows the same ids.
            _write(session, added)
            session.execute(
                delete(ClaimMentionRow).where(
                    ClaimMentionRow.id.in_(stale[(sentence_id, claim_id)])
                ),
                # No mention is loaded as an object: nothing in the session to update.
                execution_options={"synchronize_session": False},
            )
        sentence_article, words = texts[sentence_id]
        statements = members[claim_id]
        if any(article_id == sentence_article for _, article_id, _ in statements):
            continue  # the article carries the claim as a statement
        judged_statements = statements[-STATEMENTS_JUDGED:]
        found_best = states_claim(words, [(sid, f) for sid, _, f in judged_statements])
        if found_best is not None:
            best, score = found_best
            added.append({"sentence_id": sentence_id, "statement_id": best, "score": score})
    _write(session, added)


def _stale_mentions(
    session: Session,
    members: dict[int, list[tuple[int, int, ClaimFeatures]]],
    judged: set[tuple[int, int]],
) -> dict[tuple[int, int], list[int]]:
    """The stored mentions of the (older sentence, claim) pairs judged afresh: what an
    earlier state of the claim made of the sentence no longer counts. Mentions are few,
    so they are read (one query) and only those found are deleted, pair by pair."""
    claim_of = {sid: claim_id for claim_id, group in members.items() for sid, _, _ in group}
    stale: dict[tuple[int, int], list[int]] = defaultdict(list)
    for chunk in _chunks(sorted({sentence_id for sentence_id, _ in judged})):
        found = session.execute(
            select(
                ClaimMentionRow.id, ClaimMentionRow.sentence_id, ClaimMentionRow.statement_id
            ).where(ClaimMentionRow.sentence_id.in_(chunk))
        )
        for mention_id, sentence_id, statement_id in found:
            pair = (sentence_id, claim_of.get(statement_id, -1))
            if pair in judged:
                stale[pair].append(mention_id)
    return stale


def _write(session: Session, added: list[dict[str, object]]) -> None:
    """Insert the mentions found so far (one executemany), and forget them."""
    if added:
        session.execute(insert(ClaimMentionRow), added)
        added.clear()


def _members(
    session: Session, claim_ids: list[int]
) -> dict[int, list[tuple[int, int, ClaimFeatures]]]:
    """Each claim's statements (id, article, features), in id order, in one query."""
    members: dict[int, list[tuple[int, int, ClaimFeatures]]] = {c: [] for c in claim_ids}
    for chunk in _chunks(claim_ids):
        for member in claims_members(session, chunk):
            members[member.claim_id].append(
                (member.statement_id, member.article_id, member.features)
            )
    return members


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _candidates_by_sentence(
    session: Session, sentences: list[tuple[int, list[int]]], known: KnownClaims
) -> dict[int, list[Candidate]]:
    """Each sentence's candidate statements, as ``indexed_candidates`` finds them for one
    sentence, with the postings of all the article's keys read together."""
    every_key = sorted({key for _, keys in sentences for key in keys})
    postings = recent_postings(session, "claim_keys", every_key, STATEMENT_POSTINGS)
    chosen = {
        sentence_id: most_shared(Counter(sid for key in keys for sid in postings.get(key, ())))
        for sentence_id, keys in sentences
    }
    load_candidates(session, (sid for ids in chosen.values() for sid in ids), known)
    return {
        sentence_id: [known.cache[sid] for sid in ids if sid in known.cache]
        for sentence_id, ids in chosen.items()
    }


def _store_narration(
    session: Session, article: ArticleRow, narration: list[Narration]
) -> list[tuple[int, list[int]]]:
    """Store the article's narration sentences with their keys: (id, keys) of each."""
    if not narration:
        return []
    rows = [
        NarrationSentenceRow(
            article_id=article.id, start_offset=n.start, end_offset=n.end, text=n.text
        )
        for n in narration
    ]
    give_ids(session, NarrationSentenceRow.id, rows)
    session.add_all(rows)
    session.flush()  # one INSERT for all of them
    add_postings(
        session,
        "narration_keys",
        [(key, row.id) for row, n in zip(rows, narration, strict=True) for key in n.keys],
    )
    return [(row.id, n.keys) for row, n in zip(rows, narration, strict=True)]


def _narration_for(session: Session, claim_ids: set[int]) -> dict[int, list[int]]:
    """For each claim, the narration sentences sharing most keys with its statements:
    the keys of all the claims, and their postings, read together."""
    keys: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(claim_ids)):
        rows = session.execute(
            select(ClaimStatementRow.claim_id, ClaimKeyRow.key)
            .join(ClaimStatementRow, ClaimStatementRow.statement_id == ClaimKeyRow.statement_id)
            .where(ClaimStatementRow.claim_id.in_(chunk))
        )
        for claim_id, key in rows:
            keys[claim_id].add(key)
    every_key = sorted(set().union(*keys.values()))
    postings = recent_postings(session, "narration_keys", every_key, POSTINGS_PER_KEY)
    found: dict[int, list[int]] = {}
    for claim_id in sorted(claim_ids):
        shared = Counter(sid for key in keys.get(claim_id, ()) for sid in postings.get(key, ()))
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))
        found[claim_id] = [sentence_id for sentence_id, _ in ranked[:SENTENCES_PER_CLAIM]]
    return found


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
