"""Cue spans in PolNeAR's boundaries, on hand-built Docs (no model needed): the verb an
infinitive cue completes, the object of a light verb, adverbs before a cue's preposition."""

from __future__ import annotations

from api.pipeline.complements import cue_particles
from api.pipeline.cues import cue_extent
from api.pipeline.lexicon import load_lexicon
from tests.extraction.docs import build_doc, triples

LEXICON = load_lexicon()

CONTINUED_TO_CALL_FOR = """
Smith 1 nsubj PROPN NNP Smith B-PERSON
continued 1 ROOT VERB VBD continue O
to 3 aux PART TO to O
call 1 xcomp VERB VB call O
for 3 prep ADP IN for O
a 6 det DET DT a O
recount 4 pobj NOUN NN recount O nospace
. 1 punct PUNCT . . O
"""


def test_an_infinitive_cue_takes_the_verb_it_completes() -> None:
    assert triples(CONTINUED_TO_CALL_FOR) == [("Smith", "continued to call for", "a recount")]


ABLE_TO_PRAISE = """
Jones 1 nsubj PROPN NNP Jones B-PERSON
was 1 ROOT AUX VBD be O
able 1 acomp ADJ JJ able O
to 4 aux PART TO to O
praise 2 xcomp VERB VB praise O
the 6 det DET DT the O
plan 4 dobj NOUN NN plan O nospace
. 1 punct PUNCT . . O
"""


def test_an_infinitive_cue_after_an_adjective_takes_the_copula_and_the_adjective() -> None:
    assert triples(ABLE_TO_PRAISE) == [("Jones", "was able to praise", "the plan")]


VOWED_TO_ASK_FOR = """
Lee 1 nsubj PROPN NNP Lee B-PERSON
vowed 1 ROOT VERB VBD vow O
to 3 aux PART TO to O
ask 1 xcomp VERB VB ask O
for 3 prep ADP IN for O
a 6 det DET DT a O
recount 4 pobj NOUN NN recount O nospace
. 1 punct PUNCT . . O
"""


def test_a_controller_that_reports_its_infinitive_keeps_its_own_cue() -> None:
    # "vowed" reports "to ask for a recount": "ask" is inside its content, not part of it.
    doc = build_doc(VOWED_TO_ASK_FOR)
    ask = doc[3]
    start, end = cue_extent(ask, cue_particles(ask, LEXICON), LEXICON)
    assert doc.text[start:end] == "to ask for"
    assert ("Lee", "vowed", "to ask for a recount") in triples(VOWED_TO_ASK_FOR)


EXPRESSED_CONCERN_ABOUT = """
Voters 1 nsubj NOUN NNS voter O
expressed 1 ROOT VERB VBD express O
concern 1 dobj NOUN NN concern O
about 2 prep ADP IN about O
the 5 det DET DT the O
plan 3 pobj NOUN NN plan O nospace
. 1 punct PUNCT . . O
"""


def test_a_light_verb_takes_its_object_and_preposition_into_the_cue() -> None:
    assert triples(EXPRESSED_CONCERN_ABOUT) == [("Voters", "expressed concern about", "the plan")]


EXPRESSED_THEIR_CONCERN = """
Voters 1 nsubj NOUN NNS voter O
expressed 1 ROOT VERB VBD express O
their 3 poss PRON PRP$ their O
concern 1 dobj NOUN NN concern O
about 3 prep ADP IN about O
the 6 det DET DT the O
plan 4 pobj NOUN NN plan O nospace
. 1 punct PUNCT . . O
"""


def test_a_possessed_object_stays_in_the_content() -> None:
    assert triples(EXPRESSED_THEIR_CONCERN) == [
        ("Voters", "expressed", "their concern about the plan")
    ]


ISSUED_A_STATEMENT_SAYING = """
The 1 det DET DT the O
council 2 nsubj NOUN NN council O
issued 2 ROOT VERB VBD issue O
a 4 det DET DT a O
statement 2 dobj NOUN NN statement O
saying 4 acl VERB VBG say O
the 7 det DET DT the O
vote 8 nsubj NOUN NN vote O
was 5 ccomp AUX VBD be O
fair 8 acomp ADJ JJ fair O nospace
. 2 punct PUNCT . . O
"""


def test_a_light_verb_object_with_a_reporting_participle_is_cue() -> None:
    assert triples(ISSUED_A_STATEMENT_SAYING) == [
        ("The council", "issued a statement saying", "the vote was fair")
    ]


SPOKE_HIGHLY_OF = """
Ms. 1 compound PROPN NNP Ms. O
Diaz 2 nsubj PROPN NNP Diaz B-PERSON
spoke 2 ROOT VERB VBD speak O
highly 2 advmod ADV RB highly O
of 2 prep ADP IN of O
the 6 det DET DT the O
mayor 4 pobj NOUN NN mayor O nospace
. 2 punct PUNCT . . O
"""


def test_adverbs_before_the_cue_preposition_belong_to_the_cue() -> None:
    assert triples(SPOKE_HIGHLY_OF) == [("Ms. Diaz", "spoke highly of", "the mayor")]


AS_SHE_PUT_IT = """
As 2 mark SCONJ IN as O
Ruiz 2 nsubj PROPN NNP Ruiz B-PERSON
put 7 advcl VERB VBD put O
it 2 dobj PRON PRP it O nospace
, 7 punct PUNCT , , O
“ 7 punct PUNCT `` " O nospace
Nobody 7 nsubj PRON NN nobody O
listens 7 ROOT VERB VBZ listen O nospace
. 7 punct PUNCT . . O nospace
” 7 punct PUNCT '' " O
"""


def test_as_someone_put_it_reports_the_quote() -> None:
    assert triples(AS_SHE_PUT_IT) == [("Ruiz", "put it", "Nobody listens.")]


BACKED = """
The 1 det DET DT the O
union 2 nsubj NOUN NN union O
backed 2 ROOT VERB VBD back O
the 4 det DET DT the O
senator 2 dobj NOUN NN senator O nospace
. 2 punct PUNCT . . O
"""


def test_backing_a_candidate_is_a_stance() -> None:
    assert triples(BACKED) == [("The union", "backed", "the senator")]
