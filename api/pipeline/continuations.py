"""Quotes no cue took: a continuation of the previous speaker's words, or speakerless."""

from __future__ import annotations

import msgspec
from spacy.tokens import Doc, Span

from api.pipeline.candidates import make_candidate
from api.pipeline.quotes import QuoteSpan
from api.pipeline.types import StatementCandidate

CONTINUATION_FACTOR = 0.8
UNATTRIBUTED_CONFIDENCE = 0.2
_ATTRIBUTION_TAIL = 80  # characters of "told reporters on Wednesday," before a quote resumes
_BREAKS = set('.!?;\n“”"')
# The rest of a paragraph after its last quote that is only an attribution: '“...,” Mr
# Farage told BBC Radio Four’s Any Questions.' (a sentence of its own would be longer)
_ATTRIBUTION_LINE = 100


def leftover_quotes(
    doc: Doc, quotes: list[QuoteSpan], found: list[StatementCandidate]
) -> list[StatementCandidate]:
    """Quotes no cue took: a continuation of the previous speaker, or speakerless."""
    taken = [(c.content_start, c.content_end) for c in found]
    speaker_spans = [(c.speaker_start, c.speaker_end) for c in found if c.speaker_start is not None]
    result: list[StatementCandidate] = []
    text = doc.text  # built anew from the tokens on every access: once, not per quote
    for quote in quotes:
        if any(s <= quote.inner_start and quote.inner_end <= e for s, e in taken):
            continue
        if any(
            s is not None and e is not None and s <= quote.inner_start < e for s, e in speaker_spans
        ):
            continue
        words = doc.char_span(quote.inner_start, quote.inner_end, alignment_mode="expand")
        if words is None or len(words) < 3:
            continue
        previous = _previous_quoted(text, quote, found)
        continues = previous is not None and (
            _starts_sentence(text, quote) or _right_after_attribution(text, quote, previous)
        )
        # The previous speaker may be a mention of no known kind ("the senator"): the
        # quote is still theirs.
        source = previous if continues and previous and previous.speaker_start is not None else None
        if source is not None:
            guess, confidence = source.speaker, source.confidence * CONTINUATION_FACTOR
        elif _is_clause(words):
            guess, confidence = None, UNATTRIBUTED_CONFIDENCE
        else:
            continue
        candidate = make_candidate(
            quote.inner_start,
            quote.inner_end,
            quotes,
            cue=None,
            speaker=None,
            guess=guess,
            confidence=confidence,
            kind="direct",
        )
        if source is not None:
            # The speaker was named with the quote before: point at that mention.
            candidate = msgspec.structs.replace(
                candidate, speaker_start=source.speaker_start, speaker_end=source.speaker_end
            )
        result.append(candidate)
    return result


def _right_after_attribution(text: str, quote: QuoteSpan, previous: StatementCandidate) -> bool:
    """'“We will,” he said, “make compromises.”': the speaker stands in the middle."""
    ends = [e for e in (previous.cue_end, previous.speaker_end) if e is not None]
    if not ends or max(ends) > quote.outer_start:
        return False
    between = text[max(ends) : quote.outer_start]
    if len(between) <= 3 and not between.strip(" ,:;—–"):
        return True
    # '“...,” Schiff told Capital Download on Wednesday, “but ...”': the attribution's
    # own phrases before the quote resumes, in the same sentence.
    tail = between.rstrip()
    return (
        len(between) <= _ATTRIBUTION_TAIL
        and (tail.endswith((",", ":")) or tail.rsplit(maxsplit=1)[-1:] in (["but"], ["and"]))
        and not any(mark in between for mark in _BREAKS)
    )


def _starts_sentence(text: str, quote: QuoteSpan) -> bool:
    before = text[: quote.outer_start].rstrip()
    return not before or before[-1] in '.!?:\n”"'


def _is_clause(span: Span) -> bool:
    return len(span) >= 4 and any(t.pos_ in {"VERB", "AUX"} for t in span)


def _previous_quoted(
    text: str, quote: QuoteSpan, found: list[StatementCandidate]
) -> StatementCandidate | None:
    """The quoted statement this quote continues, if any.

    In the same paragraph, the quote just before. Across a paragraph break only when
    that quote was left open at the end of its paragraph: the convention for a quote that
    runs over several paragraphs. A new paragraph that opens a new quote is more often
    somebody else speaking.
    """
    before = [c for c in found if c.content_end <= quote.outer_start and c.quotes]
    if not before:
        return None
    previous = max(before, key=lambda c: c.content_end)
    between = text[previous.content_end : quote.outer_start]
    if "\n" not in between:
        return previous
    rest_of_paragraph = between.split("\n", 1)[0]
    left_open = not any(mark in rest_of_paragraph for mark in '”"')
    if left_open and between.count("\n\n") <= 1:
        return previous
    # A paragraph that is nothing but a quote, right after the paragraph whose last
    # words were the same speaker's quote: "“A,” he said.\n\n“B.”"
    line_end = text.find("\n", quote.outer_end)
    whole = not text[quote.outer_end : len(text) if line_end == -1 else line_end].strip()
    paragraphs = [p for p in between.split("\n") if p.strip()]
    last_only = len(paragraphs) == 1 and len(between.split("\n")[0].strip()) < _ATTRIBUTION_LINE
    return previous if whole and last_only and between.count("\n") <= 2 else None
