"""The baseline: textacy's rule-based ``direct_quotations``, scored like our extractor.

textacy is not a dependency of the product; it is imported only when the baseline is
asked for, and its absence is reported, never papered over.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from api.evaluation.spans import CharSpan, Prediction

PIP_LINE = f"{sys.executable} -m pip install textacy"


class BaselineUnavailableError(RuntimeError):
    """The baseline's package is missing or fails to import."""


class TextacyBaseline:
    """``direct_quotations`` as an extractor, run paragraph by paragraph.

    textacy pairs quote marks by position over the whole Doc it is given and raises
    ValueError when their number is odd ("safest to bail out"). Given a whole article, one
    stray mark (a quote continued in the next paragraph, an apostrophe split off as a
    token) would throw away every quotation of that article; given one paragraph at a
    time, as a newsroom would feed it and as CofeNet segments the data, a refusal costs
    that paragraph only. ``docs`` and ``refused`` count those paragraphs (a Metric A
    segment is one paragraph). The pipeline starts a sentence at every line break, so no
    dependency arc crosses a paragraph and each paragraph's parse is kept whole.
    """

    name = "textacy"

    def __init__(self, direct_quotations: Callable[[Doc], Iterable[Any]], version: str) -> None:
        self._direct_quotations = direct_quotations
        self.version = version
        self.docs = 0  # paragraphs given to textacy
        self.refused = 0  # of which it refused

    def __call__(self, doc: Doc) -> list[Prediction]:
        if "\n" not in doc.text:
            return self._quotations(doc, 0)
        predictions: list[Prediction] = []
        for paragraph in paragraphs(doc):
            predictions.extend(self._quotations(paragraph.as_doc(), paragraph.start_char))
        return predictions

    def _quotations(self, doc: Doc, offset: int) -> list[Prediction]:
        """The triples of one paragraph, with character offsets into the whole text."""
        self.docs += 1
        try:
            triples = list(self._direct_quotations(doc))
        except ValueError:
            self.refused += 1
            return []
        return [
            Prediction(
                content=(triple.content.start_char + offset, triple.content.end_char + offset),
                cue=_shift(token_hull(triple.cue), offset),
                speaker=_shift(token_hull(triple.speaker), offset),
            )
            for triple in triples
        ]


def paragraphs(doc: Doc) -> Iterator[Span]:
    """The Doc's paragraphs: runs of tokens up to and including a line break."""
    start = 0
    for token in doc:
        if "\n" in token.text_with_ws:
            if not all(t.is_space for t in doc[start : token.i + 1]):
                yield doc[start : token.i + 1]
            start = token.i + 1
    if start < len(doc) and not all(t.is_space for t in doc[start:]):
        yield doc[start:]


def _shift(span: CharSpan | None, offset: int) -> CharSpan | None:
    return None if span is None else (span[0] + offset, span[1] + offset)


def token_hull(tokens: Sequence[Token]) -> CharSpan | None:
    """textacy gives speaker and cue as token lists (conjuncts, auxiliaries): their extent."""
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def load_textacy() -> TextacyBaseline:
    try:
        triples = importlib.import_module("textacy.extract.triples")
        version = importlib.metadata.version("textacy")
    except Exception as exc:  # ImportError, or a broken install failing at import time
        raise BaselineUnavailableError(
            f"the textacy baseline is unavailable: {type(exc).__name__}: {exc}. "
            f"It is optional and not in the project's dependencies; install it with: "
            f"{PIP_LINE}"
        ) from exc
    return TextacyBaseline(triples.direct_quotations, version)
