"""When two statements assert the same thing, from their stored text alone.

Precision comes first: a wrong merge puts words in someone's mouth, a missed one only
splits a claim. Two statements are one claim when their speakers can be the same and
their numbers do not disagree, and either

- a quoted fragment of one (two content words or more) is carried by the other, quoted
  or not ("several thousand" troops, “military hubs”), or
- their content words (stemmed, names in one spelling: api/pipeline/claim_text.py)
  overlap strongly, with the same polarity.

The more the speakers may differ, the more is asked of the words. Two different named
people or governments are never one claim: they may use the same words ("compromises
would be needed") for two things; unless one's name is part of the other's ("Trump",
"Donald Trump"), which is taken as perhaps one person. A generic source (a document, an
outlet, "officials") is treated as possibly anyone, as is a statement with no speaker.

Candidates are found through ``claim_keys``: unordered pairs of content stems at most
two content words apart. A carried quote always gives two statements a key in common;
an overlap of words nearly always does (not when no two shared words are near each
other in either text).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from difflib import SequenceMatcher
from enum import Enum

import msgspec

from api.pipeline.claim_text import content_lemmas, negated, numbers, tokens
from api.pipeline.claim_words import STOPWORDS

# Speakers that are somebody in particular: two different ones never make one claim.
VOICES = frozenset({"person", "government"})
KEY_WINDOW = 2  # stems at most this far apart form a key

# What the words must share, by how far apart the speakers may be. ``quote``: content
# words in the longest quoted run carried by the other statement; ``dice``: the Dice
# coefficient of the two sets of content stems; ``shared``: how many stems they share.
QUOTE_WORDS = {"same": 2, "unknown": 2, "other": 5}
QUOTE_SHARE = 0.5  # of the quote's content words, unless the run is this long:
QUOTE_LONG_RUN = 8
NEGATION_REACH = 2  # words before a carried run that can deny it ("don't believe ...")
# Stems the two statements share besides the carried run: a catchphrase ("fake news")
# quoted in two statements is not enough on its own.
QUOTE_SUPPORT = {"same": 1, "unknown": 2, "other": 3}
DICE = {"same": 0.5, "unknown": 0.6, "other": 0.75}
# A shared phrase (two content stems side by side in both: "ceasefire monitoring") is
# evidence the bare word overlap lacks, so it lowers the Dice asked; two phrases lower it
# by PHRASES_BONUS more, never below PHRASE_FLOOR.
PHRASE_DICE = {"same": 0.35, "unknown": 0.5, "other": 0.6}
PHRASES_BONUS = 0.1
PHRASE_FLOOR = 0.35
SHARED = {"same": 3, "unknown": 4, "other": 5}
# A short statement nearly all of whose words are in a longer one that adds more (the
# draft's "the US would lead ceasefire monitoring if a deal is agreed" and Macron's
# "the supervision of a ceasefire will be done under U.S. leadership"): Dice is low only
# because the other says more. Asked: this share of the shorter one's stems, this many
# stems, and two shared phrases.
COVER = 0.8
COVER_SHARED = {"same": 3, "unknown": 4, "other": 4}
COVER_PHRASES = 2


class Kinship(Enum):
    """How far apart two statements' speakers may be."""

    SAME = "same"  # the same actor
    UNKNOWN = "unknown"  # one has no speaker, or both are generic sources
    OTHER = "other"  # different actors, not both voices
    NEVER = "never"  # two different voices


class ClaimFeatures(msgspec.Struct, frozen=True, kw_only=True):
    words: tuple[str, ...]  # every word, folded, for finding carried quotes
    lemmas: frozenset[str]  # content stems
    phrases: frozenset[tuple[str, str]]  # neighbouring content stems, in either order
    numbers: frozenset[str]
    quotes: tuple[tuple[str, ...], ...]  # quoted fragments, folded
    negated: bool
    speaker_id: int | None
    speaker_kind: str | None = None
    speaker_words: frozenset[str] = frozenset()  # the speaker's name, folded


def claim_features(
    text: str,
    quotes: list[str],
    speaker_id: int | None,
    speaker_kind: str | None = None,
    speaker_name: str | None = None,
) -> ClaimFeatures:
    words, lemmas, phrases, found_numbers, is_negated = text_features(text)
    return ClaimFeatures(
        words=words,
        lemmas=lemmas,
        phrases=phrases,
        numbers=found_numbers,
        quotes=tuple(q for q in map(_quote_words, quotes) if _content_count(q) >= 2),
        negated=is_negated,
        speaker_id=speaker_id,
        speaker_kind=speaker_kind,
        speaker_words=_name_words(speaker_name),
    )


TextFeatures = tuple[
    tuple[str, ...], frozenset[str], frozenset[tuple[str, str]], frozenset[str], bool
]


# Ingestion compares each new statement with up to CANDIDATES stored ones, and a
# narration sentence with every statement of the claims it may state: the same stored
# texts are analysed again and again, article after article. The analysis of a text is
# a pure function of it (immutable results), so it is done once per process.
@functools.lru_cache(maxsize=8192)
def text_features(text: str) -> TextFeatures:
    """Words, content stems, phrases, numbers and polarity of a text: the part of its
    ``ClaimFeatures`` that depends on the text alone."""
    words = tokens(text)
    lemmas = content_lemmas(words)
    phrases = frozenset(_pair(a, b) for a, b in itertools.pairwise(lemmas))
    return words, frozenset(lemmas), phrases, numbers(words), negated(words)


@functools.lru_cache(maxsize=8192)
def _quote_words(quote: str) -> tuple[str, ...]:
    return tokens(quote)


