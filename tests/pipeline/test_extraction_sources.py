"""Sources without a reporting-verb subject, added for issue 3: "according to" phrases
and headline speakers, on hand-built Docs of our own sentences (no model needed)."""

from __future__ import annotations

from spacy.tokens import Doc

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon
from tests.extraction.docs import build_doc, chars, triples

LEXICON = load_lexicon()


# (text, head, dep, pos, tag, lemma, entity, space after): a paragraph break is a token
# build_doc's one-line rows cannot hold.
_HEADLINE_ROWS = [
    ("Ruiz", 0, "ROOT", "NOUN", "NN", "ruiz", "O", False),
    (":", 0, "punct", "PUNCT", ":", ":", "O", True),
    ("The", 3, "det", "DET", "DT", "the", "O", True),
    ("budget", 5, "nsubj", "NOUN", "NN", "budget", "O", True),
    ("will", 5, "aux", "AUX", "MD", "will", "O", True),
    ("pass", 0, "appos", "VERB", "VB", "pass", "O", False),
    (".", 5, "punct", "PUNCT", ".", ".", "O", False),
    ("\n\n", 6, "dep", "SPACE", "_SP", "\n\n", "O", False),
    ("Ana", 9, "compound", "PROPN", "NNP", "Ana", "B-PERSON", True),
    ("Ruiz", 10, "nsubj", "PROPN", "NNP", "Ruiz", "I-PERSON", True),
    ("spoke", 10, "ROOT", "VERB", "VBD", "speak", "O", False),
    (".", 10, "punct", "PUNCT", ".", ".", "O", False),
]


def _doc(rows: list[tuple[str, int, str, str, str, str, str, bool]]) -> Doc:
    columns = list(zip(*rows, strict=True))
    return Doc(
        build_doc("x 0 ROOT X X x O").vocab,
        words=list(columns[0]),
        heads=list(columns[1]),
        deps=list(columns[2]),
        pos=list(columns[3]),
        tags=list(columns[4]),
        lemmas=list(columns[5]),
        ents=list(columns[6]),
        spaces=list(columns[7]),
    )


def test_a_headline_speaker_the_tagger_missed_is_a_name_the_article_gives() -> None:
    # "Ruiz: The budget will pass.\n\nAna Ruiz spoke." with "Ruiz" tagged a noun.
    doc = _doc(_HEADLINE_ROWS)
    (statement,) = extract_statements(doc, LEXICON)
    text = doc.text
    assert chars(text, statement.speaker_start, statement.speaker_end) == "Ruiz"
    assert text[statement.content_start : statement.content_end] == "The budget will pass"


ACCORDING_AT_THE_END = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
won 1 ROOT VERB VBD win O
40 3 nummod NUM CD 40 B-PERCENT
percent 1 dobj NOUN NN percent I-PERCENT
and 1 cc CCONJ CC and O
Lee 6 nsubj PROPN NNP Lee B-PERSON
won 1 conj VERB VBD win O
30 8 nummod NUM CD 30 B-PERCENT
percent 6 dobj NOUN NN percent I-PERCENT nospace
, 6 punct PUNCT , , O
according 6 prep VERB VBG accord O
to 10 prep ADP IN to O
the 13 det DET DT the O
survey 11 pobj NOUN NN survey O nospace
. 1 punct PUNCT . . O
"""


def test_a_source_phrase_closing_its_sentence_reports_all_the_rest() -> None:
    # The parser hangs "according to" on the last conjunct; the survey reports both.
    assert triples(ACCORDING_AT_THE_END) == [
        ("the survey", "according to", "Ruiz won 40 percent and Lee won 30 percent")
    ]


ACCORDING_TO_A_STANCE = """
According 6 prep VERB VBG accord O
to 0 prep ADP IN to O
the 3 det DET DT the O
paper 1 pobj NOUN NN paper O nospace
, 6 punct PUNCT , , O
Ruiz 6 nsubj PROPN NNP Ruiz B-PERSON
agreed 6 ROOT VERB VBD agree O
to 8 aux PART TO to O
support 6 xcomp VERB VB support O
the 10 det DET DT the O
plan 8 dobj NOUN NN plan O nospace
. 6 punct PUNCT . . O
"""


def test_a_stance_inside_a_source_phrases_content_is_what_the_source_reports() -> None:
    # The paper reports that Ruiz agreed to support the plan; Ruiz said nothing here.
    assert triples(ACCORDING_TO_A_STANCE) == [
        ("the paper", "According to", "Ruiz agreed to support the plan")
    ]


_POLL_HEADLINE_ROWS = [
    ("Poll", 0, "ROOT", "NOUN", "NN", "poll", "O", False),
    (":", 0, "punct", "PUNCT", ":", ":", "O", True),
    ("Ruiz", 3, "nsubj", "PROPN", "NNP", "Ruiz", "B-PERSON", True),
    ("leads", 0, "appos", "VERB", "VBZ", "lead", "O", True),
    ("the", 5, "det", "DET", "DT", "the", "O", True),
    ("race", 3, "dobj", "NOUN", "NN", "race", "O", False),
    (".", 3, "punct", "PUNCT", ".", ".", "O", False),
]


def test_a_headline_may_give_a_document_as_its_source() -> None:
    doc = _doc(_POLL_HEADLINE_ROWS)
    (statement,) = extract_statements(doc, LEXICON)
    text = doc.text
    assert chars(text, statement.speaker_start, statement.speaker_end) == "Poll"
    assert text[statement.content_start : statement.content_end] == "Ruiz leads the race"
