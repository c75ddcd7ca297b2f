"""A light English normaliser for matching claims from stored text, without spaCy.

Claims are matched from stored rows (and re-matched by the index backfill), so their
features come from the text alone: words are folded, names with several spellings are
given one form ("U.S.", "United States" and "Washington" are ``us``), numbers are read
with their unit, and content words are cut to a crude stem ("monitoring", "monitored"
-> ``monitor``) so inflected wordings meet. The stemmer errs on the side of cutting
less: two different words that get the same stem can only make a merge more likely.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from api.pipeline.claim_words import (
    DEMONYMS,
    DERIVED,
    IRREGULAR,
    NEGATIONS,
    STOPWORDS,
    SYNONYM_GROUPS,
)

# Spellings of one name, applied to the folded text before it is cut into words.
_ALIASES = (
    (re.compile(r"\bunited states(?: of america)?\b"), "us"),
    (re.compile(r"\bu\.s\.a?\.?(?=\W|$)"), "us"),
    (re.compile(r"\busa\b"), "us"),
    # The capital for the government, but not the newspaper or the state.
    (re.compile(r"\bwashington\b(?! post| state)"), "us"),
    (re.compile(r"\bunited kingdom\b|\bu\.k\.(?=\W|$)|\b(?:great )?britain\b"), "uk"),
    (re.compile(r"\bkiev\b"), "kyiv"),
    (re.compile(r"\bper ?cent\b"), "%"),
)
# A hyphen between two lowercase words joins them ("cease-fire" is "ceasefire"); after a
# capitalised word it separates ("European-led" is "european led"). Decided on the
# original case, before folding.
_LOWER_HYPHEN = re.compile(r"\b([a-z]+)-([a-z]+)\b")
_TOKEN = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:'[^\W\d_]+)?|%", re.UNICODE)
_SCALE = {"thousand": "k", "million": "m", "billion": "bn", "trillion": "tn"}
_DOUBLE = re.compile(r"([bdfgkmnprt])\1$")
_VOWELS = "aeiou"


def fold(text: str) -> str:
    """Unicode-folded, lower-cased text with straight apostrophes and one name per entity."""
    folded = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    folded = _LOWER_HYPHEN.sub(r"\1\2", folded).casefold()
    for pattern, name in _ALIASES:
        folded = pattern.sub(name, folded)
    return folded


# A text's keys and its features are worked out apart (api/pipeline/claims.py), each
# from its tokens: folded once.
@functools.lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Every word and number of the text, folded; possessive 's dropped."""
    words: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if token.endswith("'s"):
            token = token[:-2]
        words.append(token)
    return tuple(words)


def numbers(words: tuple[str, ...]) -> frozenset[str]:
    """The numbers of a token sequence with their scale or percent: "$916 million" is
    ``916m``, "20 %" and "20%" are ``20%``, "1,500" is ``1500``."""
    found: set[str] = set()
    for index, word in enumerate(words):
        if not word[:1].isdigit() and not word.startswith("$"):
            continue
        value = word.lstrip("$").replace(",", "")
        following = words[index + 1] if index + 1 < len(words) else ""
        if following == "%" and not value.endswith("%"):
            value += "%"
        elif following in _SCALE:
            value += _SCALE[following]
        found.add(value)
    return frozenset(found)


@functools.lru_cache(maxsize=65536)  # words recur: each is stemmed once
def stem(word: str) -> str:
    """A crude stem, one per group of near synonyms ("oversee" and "monitor" meet)."""
    base = _stem(word)
    return _synonyms().get(base, base)


@functools.cache
def _synonyms() -> dict[str, str]:
    return {_stem(word): _stem(group[0]) for group in SYNONYM_GROUPS for word in group}


def _stem(word: str) -> str:
    """Irregular, derived forms and demonyms to their base, then a few suffixes cut."""
    word = IRREGULAR.get(word) or DERIVED.get(word) or DEMONYMS.get(word) or word
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ments", "ment", "ships", "ship"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    word = _plural(word)
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        cut = word[: -len(suffix)]
        if word.endswith(suffix) and _has_vowel(cut):
            word = _after_cut(cut, suffix, word)
            break
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _after_cut(cut: str, suffix: str, word: str) -> str:
    """The stem once -ing, -ed or -ly is cut: "planned" -> "plan", "making" -> "make"."""
    if len(cut) < 3:
        return word[:-1] if suffix == "ed" else word  # "used" -> "use", not "us"
    if _DOUBLE.search(cut):
        return cut[:-1]
    if len(cut) <= 4 and _cvc(cut):
        return cut + "e"
    return cut


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant (not w, x, y): a silent e was dropped ("mak")."""
    first, vowel, last = word[-3], word[-2], word[-1]
    return first not in _VOWELS and vowel in _VOWELS and last not in _VOWELS + "wxy"


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


def content_lemmas(words: tuple[str, ...]) -> tuple[str, ...]:
    """The stems of the content words (not stopwords, not numbers), in text order."""
    return tuple(
        stem(word) for word in words if word not in STOPWORDS and word.isalpha() and len(word) > 1
    )


def negated(words: tuple[str, ...]) -> bool:
    return any(word in NEGATIONS or word.endswith("n't") for word in words)
