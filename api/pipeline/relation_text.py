"""Text rules behind claim relations (api/pipeline/relations.py stores what they find).

Pure functions over plain text. They are the same for the article being ingested and for
the stored ones on purpose: only the new article has a spaCy Doc at ingestion, and a
rule must give the same answer whichever of two articles arrives first. Words are
compared by a light suffix stemmer (commit, committing, commitment -> commit) and
government metonyms fold to one token (Washington, the U.S., the United States), from
the speaker lexicon.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache

import msgspec

from api.pipeline.lexicon import DATA_DIR, load_lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    with (DATA_DIR / "relations.toml").open("rb") as handle:
        data = msgspec.convert(tomllib.load(handle), dict[str, str])
    return {key: frozenset(value.split()) for key, value in data.items()}


STOPWORDS = _lexicon()["stopwords"]
STRONG = _lexicon()["strong"]
WEAK = _lexicon()["weak"]
NEGATIONS = _lexicon()["negations"]
# "not only", "not just": emphasis, not negation.
_NOT_NEGATING = re.compile(r"\bnot\s+(?:only|just|least|merely)\b", re.IGNORECASE)

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)?%?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
_ABBREVIATION = re.compile(r"\b((?:[A-Z]\.){2,})")
# Longest first; "ies" becomes "y".
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ingly",
    "ing",
    "edly",
    "ed",
    "ies",
    "es",
    "s",
    "ly",
)
GOVERNMENT_PREFIX = "gov:"


def fold(text: str) -> str:
    """Accents and typographic apostrophes folded; "U.S." -> "US" (its periods would
    otherwise end sentences and split the word)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _ABBREVIATION.sub(lambda m: m.group(1).replace(".", ""), plain)


def stem(word: str) -> str:
    """A light stemmer: enough to meet commit/committing/commitment and force/forces."""
    w = word.casefold().removesuffix("'s").replace("-", "")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # committ -> commit
    return w.rstrip("e") if len(w.rstrip("e")) >= 3 else w


@lru_cache(maxsize=1)
def _governments() -> dict[tuple[str, ...], str]:
    """Government names as word tuples -> one token. Acronyms keep their case ("US", never
    the pronoun "us")."""
    names: dict[tuple[str, ...], str] = {}
    for key, canonical in load_lexicon().government_keys.items():
        words = key.split()
        if words and words[0] == "the":
            words = words[1:]
        if words:
            names[tuple(words)] = GOVERNMENT_PREFIX + canonical.casefold()
    return names


def words(text: str) -> list[str]:
    """Surface words, lower-cased, government names folded to one ``gov:`` token each."""
    raw = _WORD.findall(fold(text))
    names = _governments()
    longest = max((len(name) for name in names), default=1)
    out: list[str] = []
    i = 0
    while i < len(raw):
        for size in range(min(longest, len(raw) - i), 0, -1):
            chunk = raw[i : i + size]
            key = tuple(w.casefold() for w in chunk)
            # A short one-word name is an acronym and must be written as one: "US" is the
            # United States, "us" the pronoun.
            if key in names and (size > 1 or len(chunk[0]) > 3 or chunk[0].isupper()):
                out.append(names[key])
                i += size
                break
        else:
            out.append(raw[i].casefold())
            i += 1
    return out


def content_stems(tokens: list[str], exclude: frozenset[str] = frozenset()) -> frozenset[str]:
    return frozenset(
        token if token.startswith(GOVERNMENT_PREFIX) else stem(token)
        for token in tokens
        if token not in STOPWORDS and token not in exclude and not _NUMBER.fullmatch(token)
    )


CHANGE_STEMS = frozenset(stem(w) for w in _lexicon()["change_vocabulary"])
MARKER_WORDS = STRONG | WEAK | NEGATIONS
# Modal verbs and negations carry no topic: they are compared as markers, not as words.
_FUNCTION_WORDS = _lexicon()["modals"] | NEGATIONS


