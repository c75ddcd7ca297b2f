"""Our statements in PolNeAR's span conventions, as the evaluation scores them (hand-built
Docs, made-up sentences)."""

from __future__ import annotations

from api.evaluation.brat import GoldRelation
from api.evaluation.cofenet import predicted_token_spans
from api.evaluation.conventions import polnear_cue, polnear_source
from api.evaluation.matching import WordIndex, content_pairs
from api.evaluation.predict import _continued, ours
from api.evaluation.spans import Prediction
from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon
from api.pipeline.types import StatementCandidate
from tests.extraction.docs import build_doc
from tests.extraction.test_extract_rules import SPEAKER_IN_THE_MIDDLE

APPOSITIVE = """
Ana 1 compound PROPN NNP Ana B-PERSON
Ruiz 6 nsubj PROPN NNP Ruiz I-PERSON nospace
, 1 punct PUNCT , , O
25 1 appos NUM CD 25 O nospace
, 1 punct PUNCT , , O
also 6 advmod ADV RB also O
said 6 ROOT VERB VBD say O
taxes 8 nsubj NOUN NNS tax O
rise 6 ccomp VERB VBP rise O nospace
. 6 punct PUNCT . . O
"""


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_source_keeps_the_comma_closing_an_appositive_and_cue_its_adverb() -> None:
    doc = build_doc(APPOSITIVE)
    text = doc.text
    content = _at(text, "taxes rise")
    assert polnear_source(doc, _at(text, "Ana Ruiz"), content) == _at(text, "Ana Ruiz, 25,")
    assert polnear_cue(doc, _at(text, "said"), content, _at(text, "Ana Ruiz")) == _at(
        text, "also said"
    )


def test_a_quote_continued_after_its_cue_is_one_discontinuous_prediction() -> None:
    doc = build_doc(SPEAKER_IN_THE_MIDDLE)
    doc._.statements = extract_statements(doc, load_lexicon())
    (prediction,) = ours(doc)
    text = doc.text
    assert [text[s:e] for s, e in prediction.contents] == ["“We will,”", "“but not now.”"]
    gold = GoldRelation(
        id="E1", content=(_at(text, "We will"), _at(text, "but not now")), cue=(), source=()
    )
    assert content_pairs(WordIndex(text), [gold], [prediction])  # all five words shared


def test_fragments_of_a_content_are_separate_token_spans() -> None:
    prediction = Prediction(content=(0, 4), more_content=((10, 14),), speaker=(5, 9))
    offsets = ((0, 4), (5, 9), (10, 14))
    spans = predicted_token_spans([prediction], offsets)
    assert spans["content"] == [(0, 1), (2, 3)]
    assert spans["source"] == [(1, 2)]


def test_a_quote_continues_the_quote_before_it_not_an_aside_between() -> None:
    text = "“We will,” Ana said, referring to taxes, “but not now.”\nNext “para.”"
    speaker = _at(text, "Ana")
    quote = StatementCandidate(
        kind="direct",
        content_start=0,
        content_end=text.index(" Ana"),
        cue_start=text.index("said"),
        cue_end=text.index("said") + 4,
        speaker_start=speaker[0],
        speaker_end=speaker[1],
    )
    aside = StatementCandidate(
        kind="reported",
        content_start=text.index("taxes"),
        content_end=text.index("taxes") + 5,
        cue_start=text.index("referring"),
        cue_end=text.index("referring") + 9,
        speaker_start=speaker[0],
        speaker_end=speaker[1],
    )
    start = text.index("“but")
    continued = StatementCandidate(
        kind="direct",
        content_start=start,
        content_end=text.index("\n"),
        speaker_start=speaker[0],
        speaker_end=speaker[1],
    )
    assert _continued(text, continued, [quote, aside]) is quote
    assert _continued(text, continued, [aside]) is aside  # no quote before: the aside
    later = StatementCandidate(
        kind="direct",
        content_start=text.index("“para"),
        content_end=len(text),
        speaker_start=speaker[0],
        speaker_end=speaker[1],
    )
    assert _continued(text, later, [quote, aside]) is None  # another paragraph
