"""Character spans and the one prediction shape every extractor is scored in."""

from __future__ import annotations

import msgspec

CharSpan = tuple[int, int]  # [start, end) into a text


class Prediction(msgspec.Struct, frozen=True, kw_only=True):
    """One predicted attribution, reduced to the spans the scorers look at.

    Our StatementCandidate and textacy's triples both become this, so the two systems go
    through exactly the same scoring code.
    """

    content: CharSpan
    cue: CharSpan | None = None
    speaker: CharSpan | None = None
    # Further fragments of the same content: a quote continued after "he said." is one
    # statement in two pieces, as PolNeAR's discontinuous contents are.
    more_content: tuple[CharSpan, ...] = ()

    @property
    def contents(self) -> tuple[CharSpan, ...]:
        return (self.content, *self.more_content)


def overlaps(a: CharSpan, b: CharSpan) -> bool:
    """Whether two half-open spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def overlaps_any(span: CharSpan | None, others: tuple[CharSpan, ...]) -> bool:
    return span is not None and any(overlaps(span, other) for other in others)


def hull(fragments: tuple[CharSpan, ...]) -> CharSpan:
    """From the first fragment's start to the last fragment's end."""
    return min(s for s, _ in fragments), max(e for _, e in fragments)