class Features(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules compare of one statement."""

    stems: frozenset[str]  # every content word, stemmed
    topic: frozenset[str]  # content stems without strength markers and negations
    tokens: frozenset[str]  # surface words, for the markers
    numbers: frozenset[str]
    negated: bool


# Every new article's statements are compared with the stored statements of the same
# speakers and documents: the same stored texts recur article after article, and their
# features (immutable) are a pure function of the text, so each is worked out once.
@lru_cache(maxsize=8192)
def features(text: str) -> Features:
    tokens = words(text)
    return Features(
        stems=content_stems(tokens, _FUNCTION_WORDS),
        topic=content_stems(tokens, MARKER_WORDS),
        tokens=frozenset(tokens),
        numbers=frozenset(_NUMBER.findall(text)),
        negated=is_negated(text, tokens),
    )


def is_negated(text: str, tokens: list[str]) -> bool:
    count = sum(1 for token in tokens if token in NEGATIONS or token.endswith("n't"))
    return count - len(_NOT_NEGATING.findall(text)) > 0


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    """Shared words and the overlap coefficient (shared / the smaller set)."""
    shared = len(a & b)
    return shared, (shared / min(len(a), len(b)) if a and b else 0.0)


# --- Reports of a change: "language in an earlier draft ... did not appear in the final
# communique", "softened from an earlier draft, notably removing language describing ...".

# The sentence must name the earlier text the change is measured against.
_EARLIER_TEXT = re.compile(
    r"\bdrafts?\b|\b(?:earlier|previous|initial|original|leaked)\s+(?:version|text|wording)\b",
    re.IGNORECASE,
)
_DROPPED = re.compile(
    r"\b(?:(?:did|does|do|would|will)\s+not|didn't|doesn't|don't)\s+"
    r"(?:appear|feature|survive|remain|make\s+it)\b"
    r"|\b(?:was|were|is|are|has\s+been|have\s+been)\s+not\s+(?:included|kept|retained)\b"
    r"|\bnot\s+included\b|\bleft\s+out\b|\bstruck\s+out\b|\b(?:missing|absent)\s+from\b"
    r"|\bno\s+longer\s+(?:appears?|includes?|contains?|features?|mentions?)\b"
    r"|\b(?:dropped|dropping|removed|removing|deleted|deleting|omitted|omitting|excised|scrapped)\b",
    re.IGNORECASE,
)
_SOFTENED = re.compile(
    r"\b(?:softened|softening|watered\s+down|watering\s+down|toned\s+down|toning\s+down"
    r"|weakened|weakening|diluted|diluting)\b",
    re.IGNORECASE,
)
# Closing quotes and brackets stay with the sentence they close.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])([\"”’)\]]*)[ \t]+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[—–]\s+|\s+-\s+")


class TextSpan(msgspec.Struct, frozen=True):
    start: int
    end: int


def _pieces(text: str, start: int, end: int, breaks: re.Pattern[str]) -> list[TextSpan]:
    """``text[start:end]`` cut at ``breaks``, each piece stripped of surrounding space."""
    spans: list[TextSpan] = []
    begin = start
    for match in breaks.finditer(text, start, end):
        cut = match.end(1) if match.re is _SENTENCE_BREAK and match.group(1) else match.start()
        spans.append(TextSpan(begin, cut))
        begin = match.end()
    spans.append(TextSpan(begin, end))
    stripped = []
    for span in spans:
        piece = text[span.start : span.end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if piece.strip():
            stripped.append(TextSpan(span.start + lead, span.end - trail))
    return stripped


def sentences(text: str) -> list[TextSpan]:
    return _pieces(text, 0, len(text), _SENTENCE_BREAK)


class ChangeReport(msgspec.Struct, frozen=True, kw_only=True):
    """A sentence saying that a later text dropped or softened something an earlier draft
    had; ``stems`` are the words of the clause that say what, ``extended`` the same with the
    clause after it."""

    kind: str  # dropped | softened
    sentence: TextSpan
    cue: str
    stems: frozenset[str]
    extended: frozenset[str]


def change_reports(text: str) -> list[ChangeReport]:
    """Sentences that name an earlier draft and say something of it did not survive.

    What changed is read from the clause with the cue, or with the clause after it too,
    where a relative clause often says it ("was watered down from the draft, which
    committed Washington to ...").
    """
    reports: list[ChangeReport] = []
    for sentence in sentences(text):
        if not _EARLIER_TEXT.search(text, sentence.start, sentence.end):
            continue
        clauses = _pieces(text, sentence.start, sentence.end, _CLAUSE_BREAK)
        for index, clause in enumerate(clauses):
            piece = text[clause.start : clause.end]
            dropped = _DROPPED.search(piece)
            cue = dropped or _SOFTENED.search(piece)
            if cue is None:
                continue
            stems = content_stems(words(piece), _FUNCTION_WORDS) - CHANGE_STEMS
            extended = stems
            if index + 1 < len(clauses):
                following = clauses[index + 1]
                after = words(text[following.start : following.end])
                extended = stems | (content_stems(after, _FUNCTION_WORDS) - CHANGE_STEMS)
            reports.append(
                ChangeReport(
                    kind="dropped" if dropped else "softened",
                    sentence=sentence,
                    cue=cue.group(0),
                    stems=stems,
                    extended=extended,
                )
            )
    return reports


# A report of a change is about a statement when they share this many content words and
# this share of the smaller set: the two draft statements of the seeds that a later text
# reports dropped share 5-7 words (0.45-0.78); unrelated draft statements share 0-2.
REPORT_MIN_SHARED = 4
REPORT_MIN_OVERLAP = 0.4


def report_match(report: ChangeReport, statement: Features) -> float | None:
    """How well a change report describes a statement (its overlap), or None."""
    best: float | None = None
    for described in (report.stems, report.extended):
        shared, coefficient = overlap(described, statement.stems)
        if shared >= REPORT_MIN_SHARED and coefficient >= REPORT_MIN_OVERLAP:
            best = max(best or 0.0, coefficient)
    return best


# --- Two statements compared: same topic, weaker or negated wording.

# Same topic: shared content words (markers aside), their share of the smaller set, and a
# Jaccard floor so that a short statement inside a long one does not count as the same.
TOPIC_MIN_SHARED = 3
TOPIC_MIN_OVERLAP = 0.6
TOPIC_MIN_JACCARD = 0.4


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # softened | contradicted
    confidence: float
    detail: str


def same_topic(a: Features, b: Features) -> float | None:
    """The topic overlap of two statements when they are about the same thing, else None."""
    shared, coefficient = overlap(a.topic, b.topic)
    if shared < TOPIC_MIN_SHARED or coefficient < TOPIC_MIN_OVERLAP:
        return None
    if shared / len(a.topic | b.topic) < TOPIC_MIN_JACCARD:
        return None
    # Different numbers are a different fact ("3,000 troops" vs "5,000 troops").
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return None
    return coefficient


def compare(earlier: Features, later: Features) -> Comparison | None:
    """Whether ``later`` softens or contradicts ``earlier`` (same topic, weaker wording or
    the opposite polarity), or None. Precision first: anything unsure is None."""
    coefficient = same_topic(earlier, later)
    if coefficient is None:
        return None
    confidence = round(0.5 + 0.4 * coefficient, 3)
    if earlier.negated != later.negated:
        said, now = ("negated", "affirmed") if earlier.negated else ("affirmed", "negated")
        return Comparison(kind="contradicted", confidence=confidence, detail=f"{said} -> {now}")
    lost = sorted((earlier.tokens & STRONG) - later.tokens)
    gained = sorted((later.tokens & WEAK) - earlier.tokens)
    if lost and gained:
        detail = f"{', '.join(lost)} -> {', '.join(gained)}"
        return Comparison(kind="softened", confidence=confidence, detail=detail)
    return None
