"""Attribution constructions added for issue 3, on hand-built Docs (no model needed)."""

from __future__ import annotations

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon
from api.pipeline.quotes import find_quotes
from api.pipeline.types import StatementCandidate
from tests.extraction.docs import build_doc, triples

LEXICON = load_lexicon()


def _statements(rows: str) -> tuple[str, list[StatementCandidate]]:
    doc = build_doc(rows)
    return doc.text, extract_statements(doc, LEXICON)


HOPES = """
Clinton 1 nsubj PROPN NNP Clinton B-PERSON
hopes 1 ROOT VERB VBZ hop O
voters 4 nsubj NOUN NNS voter O
will 4 aux AUX MD will O
vote 1 ccomp VERB VB vote O nospace
. 1 punct PUNCT . . O
"""


def test_a_lemma_the_model_gets_wrong_is_corrected_from_the_lexicon() -> None:
    # en_core_web_sm lemmatises "hopes" as "hop"; cues.toml's [lemma_fixes] corrects it.
    assert triples(HOPES) == [("Clinton", "hopes", "voters will vote")]


CRITICIZED_FOR = """
Sanders 1 nsubj PROPN NNP Sanders B-PERSON
criticized 1 ROOT VERB VBD criticize O
Clinton 1 dobj PROPN NNP Clinton B-PERSON
for 1 prep ADP IN for O
accepting 3 pcomp VERB VBG accept O
fees 4 dobj NOUN NNS fee O nospace
. 1 punct PUNCT . . O
"""

DENOUNCED = """
Sanders 1 nsubj PROPN NNP Sanders B-PERSON
denounced 1 ROOT VERB VBD denounce O
the 3 det DET DT the O
deal 1 dobj NOUN NN deal O nospace
. 1 punct PUNCT . . O
"""


def test_stance_verbs_report_their_object_and_the_reason_given() -> None:
    assert triples(CRITICIZED_FOR) == [("Sanders", "criticized", "Clinton for accepting fees")]
    assert triples(DENOUNCED) == [("Sanders", "denounced", "the deal")]


QUOTE_BEFORE_AND_AFTER = """
“ 3 punct PUNCT `` " O nospace
We 3 nsubj PRON PRP we O
will 3 aux AUX MD will O
win 7 dep VERB VB win O nospace
, 7 punct PUNCT , , O nospace
” 7 punct PUNCT '' " O
he 7 nsubj PRON PRP he O
said 7 ROOT VERB VBD say O nospace
, 7 punct PUNCT , , O
“ 13 punct PUNCT `` " O nospace
and 13 cc CCONJ CC and O
we 13 nsubj PRON PRP we O
will 13 aux AUX MD will O
govern 7 ccomp VERB VB govern O nospace
. 7 punct PUNCT . . O nospace
” 7 punct PUNCT '' " O
"""


def test_the_quote_before_the_attribution_is_its_content_and_the_next_continues() -> None:
    # The parser hung the second quote on "said"; the first is what the cue reports.
    assert triples(QUOTE_BEFORE_AND_AFTER) == [
        ("he", "said", "We will win"),
        ("he", None, "and we will govern."),
    ]


LONG_ATTRIBUTION = """
“ 2 punct PUNCT `` " O nospace
It 2 nsubj PRON PRP it O
is 7 ccomp AUX VBZ be O
wrong 2 acomp ADJ JJ wrong O nospace
, 7 punct PUNCT , , O nospace
” 7 punct PUNCT '' " O
Schiff 7 nsubj PROPN NNP Schiff B-PERSON
told 7 ROOT VERB VBD tell O
reporters 7 dobj NOUN NNS reporter O
on 7 prep ADP IN on O
Wednesday 9 pobj PROPN NNP Wednesday B-DATE nospace
, 7 punct PUNCT , , O
“ 15 punct PUNCT `` " O nospace
but 15 cc CCONJ CC but O
it 15 nsubj PRON PRP it O
is 7 conj AUX VBZ be O
legal 15 acomp ADJ JJ legal O nospace
. 7 punct PUNCT . . O nospace
” 7 punct PUNCT '' " O
"""


def test_a_quote_resumed_after_the_attribution_keeps_its_speaker() -> None:
    assert triples(LONG_ATTRIBUTION) == [
        ("Schiff", "told", "It is wrong"),
        ("Schiff", None, "but it is legal."),
    ]


def test_a_straight_quote_closed_by_a_curly_mark_is_one_quote() -> None:
    text = '"Oz has a pulpit,” said Gorski. He left.'
    (quote,) = find_quotes(text)
    assert text[quote.inner_start : quote.inner_end] == "Oz has a pulpit"
    assert text[quote.outer_end :].startswith(" said")


INVERTED_SUBJECT_LOST = """
“ 2 punct PUNCT `` " O nospace
We 2 nsubj PRON PRP we O
are 6 ccomp AUX VBP be O
ready 2 acomp ADJ JJ ready O nospace
, 6 punct PUNCT , , O nospace
” 6 punct PUNCT '' " O
said 6 ROOT VERB VBD say O
Robin 8 compound PROPN NNP Robin B-PERSON
Maynard 11 nsubj PROPN NNP Maynard I-PERSON nospace
, 8 punct PUNCT , , O
half 11 nsubj NOUN NN half O
joking 6 ccomp VERB VBG joke O nospace
. 6 punct PUNCT . . O
"""


