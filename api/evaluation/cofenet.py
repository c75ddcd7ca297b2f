"""CofeNet's tokenised PolNeAR: JSONL segments with CoreNLP tokens and BIO labels.

Each line is one paragraph: ``tokens``, ``labels`` (``O``, ``B-``/``I-`` over ``source``,
``cue``, ``content``) and ``id`` (``<article>_<annotator>``). To score our extractor on
the same tokens, a segment is detokenised into plain text with one character span per
token, and predicted character spans are mapped back onto those tokens.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from api.evaluation.spans import CharSpan, Prediction, overlaps

ROLES = ("source", "cue", "content")
TokenSpan = tuple[int, int]  # [first token, last token + 1)

# CoreNLP's PTB escapes, back to the characters the extractor reads. "``" and "''" are
# CoreNLP's rewrite of straight and curly double quotes alike; a straight quote is what
# our quote finder pairs by position.
_UNESCAPE = {
    "``": '"',
    "''": '"',
    "`": "'",
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
# Tokens glued to the previous one / the next one. Spacing matters to the parser
# ("Obama 's" and "do n't" parse worse than "Obama's" and "don't") and to the quote
# finder, which tells an opening quote from a closing one by the space before it.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "''", "'"}
_NO_SPACE_BEFORE |= {"-RRB-", "-RSB-", "-RCB-"}
_CLITICS = {"'s", "'re", "'ve", "'ll", "'d", "'m", "n't"}
_NO_SPACE_AFTER = {"``", "`", "(", "[", "{", "$", "-LRB-", "-LSB-", "-LCB-"}


class CofenetFormatError(ValueError):
    """A JSONL line that is not a CofeNet segment."""


class Segment(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    tokens: list[str]
    labels: list[str]


class Detokenised(msgspec.Struct, frozen=True):
    text: str
    offsets: tuple[CharSpan, ...]  # one per token, into ``text``


_decoder = msgspec.json.Decoder(Segment)


def read_segments(path: Path, limit: int | None = None) -> Iterator[Segment]:
    """Segments in file order (unknown keys such as ``pos`` and ``ner`` are ignored)."""
    with path.open(encoding="utf-8") as handle:
        count = 0
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            try:
                segment = _decoder.decode(line)
            except msgspec.DecodeError as exc:
                raise CofenetFormatError(f"{path.name} line {number}: {exc}") from exc
            if len(segment.tokens) != len(segment.labels):
                raise CofenetFormatError(f"{path.name} line {number}: tokens and labels differ")
            count += 1
            yield segment


def decode_bio(labels: Sequence[str]) -> dict[str, list[TokenSpan]]:
    """Spans per role. An ``I-x`` that does not continue an ``x`` span starts one.

    That is the conlleval reading of ill-formed tags, so a stray ``I-`` still counts as a
    span instead of vanishing (CofeNet's gold is well formed; this guards the decoder).
    """
    spans: dict[str, list[TokenSpan]] = {role: [] for role in ROLES}
    role: str | None = None
    start = 0
    for i, label in enumerate([*labels, "O"]):
        prefix, _, kind = label.partition("-")
        if label != "O" and (prefix not in {"B", "I"} or kind not in spans):
            raise CofenetFormatError(f"unknown label {label!r}")
        continues = prefix == "I" and kind == role
        if role is not None and not continues:
            spans[role].append((start, i))
            role = None
        if label != "O" and not continues:
            role, start = kind, i
    return spans


def detokenise(tokens: Sequence[str]) -> Detokenised:
    """Text for the pipeline, and each token's character span in it."""
    parts: list[str] = []
    offsets: list[CharSpan] = []
    position = 0
    previous: str | None = None
    for token in tokens:
        if previous is not None and _space_between(previous, token):
            parts.append(" ")
            position += 1
        surface = _UNESCAPE.get(token, token)
        parts.append(surface)
        offsets.append((position, position + len(surface)))
        position += len(surface)
        previous = token
    return Detokenised("".join(parts), tuple(offsets))


def _space_between(previous: str, token: str) -> bool:
    if previous in _NO_SPACE_AFTER:
        return False
    return token not in _NO_SPACE_BEFORE and token.lower() not in _CLITICS


def predicted_token_spans(
    predictions: Sequence[Prediction], offsets: Sequence[CharSpan]
) -> dict[str, list[TokenSpan]]:
    """Predicted spans per role on the segment's tokens, as a BIO tagger would give them.

    A token takes the role of every predicted span its characters overlap, but one role
    only: content first, then cue, then source (so the content wins ties, and a speaker
    repeated by two statements is one span). Runs of tokens owned by the same predicted
    span are the spans scored.
    """
    owner: list[tuple[str, int] | None] = [None] * len(offsets)
    for role in ("content", "cue", "source"):
        for number, prediction in enumerate(predictions):
            for span in _role_spans(prediction, role):
                for i, token in enumerate(offsets):
                    if owner[i] is None and overlaps(span, token):
                        owner[i] = (role, number)
    spans: dict[str, list[TokenSpan]] = {role: [] for role in ROLES}
    i = 0
    while i < len(owner):
        current = owner[i]
        end = i + 1
        while end < len(owner) and current is not None and owner[end] == current:
            end += 1
        if current is not None:
            spans[current[0]].append((i, end))
        i = end
    return spans


def _role_spans(prediction: Prediction, role: str) -> tuple[CharSpan, ...]:
    """A content's fragments are separate spans wherever a cue or source lies between."""
    if role == "content":
        return prediction.contents
    span = prediction.cue if role == "cue" else prediction.speaker
    return () if span is None else (span,)
