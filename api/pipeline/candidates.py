"""Building statement candidates from token and character spans."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from api.pipeline.quotes import QuoteSpan
from api.pipeline.types import SpeakerGuess, StatementCandidate

EDGE_PUNCT = set(",.;:“”\"‘’'—–-()")
DIRECT_SHARE = 0.85  # share of the content inside quote marks that makes it direct


def trim(doc: Doc, token_ids: list[int]) -> tuple[int, int] | None:
    """Character range of the tokens without edge punctuation or a leading 'that'."""
    ids = sorted(set(token_ids))
    while ids and (doc[ids[0]].text in EDGE_PUNCT or doc[ids[0]].is_space):
        ids.pop(0)
    if ids and _is_complementiser(doc[ids[0]]):
        ids.pop(0)  # "said that X": the complementiser is not part of what was said
    while ids and (doc[ids[0]].text in EDGE_PUNCT or doc[ids[0]].is_space):
        ids.pop(0)
    while ids and (doc[ids[-1]].text in EDGE_PUNCT or doc[ids[-1]].is_space):
        ids.pop()
    if not ids:
        return None
    return doc[ids[0]].idx, doc[ids[-1]].idx + len(doc[ids[-1]].text)


def _is_complementiser(token: Token) -> bool:
    if token.lower_ != "that":
        return False
    if token.dep_ == "mark":
        return True
    # Misparsed as the subject while the clause has its own: "said that Trump supports".
    return token.dep_ == "nsubj" and any(
        c.dep_ == "nsubj" and c != token for c in token.head.children
    )


def expand_to_quotes(start: int, end: int, quotes: list[QuoteSpan]) -> tuple[int, int]:
    """A content that touches a quote takes the whole quote (multi-sentence quotes)."""
    for quote in quotes:
        if quote.inner_start < end and start < quote.inner_end:
            start, end = min(start, quote.inner_start), max(end, quote.inner_end)
    return start, end


def inside_any(offset: int, quotes: list[QuoteSpan]) -> bool:
    return any(q.inner_start <= offset < q.inner_end for q in quotes)


def speaker_outside(doc: Doc, speaker_ids: list[int], start: int, end: int) -> Span | None:
    """The speaker mention's span, or None when it sits inside the content ``start``-
    ``end``: a subject inside its own content is a misparse."""
    speaker = doc[speaker_ids[0] : speaker_ids[-1] + 1]
    if start < speaker.end_char and speaker.start_char < end:
        return None
    return speaker


def make_candidate(
    start: int,
    end: int,
    quotes: list[QuoteSpan],
    *,
    cue: tuple[int, int] | None,
    speaker: Span | None,
    guess: SpeakerGuess | None,
    confidence: float,
    kind: str | None = None,
    credited: tuple[str, ...] = (),
) -> StatementCandidate:
    inside = tuple(
        (q.inner_start, q.inner_end)
        for q in quotes
        if start <= q.inner_start and q.inner_end <= end
    )
    if kind is None:
        kind = classify_kind(start, end, inside)
    if kind == "partial":
        # A partial quote keeps its marks where the content begins or ends with one.
        for quote in quotes:
            if quote.inner_start == start:
                start = quote.outer_start
            if quote.inner_end == end:
                end = quote.outer_end
    return StatementCandidate(
        kind=kind,
        content_start=start,
        content_end=end,
        quotes=inside,
        cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        speaker_start=speaker.start_char if speaker is not None else None,
        speaker_end=speaker.end_char if speaker is not None else None,
        speaker=guess,
        credited=credited,
        confidence=confidence,
    )


def classify_kind(start: int, end: int, quotes: tuple[tuple[int, int], ...]) -> str:
    if not quotes:
        return "reported"
    quoted = sum(e - s for s, e in quotes)
    return "direct" if quoted >= DIRECT_SHARE * (end - start) else "partial"


def dedupe(candidates: list[StatementCandidate]) -> list[StatementCandidate]:
    """One statement per content: overlapping contents keep the best-attributed one."""
    ordered = sorted(candidates, key=lambda c: (-c.confidence, c.content_start))
    kept: list[StatementCandidate] = []
    for candidate in ordered:
        if any(_same_content(candidate, other) for other in kept):
            continue
        kept.append(candidate)
    return sorted(kept, key=lambda c: (c.content_start, c.content_end))


def _same_content(a: StatementCandidate, b: StatementCandidate) -> bool:
    overlap = min(a.content_end, b.content_end) - max(a.content_start, b.content_start)
    if overlap <= 0:
        return False
    longer = max(a.content_end - a.content_start, b.content_end - b.content_start)
    # The same cue found twice, or two routes to the same content span.
    return a.cue_start == b.cue_start or overlap >= 0.9 * longer
