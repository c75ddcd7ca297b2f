"""The textacy baseline runs paragraph by paragraph (no textacy and no model needed)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

import spacy
from spacy.tokens import Doc

from api.evaluation.baseline_textacy import TextacyBaseline, paragraphs
from api.evaluation.spans import Prediction

Triple = namedtuple("Triple", ["speaker", "cue", "content"])


def _doc(text: str) -> Doc:
    return spacy.blank("en")(text)


def quotations(doc: Doc) -> Iterator[Triple]:
    """textacy's contract in miniature: bail out on an odd number of quote marks, else one
    triple from the first mark to the second, spoken by the token after it."""
    marks = [t.i for t in doc if t.is_quote]
    if len(marks) % 2:
        raise ValueError(f"{len(marks)} quotation marks found")
    if marks:
        yield Triple(
            speaker=[doc[marks[1] + 1]],
            cue=[doc[marks[1] + 2]],
            content=doc[marks[0] : marks[1] + 1],
        )


def test_an_unclosed_quote_costs_its_paragraph_only() -> None:
    first = 'He said "no\n'
    doc = _doc(first + '"It works," Ann said.')
    baseline = TextacyBaseline(quotations, "0.0")
    shift = len(first)
    assert baseline(doc) == [
        Prediction(
            content=(shift, shift + 11),
            cue=(shift + 16, shift + 20),
            speaker=(shift + 12, shift + 15),
        )
    ]
    assert doc.text[shift : shift + 11] == '"It works,"'
    assert (baseline.docs, baseline.refused) == (2, 1)


def test_a_single_paragraph_is_given_to_textacy_as_it_is() -> None:
    seen: list[Doc] = []

    def spy(doc: Doc) -> Iterator[Triple]:
        seen.append(doc)
        yield from quotations(doc)

    doc = _doc('"It works," Ann said.')
    assert TextacyBaseline(spy, "0.0")(doc) == [
        Prediction(content=(0, 11), cue=(16, 20), speaker=(12, 15))
    ]
    assert seen == [doc]


def test_paragraphs_skip_blank_lines() -> None:
    doc = _doc("One.\n\n\nTwo here.\n  \nThree\n")
    assert [p.text.strip() for p in paragraphs(doc)] == ["One.", "Two here.", "Three"]
    assert [p.start_char for p in paragraphs(doc)] == [0, 7, 20]
