"""Recall rules on hand-built Docs (no model needed): back-shifted conjuncts, the side of
a clause an "according to" phrase splits, "as" predicatives, reporting participles,
by-agents, names the parser misattached, signatures and continued quotes."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from tests.extraction.docs import triples, triples_of

_VOCAB = spacy.blank("en").vocab

# A modal conjunct goes on with what was said: "would back" is not Smith's second report.
SAID_AND_WOULD_BACK = """
Smith 1 nsubj PROPN NNP Smith B-PERSON
said 1 ROOT VERB VBD say O
she 3 nsubj PRON PRP she O
was 1 ccomp AUX VBD be O
a 5 det DET DT a O
voter 3 attr NOUN NN voter O
and 3 cc CCONJ CC and O
would 8 aux AUX MD would O
back 3 conj VERB VB back O
Trump 8 dobj PROPN NNP Trump B-PERSON nospace
. 1 punct PUNCT . . O
"""


def test_a_modal_conjunct_in_the_clause_stays_in_the_content() -> None:
    found = triples(SAID_AND_WOULD_BACK)
    assert ("Smith", "said", "she was a voter and would back Trump") in found
    assert not any(speaker == "Smith" and content == "Trump" for speaker, _, content in found)


SAID_AND_WOULD_CONTINUE = """
Gedrich 1 nsubj PROPN NNP Gedrich B-PERSON
said 1 ROOT VERB VBD say O
she 3 nsubj PRON PRP she O
hoped 1 ccomp VERB VBD hope O
to 5 aux PART TO to O
win 3 xcomp VERB VB win O nospace
, 1 punct PUNCT , , O
and 1 cc CCONJ CC and O
then 10 advmod ADV RB then O
would 10 aux AUX MD would O
continue 1 conj VERB VB continue O
to 12 aux PART TO to O
campaign 10 xcomp VERB VB campaign O nospace
. 1 punct PUNCT . . O
"""


def test_a_modal_conjunct_on_the_cue_goes_on_with_what_was_said() -> None:
    assert ("Gedrich", "said", "she hoped to win, and then would continue to campaign") in (
        triples(SAID_AND_WOULD_CONTINUE)
    )


SAID_BUT_CAUTIONED = """
Starmer 1 nsubj PROPN NNP Starmer B-PERSON
said 1 ROOT VERB VBD say O
talks 3 nsubj NOUN NNS talk O
helped 1 ccomp VERB VBD help O
but 3 cc CCONJ CC but O
cautioned 3 conj VERB VBD caution O
that 8 mark SCONJ IN that O
risks 8 nsubj NOUN NNS risk O
remain 5 ccomp VERB VBP remain O nospace
. 1 punct PUNCT . . O
"""


def test_a_conjunct_in_the_cues_form_is_still_a_second_report() -> None:
    assert ("Starmer", "cautioned", "risks remain") in triples(SAID_BUT_CAUTIONED)


ACCORDING_TO_INSIDE = """
Now 10 advmod ADV RB now O nospace
, 10 punct PUNCT , , O
according 10 prep VERB VBG accord O
to 2 prep ADP IN to O
the 5 det DET DT the O
poll 3 pobj NOUN NN poll O nospace
, 10 punct PUNCT , , O
some 8 det DET DT some O
voters 10 nsubj NOUN NNS voter O
are 10 aux AUX VBP be O
swinging 10 ROOT VERB VBG swing O
to 10 prep ADP IN to O
Trump 11 pobj PROPN NNP Trump B-PERSON nospace
. 10 punct PUNCT . . O
"""


def test_according_to_inside_a_clause_reports_its_longer_side() -> None:
    assert triples(ACCORDING_TO_INSIDE) == [
        ("the poll", "according to", "some voters are swinging to Trump")
    ]


SEE_AS = """
Voters 1 nsubj NOUN NNS voter O
see 1 ROOT VERB VBP see O
Trump 1 dobj PROPN NNP Trump B-PERSON
as 1 prep ADP IN as O
a 5 det DET DT a O
threat 3 pobj NOUN NN threat O nospace
. 1 punct PUNCT . . O
"""

SAW_THE_FILM = """
Voters 1 nsubj NOUN NNS voter O
saw 1 ROOT VERB VBD see O
the 3 det DET DT the O
film 1 dobj NOUN NN film O nospace
. 1 punct PUNCT . . O
"""


def test_see_reports_a_view_only_with_an_as_predicative() -> None:
    assert triples(SEE_AS) == [("Voters", "see", "Trump as a threat")]
    assert triples(SAW_THE_FILM) == []


NOTING_AFTER_CLAUSE = """
Jones 1 nsubj PROPN NNP Jones B-PERSON
said 1 ROOT VERB VBD say O
the 3 det DET DT the O
plan 4 nsubj NOUN NN plan O
failed 1 ccomp VERB VBD fail O nospace
, 4 punct PUNCT , , O
noting 4 advcl VERB VBG note O
that 9 mark SCONJ IN that O
costs 9 nsubj NOUN NNS cost O
rose 6 ccomp VERB VBD rise O nospace
. 1 punct PUNCT . . O
"""


def test_a_reporting_participle_after_a_reported_clause_is_the_speakers() -> None:
    assert triples(NOTING_AFTER_CLAUSE) == [
        ("Jones", "said", "the plan failed"),
        ("Jones", "noting", "costs rose"),
    ]


ASKED_BY_THE_HOST = """
Sanders 2 nsubjpass PROPN NNP Sanders B-PERSON
was 2 auxpass AUX VBD be O
asked 2 ROOT VERB VBN ask O
by 2 agent ADP IN by O
the 5 det DET DT the O
host 3 pobj NOUN NN host O
whether 9 mark SCONJ IN whether O
he 9 nsubj PRON PRP he O
would 9 aux AUX MD would O
run 2 ccomp VERB VB run O nospace
. 2 punct PUNCT . . O
"""

ENDORSED_BY_THE_PAPER = """
Clinton 2 nsubjpass PROPN NNP Clinton B-PERSON
was 2 auxpass AUX VBD be O
endorsed 2 ROOT VERB VBN endorse O
by 2 agent ADP IN by O
the 5 det DET DT the O
newspaper 3 pobj NOUN NN newspaper O nospace
. 2 punct PUNCT . . O
"""

GROUP_BACKED_BY_DONORS = """
A 1 det DET DT a O
group 5 nsubj NOUN NN group O
backed 1 acl VERB VBN back O
by 2 agent ADP IN by O
donors 3 pobj NOUN NNS donor O
spent 5 ROOT VERB VBD spend O
millions 5 dobj NOUN NNS million O nospace
. 5 punct PUNCT . . O
"""


def test_a_passive_cue_with_a_by_agent_gives_the_agent_as_speaker() -> None:
    assert triples(ASKED_BY_THE_HOST) == [("the host", "was asked", "whether he would run")]
    assert triples(ENDORSED_BY_THE_PAPER) == [("the newspaper", "was endorsed", "Clinton")]
    # A participle after a noun describes it more often than it reports.
    assert triples(GROUP_BACKED_BY_DONORS) == []


NAME_AFTER_QUOTE = """
“ 1 punct PUNCT `` " O nospace
Go 6 ccomp VERB VB go O
back 1 advmod ADV RB back O nospace
, 1 punct PUNCT , , O nospace
” 1 punct PUNCT '' " O
Trump 6 compound PROPN NNP Trump B-PERSON
barked 6 ROOT VERB VBN bark O nospace
. 6 punct PUNCT . . O
"""


def test_a_name_between_a_quote_and_its_cue_is_the_speaker() -> None:
    assert [(s, c) for s, c, _ in triples(NAME_AFTER_QUOTE)] == [("Trump", "barked")]


NAME_BEFORE_SUBJECTLESS_CUE = """
In 8 prep ADP IN in O
a 2 det DET DT a O
letter 0 pobj NOUN NN letter O
to 2 prep ADP IN to O
Smith 3 pobj PROPN NNP Smith B-PERSON nospace
, 4 punct PUNCT , , O
Sullivan 4 appos PROPN NNP Sullivan B-PERSON nospace
, 4 punct PUNCT , , O
said 8 ROOT VERB VBD say O
costs 10 nsubj NOUN NNS cost O
rose 8 ccomp VERB VBD rise O nospace
. 8 punct PUNCT . . O
"""


def test_the_name_right_before_a_subjectless_main_cue_is_its_speaker() -> None:
    assert triples(NAME_BEFORE_SUBJECTLESS_CUE) == [("Sullivan", "said", "costs rose")]


DESCRIBED_AS_CLAUSE = """
Obama 1 nsubj PROPN NNP Obama B-PERSON
described 1 ROOT VERB VBD describe O
the 3 det DET DT the O
dinner 1 dobj NOUN NN dinner O
as 6 mark SCONJ IN as O
Washington 6 nsubj PROPN NNP Washington B-GPE
celebrating 1 advcl VERB VBG celebrate O
itself 6 dobj PRON PRP itself O nospace
. 1 punct PUNCT . . O
"""


def test_an_as_clause_after_the_object_is_the_predicative() -> None:
    assert triples(DESCRIBED_AS_CLAUSE) == [
        ("Obama", "described", "the dinner as Washington celebrating itself")
    ]


ANNOUNCED_TO_EXPLAIN = """
She 1 nsubj PRON PRP she O
announced 1 ROOT VERB VBD announce O
a 3 det DET DT a O
website 1 dobj NOUN NN website O
to 5 aux PART TO to O
explain 1 advcl VERB VB explain O
the 7 det DET DT the O
rules 5 dobj NOUN NNS rule O nospace
. 1 punct PUNCT . . O
"""


def test_an_infinitive_right_after_the_object_goes_on_with_it() -> None:
    assert triples(ANNOUNCED_TO_EXPLAIN) == [("She", "announced", "a website to explain the rules")]


AGREED_TO_DEBATE = """
Cruz 1 nsubj PROPN NNP Cruz B-PERSON
agreed 1 ROOT VERB VBD agree O
to 3 aux PART TO to O
debate 1 xcomp VERB VB debate O
Trump 3 dobj PROPN NNP Trump B-PERSON nospace
. 1 punct PUNCT . . O
"""

PUSHED_BACK_AGAINST = """
Rubio 1 nsubj PROPN NNP Rubio B-PERSON
pushed 1 ROOT VERB VBD push O
back 1 advmod ADV RB back O
against 1 prep ADP IN against O
the 5 det DET DT the O
charge 3 pobj NOUN NN charge O nospace
. 1 punct PUNCT . . O
"""

SUSPECTS_THAT = """
She 1 nsubj PRON PRP she O
suspects 1 ROOT VERB VBZ suspect O
that 4 mark SCONJ IN that O
he 4 nsubj PRON PRP he O
lied 1 ccomp VERB VBD lie O nospace
. 1 punct PUNCT . . O
"""


def test_lexicon_additions() -> None:
    assert triples(AGREED_TO_DEBATE) == [("Cruz", "agreed", "to debate Trump")]
    assert triples(PUSHED_BACK_AGAINST) == [("Rubio", "pushed back against", "the charge")]
    assert triples(SUSPECTS_THAT) == [("She", "suspects", "he lied")]


def _paragraphs(rows: list[tuple[str, int, str, str, str, str, str, bool]]) -> Doc:
    """A Doc whose words may be line breaks (``build_doc`` splits on whitespace)."""
    return Doc(
        _VOCAB,
        words=[r[0] for r in rows],
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
        ents=[r[6] for r in rows],
        spaces=[r[7] for r in rows],
    )


def test_a_signature_on_the_line_after_a_quote_gives_its_speaker() -> None:
    doc = _paragraphs(
        [
            ("“", 1, "punct", "PUNCT", "``", '"', "O", False),
            ("We", 3, "nsubj", "PRON", "PRP", "we", "O", True),
            ("will", 3, "aux", "AUX", "MD", "will", "O", True),
            ("win", 3, "ROOT", "VERB", "VB", "win", "O", False),
            (".", 3, "punct", "PUNCT", ".", ".", "O", False),
            ("”", 3, "punct", "PUNCT", "''", '"', "O", False),
            ("\n\n", 5, "dep", "SPACE", "_SP", "\n\n", "O", False),
            ("-", 8, "punct", "PUNCT", ":", "-", "O", True),
            ("Sanders", 8, "ROOT", "PROPN", "NNP", "Sanders", "B-PERSON", False),
            (".", 8, "punct", "PUNCT", ".", ".", "O", False),
        ]
    )
    assert triples_of(doc) == [("Sanders", "-", "We will win.")]


def test_a_quote_paragraph_continues_the_quote_before_a_long_attribution() -> None:
    # '“We won,” Smith told the Daily Planet on Tuesday night.\n\n“We will win again.”'
    rows = [
        ("“", 1, "punct", "PUNCT", "``", '"', "O", False),
        ("We", 2, "nsubj", "PRON", "PRP", "we", "O", True),
        ("won", 6, "ccomp", "VERB", "VBD", "win", "O", False),
        (",", 2, "punct", "PUNCT", ",", ",", "O", False),
        ("”", 2, "punct", "PUNCT", "''", '"', "O", True),
        ("Smith", 6, "nsubj", "PROPN", "NNP", "Smith", "B-PERSON", True),
        ("told", 6, "ROOT", "VERB", "VBD", "tell", "O", True),
        ("the", 10, "det", "DET", "DT", "the", "O", True),
        ("Daily", 9, "compound", "PROPN", "NNP", "Daily", "B-ORG", True),
        ("Planet", 10, "compound", "PROPN", "NNP", "Planet", "I-ORG", True),
        ("readers", 6, "dobj", "NOUN", "NNS", "reader", "O", True),
        ("on", 6, "prep", "ADP", "IN", "on", "O", True),
        ("Tuesday", 13, "compound", "PROPN", "NNP", "Tuesday", "B-DATE", True),
        ("night", 11, "pobj", "NOUN", "NN", "night", "I-DATE", False),
        (".", 6, "punct", "PUNCT", ".", ".", "O", False),
        ("\n\n", 14, "dep", "SPACE", "_SP", "\n\n", "O", False),
        ("“", 19, "punct", "PUNCT", "``", '"', "O", False),
        ("We", 19, "nsubj", "PRON", "PRP", "we", "O", True),
        ("will", 19, "aux", "AUX", "MD", "will", "O", True),
        ("win", 19, "ROOT", "VERB", "VB", "win", "O", True),
        ("again", 19, "advmod", "ADV", "RB", "again", "O", False),
        (".", 19, "punct", "PUNCT", ".", ".", "O", False),
        ("”", 19, "punct", "PUNCT", "''", '"', "O", False),
    ]
    found = triples_of(_paragraphs(rows))
    assert ("Smith", None, "We will win again.") in found


TOLD_LEADERS_THAT = """
He 1 nsubj PRON PRP he O
told 1 ROOT VERB VBD tell O
a 3 det DET DT a O
meeting 1 dobj NOUN NN meeting O
of 3 prep ADP IN of O
leaders 4 pobj NOUN NNS leader O
that 9 mark SCONJ IN that O
few 8 amod ADJ JJ few O
people 9 nsubj NOUN NNS people O
understood 5 relcl VERB VBD understand O nospace
. 1 punct PUNCT . . O
"""

TOLD_A_STORY_THAT = """
He 1 nsubj PRON PRP he O
told 1 ROOT VERB VBD tell O
a 3 det DET DT a O
story 1 dobj NOUN NN story O
that 5 nsubj PRON WDT that O
moved 3 relcl VERB VBD move O
voters 5 dobj NOUN NNS voter O nospace
. 1 punct PUNCT . . O
"""


def test_a_complementiser_after_the_object_opens_the_content() -> None:
    assert triples(TOLD_LEADERS_THAT) == [("He", "told", "few people understood")]
    assert triples(TOLD_A_STORY_THAT) == []