def test_an_inverted_speaker_the_parser_hung_elsewhere_is_found_after_the_cue() -> None:
    # "joking" holds the speaker, so it is not what was said: the quote is.
    assert triples(INVERTED_SUBJECT_LOST) == [("Robin Maynard", "said", "We are ready")]


DATELINE = """
WASHINGTON 7 nsubj PROPN NNP WASHINGTON B-GPE
( 2 punct PUNCT -LRB- ( O nospace
UPI 0 appos PROPN NNP UPI B-ORG nospace
) 2 punct PUNCT -RRB- ) O
— 0 punct PUNCT : — O
A 6 det DET DT a O
spokesman 7 nsubj NOUN NN spokesman O
said 7 ROOT VERB VBD say O
the 9 det DET DT the O
report 10 nsubj NOUN NN report O
was 7 ccomp AUX VBD be O
false 10 acomp ADJ JJ false O nospace
. 7 punct PUNCT . . O
"""


def test_a_dateline_the_parser_made_a_second_subject_is_not_the_speaker() -> None:
    assert triples(DATELINE) == [("A spokesman", "said", "the report was false")]


ASKED_ABOUT = """
Asked 6 advcl VERB VBN ask O
about 0 prep ADP IN about O
the 3 det DET DT the O
plan 1 pobj NOUN NN plan O nospace
, 6 punct PUNCT , , O
he 6 nsubj PRON PRP he O
said 6 ROOT VERB VBD say O
it 9 nsubj PRON PRP it O
would 9 aux AUX MD would O
work 6 ccomp VERB VB work O nospace
. 6 punct PUNCT . . O
"""


def test_a_past_participle_does_not_take_the_clause_subject_as_its_speaker() -> None:
    # "Asked about the plan, he said": he was asked; he did not ask.
    assert triples(ASKED_ABOUT) == [("he", "said", "it would work")]


QUOTE_UNDER_TWO_CUES = """
A 1 det DET DT a O
woman 2 nsubj NOUN NN woman O
asked 2 ROOT VERB VBD ask O
for 2 prep ADP IN for O
a 5 det DET DT a O
photo 3 pobj NOUN NN photo O
and 2 cc CCONJ CC and O
Clinton 8 nsubj PROPN NNP Clinton B-PERSON
said 2 conj VERB VBD say O nospace
, 8 punct PUNCT , , O
“ 8 punct PUNCT `` " O nospace
As 12 advmod ADV RB as O
long 8 advmod ADV RB long O
as 15 mark SCONJ IN as O
it 15 nsubj PRON PRP it O
is 12 advcl AUX VBZ be O
legal 15 acomp ADJ JJ legal O nospace
. 8 punct PUNCT . . O nospace
” 8 punct PUNCT '' " O
"""


def test_a_quote_belongs_to_the_nearest_cue_above_it() -> None:
    # "asked for a photo" is a request of its own (cues.toml: ask takes "for"); the
    # quote is Clinton's, not the woman's.
    assert triples(QUOTE_UNDER_TWO_CUES) == [
        ("A woman", "asked for", "a photo"),
        ("Clinton", "said", "As long as it is legal."),
    ]


UNTYPED_SPEAKER_GOES_ON = """
“ 2 punct PUNCT `` " O nospace
It 2 nsubj PRON PRP it O
is 8 ccomp AUX VBZ be O
hard 2 acomp ADJ JJ hard O nospace
, 8 punct PUNCT , , O nospace
” 8 punct PUNCT '' " O
the 7 det DET DT the O
senator 8 nsubj NOUN NN senator O
said 8 ROOT VERB VBD say O nospace
. 8 punct PUNCT . . O
“ 13 punct PUNCT `` " O nospace
We 13 nsubj PRON PRP we O
will 13 aux AUX MD will O
try 13 ROOT VERB VB try O nospace
. 13 punct PUNCT . . O nospace
” 13 punct PUNCT '' " O
"""


def test_a_speaker_of_no_known_kind_still_keeps_the_next_quote() -> None:
    text, statements = _statements(UNTYPED_SPEAKER_GOES_ON)
    first, second = statements
    assert first.speaker is None  # "the senator" names no known kind of actor
    assert text[second.content_start : second.content_end] == "We will try."
    assert (second.speaker_start, second.speaker_end) == (first.speaker_start, first.speaker_end)
    assert second.confidence < first.confidence


PROMISE_TO = """
Trump 2 poss PROPN NNP Trump B-PERSON nospace
's 0 case PART POS 's O
promise 6 nsubj NOUN NN promise O
to 4 aux PART TO to O
cut 2 acl VERB VB cut O
taxes 4 dobj NOUN NNS tax O
angered 6 ROOT VERB VBD anger O
Democrats 6 dobj PROPN NNPS Democrats B-NORP nospace
. 6 punct PUNCT . . O
"""


def test_a_noun_of_commitment_reports_its_infinitive() -> None:
    assert triples(PROMISE_TO) == [("Trump's", "promise", "to cut taxes")]
