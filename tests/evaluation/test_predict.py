"""What each extractor's output becomes before scoring (no model needed)."""

from __future__ import annotations

import sys
from collections import namedtuple
from collections.abc import Iterator

import pytest
import spacy
from spacy.tokens import Doc

from api.evaluation.baseline_textacy import (
    BaselineUnavailableError,
    TextacyBaseline,
    load_textacy,
    token_hull,
)
from api.evaluation.predict import from_candidate
from api.evaluation.spans import Prediction
from api.pipeline.types import StatementCandidate

Triple = namedtuple("Triple", ["speaker", "cue", "content"])


def _doc(text: str) -> Doc:
    return spacy.blank("en")(text)


def test_candidate_becomes_content_cue_and_speaker_mention() -> None:
    candidate = StatementCandidate(
        kind="reported",
        content_start=10,
        content_end=30,
        cue_start=4,
        cue_end=8,
        speaker_start=0,
        speaker_end=3,
    )
    assert from_candidate(candidate) == Prediction(content=(10, 30), cue=(4, 8), speaker=(0, 3))
    bare = StatementCandidate(kind="direct", content_start=1, content_end=5)
    assert from_candidate(bare) == Prediction(content=(1, 5))


def test_textacy_triples_become_predictions_with_token_hulls() -> None:
    doc = _doc('"It works well," Ann and Bo said.')

    def quotations(d: Doc) -> Iterator[Triple]:
        yield Triple(speaker=[d[8], d[6]], cue=[d[9]], content=d[0:6])

    baseline = TextacyBaseline(quotations, "0.0")
    assert baseline(doc) == [Prediction(content=(0, 16), cue=(28, 32), speaker=(17, 27))]
    assert (baseline.docs, baseline.refused) == (1, 0)
    assert token_hull([]) is None


def test_textacy_refusing_a_doc_yields_nothing_and_is_counted() -> None:
    def quotations(d: Doc) -> Iterator[Triple]:
        raise ValueError("3 quotation marks found, indicating an unclosed quotation")
        yield  # a generator, as textacy's is

    baseline = TextacyBaseline(quotations, "0.0")
    assert baseline(_doc('He said "yes')) == []
    assert (baseline.docs, baseline.refused) == (1, 1)


def test_missing_textacy_is_reported_with_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textacy", None)
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)
    with pytest.raises(BaselineUnavailableError, match=r"pip install textacy"):
        load_textacy()