@functools.lru_cache(maxsize=4096)
def _name_words(name: str | None) -> frozenset[str]:
    return frozenset(tokens(name or ""))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@functools.lru_cache(maxsize=8192)
def claim_keys(text: str) -> frozenset[int]:
    """The index keys of a statement: 64-bit hashes of nearby pairs of content stems.

    Cached per process like ``text_features``: an article's statements and narration
    are keyed before its transaction starts (api/pipeline/ingest_article.py ``prepare``)
    and again inside it.
    """
    lemmas = content_lemmas(tokens(text))
    pairs = {
        _pair(lemmas[i], lemmas[j])
        for i in range(len(lemmas))
        for j in range(i + 1, min(i + KEY_WINDOW + 1, len(lemmas)))
        if lemmas[i] != lemmas[j]
    }
    return frozenset(_hash(f"{a} {b}") for a, b in pairs)


def _hash(text: str) -> int:
    # Stable across processes (unlike hash()), signed to fit a BIGINT column.
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def kinship(a: ClaimFeatures, b: ClaimFeatures) -> Kinship:
    if a.speaker_id is None or b.speaker_id is None:
        return Kinship.UNKNOWN
    if a.speaker_id == b.speaker_id:
        return Kinship.SAME
    if _one_name_within_other(a.speaker_words, b.speaker_words):
        return Kinship.UNKNOWN  # "Trump" and "Donald Trump": perhaps one actor, unmerged
    if a.speaker_kind in VOICES and b.speaker_kind in VOICES:
        return Kinship.NEVER
    if a.speaker_kind in VOICES or b.speaker_kind in VOICES:
        return Kinship.OTHER
    return Kinship.UNKNOWN  # two generic sources: "the draft" and "the document"


def _one_name_within_other(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def numbers_agree(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """No number of one contradicts the other: equal, or one's numbers all in the other
    ("$916 million" and "$916 million in 1995"); 46-42 and 43-38 disagree."""
    return a.numbers <= b.numbers or b.numbers <= a.numbers


def match_score(a: ClaimFeatures, b: ClaimFeatures) -> float | None:
    """How strongly ``a`` and ``b`` are one claim (higher is stronger), or None."""
    kin = kinship(a, b)
    if kin is Kinship.NEVER or not numbers_agree(a, b):
        return None
    level = kin.value
    shared = a.lemmas & b.lemmas
    carried = max(_carried(a, b), _carried(b, a), key=lambda c: (c.words, c.whole))
    # A whole quote needs no other shared words when one statement has nothing else
    # ("That makes me smart" and "Not paying taxes ''makes me smart''").
    nothing_else = carried.whole and len(shared) == min(len(a.lemmas), len(b.lemmas))
    if carried.words >= QUOTE_WORDS[level] and (
        len(shared - carried.stems) >= QUOTE_SUPPORT[level] or nothing_else
    ):
        return 1.0 + carried.words / 10
    if a.negated != b.negated:
        return None
    phrases = len(a.phrases & b.phrases)
    cover = len(shared) / max(1, min(len(a.lemmas), len(b.lemmas)))
    if cover >= COVER and len(shared) >= COVER_SHARED[level] and phrases >= COVER_PHRASES:
        return cover / 2  # weaker evidence than a carried quote or a strong overlap
    if len(shared) < SHARED[level]:
        return None
    dice = 2 * len(shared) / (len(a.lemmas) + len(b.lemmas))
    needed = DICE[level]
    if phrases:
        bonus = PHRASES_BONUS if phrases >= 2 else 0.0
        needed = max(PHRASE_DICE[level] - bonus, PHRASE_FLOOR)
    return dice if dice >= needed else None


def same_claim(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    return match_score(a, b) is not None


class Carried(msgspec.Struct, frozen=True):
    words: int  # content words of the longest carried run of a quote
    whole: bool  # the run is the whole quote
    stems: frozenset[str] = frozenset()  # the run's content stems


NOTHING = Carried(0, False)


def _carried(a: ClaimFeatures, b: ClaimFeatures) -> Carried:
    """The longest run of a quote of ``a`` that ``b`` also has, with the same polarity,
    when the run is most of the quote or long on its own: a few words of a long quote
    are often a common phrase ("federal income taxes")."""
    best = NOTHING
    for quote in a.quotes:
        run, in_quote, in_other = _longest_common_run(quote, b.words)
        words, total = _content_count(run), _content_count(quote)
        if words < QUOTE_LONG_RUN and words < QUOTE_SHARE * total:
            continue
        # "I don't believe in the devil" does not carry "Of course I believe in the devil".
        if _negated_before(quote, in_quote) != _negated_before(b.words, in_other):
            continue
        if words > best.words:
            best = Carried(words, words == total, frozenset(content_lemmas(run)))
    return best


def _negated_before(words: tuple[str, ...], start: int) -> bool:
    return negated(words[max(0, start - NEGATION_REACH) : start])


def _longest_common_run(
    first: tuple[str, ...], second: tuple[str, ...]
) -> tuple[tuple[str, ...], int, int]:
    """The longest run of words of ``first`` also in ``second``, and where it starts in
    each; of equally long runs, the one starting first in ``first``, then in ``second``.

    difflib visits only the positions where words agree, where comparing every pair of
    positions cost ingestion 5 % of its write path; without junk heuristics (``autojunk``
    off) it finds the same run."""
    match = SequenceMatcher(None, first, second, autojunk=False).find_longest_match(
        0, len(first), 0, len(second)
    )
    return first[match.a : match.a + match.size], match.a, match.b


def _content_count(words: tuple[str, ...]) -> int:
    return sum(1 for word in words if word not in STOPWORDS and word.isalpha())
