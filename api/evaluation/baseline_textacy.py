"""The baseline: textacy's rule-based ``direct_quotations``, scored like our extractor.

textacy is not a dependency of the product; it is imported only when the baseline is
asked for, and its absence is reported, never papered over.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from spacy.tokens import Doc, Token

from api.evaluation.spans import CharSpan, Prediction

PIP_LINE = f"{sys.executable} -m pip install textacy"


class BaselineUnavailableError(RuntimeError):
    """The baseline's package is missing or fails to import."""


class TextacyBaseline:
    """``direct_quotations`` as an extractor; counts the Docs it refused.

    textacy raises ValueError when a Doc has an odd number of quote tokens ("safest to
    bail out"): such a Doc yields no prediction from the baseline, which is its real
    behaviour on paragraphs that open a quote continued in the next one.
    """

    name = "textacy"

    def __init__(self, direct_quotations: Callable[[Doc], Iterable[Any]], version: str) -> None:
        self._direct_quotations = direct_quotations
        self.version = version
        self.docs = 0
        self.refused = 0

    def __call__(self, doc: Doc) -> list[Prediction]:
        self.docs += 1
        try:
            triples = list(self._direct_quotations(doc))
        except ValueError:
            self.refused += 1
            return []
        return [
            Prediction(
                content=(triple.content.start_char, triple.content.end_char),
                cue=token_hull(triple.cue),
                speaker=token_hull(triple.speaker),
            )
            for triple in triples
        ]


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
