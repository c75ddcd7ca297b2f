"""When two statements assert the same thing.

A first, deliberately cautious matcher: two statements form one claim when the same
speaker is quoted with a shared fragment of two words or more, or when their content
words overlap strongly (token-set similarity from rapidfuzz plus a Jaccard floor) with
the same numbers. Speakers agree when they are the same actor or one is unknown.
"""

from __future__ import annotations

import re
import unicodedata

import msgspec
from rapidfuzz import fuzz

_WORD = re.compile(r"[\w%]+(?:[’'][\w]+)?", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "shall",
        "not",
        "no",
        "than",
        "then",
        "so",
        "such",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "about",
        "after",
        "before",
        "over",
        "under",
        "into",
        "also",
        "only",
        "just",
        "more",
        "most",
        "very",
    ]
)
MIN_SHARED_QUOTE_WORDS = 2
SIMILARITY_THRESHOLD = 85.0
JACCARD_FLOOR = 0.5


class ClaimFeatures(msgspec.Struct, frozen=True, kw_only=True):
    words: frozenset[str]
    numbers: frozenset[str]
    quotes: tuple[str, ...]
    normalized: str
    speaker_id: int | None


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(_WORD.findall(folded))


def claim_features(text: str, quotes: list[str], speaker_id: int | None) -> ClaimFeatures:
    normalized = _normalize(text)
    words = frozenset(w for w in normalized.split() if w not in STOPWORDS)
    quoted = tuple(
        q
        for q in (_normalize(quote) for quote in quotes)
        if len(q.split()) >= MIN_SHARED_QUOTE_WORDS
    )
    return ClaimFeatures(
        words=words,
        numbers=frozenset(_NUMBER.findall(text)),
        quotes=quoted,
        normalized=" ".join(w for w in normalized.split() if w not in STOPWORDS),
        speaker_id=speaker_id,
    )


def speakers_agree(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    return a.speaker_id is None or b.speaker_id is None or a.speaker_id == b.speaker_id


def same_claim(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    if not speakers_agree(a, b):
        return False
    # A shared quoted fragment only counts with the same known speaker: scare quotes
    # such as "coalition of the willing" are shared by statements about anything.
    if a.speaker_id is not None and a.speaker_id == b.speaker_id:
        for quote in a.quotes:
            if any(quote in other or other in quote for other in b.quotes):
                return True
    if not a.words or not b.words or a.numbers != b.numbers:
        return False
    jaccard = len(a.words & b.words) / len(a.words | b.words)
    if jaccard < JACCARD_FLOOR:
        return False
    return fuzz.token_set_ratio(a.normalized, b.normalized) >= SIMILARITY_THRESHOLD
