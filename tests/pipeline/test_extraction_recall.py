"""Constructions added for recall in issue 3 (subject control, nominal stances, trailing
phrases, split and coordinated clauses), on hand-built Docs of our own sentences."""

from __future__ import annotations

from api.pipeline.lexicon import load_lexicon
from tests.extraction.docs import triples

LEXICON = load_lexicon()


AFTER_SUGGESTING = """
After 9 prep ADP IN after O
suggesting 0 pcomp VERB VBG suggest O
that 5 mark SCONJ IN that O
taxes 5 nsubj NOUN NNS tax O
would 5 aux AUX MD would O
rise 1 ccomp VERB VB rise O nospace
, 9 punct PUNCT , , O
Mayor 8 compound PROPN NNP Mayor O
Ruiz 9 nsubj PROPN NNP Ruiz B-PERSON
left 9 ROOT VERB VBD leave O
the 11 det DET DT the O
stage 9 dobj NOUN NN stage O nospace
. 9 punct PUNCT . . O
"""


def test_a_gerund_after_a_preposition_takes_the_subject_of_the_verb_it_modifies() -> None:
    assert triples(AFTER_SUGGESTING) == [("Mayor Ruiz", "suggesting", "taxes would rise")]


LIKELY_TO_SAY = """
Voters 1 nsubj NOUN NNS voter O
were 1 ROOT AUX VBD be O
likely 1 acomp ADJ JJ likely O
to 4 aux PART TO to O
say 2 xcomp VERB VB say O
the 6 det DET DT the O
race 7 nsubj NOUN NN race O
was 4 ccomp AUX VBD be O
close 7 acomp ADJ JJ close O nospace
. 1 punct PUNCT . . O
"""

WENT_ON_AIR_TO_DEFEND = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
went 1 ROOT VERB VBD go O
on 1 prep ADP IN on O
air 2 pobj NOUN NN air O
to 5 aux PART TO to O
defend 1 advcl VERB VB defend O
her 7 poss PRON PRP$ her O
budget 5 dobj NOUN NN budget O nospace
. 1 punct PUNCT . . O
"""

PROMPTED_TO_ACCUSE = """
The 1 det DET DT the O
memo 2 nsubj NOUN NN memo O
prompted 2 ROOT VERB VBD prompt O
Ruiz 2 dobj PROPN NNP Ruiz B-PERSON
to 5 aux PART TO to O
accuse 2 xcomp VERB VB accuse O
the 7 det DET DT the O
mayor 5 dobj NOUN NN mayor O nospace
. 2 punct PUNCT . . O
"""


def test_an_infinitive_cue_takes_the_subject_that_controls_it() -> None:
    # The cue runs from the verb the infinitive completes, as PolNeAR's cues do.
    assert triples(LIKELY_TO_SAY) == [("Voters", "were likely to say", "the race was close")]
    assert triples(WENT_ON_AIR_TO_DEFEND) == [("Ruiz", "to defend", "her budget")]


def test_an_object_controlled_infinitive_gets_no_speaker_from_the_subject() -> None:
    # Ruiz accused the mayor; the memo did not. Without Ruiz as its subject, no statement.
    assert triples(PROMPTED_TO_ACCUSE) == []


SUPPORTS = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
supports 1 ROOT VERB VBZ support O
a 4 det DET DT a O
higher 4 amod ADJ JJR high O
wage 1 dobj NOUN NN wage O nospace
. 1 punct PUNCT . . O
"""


def test_a_stance_verb_reports_its_object() -> None:
    assert triples(SUPPORTS) == [("Ruiz", "supports", "a higher wage")]


ANNOUNCED_ON_MONDAY = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
announced 1 ROOT VERB VBD announce O
her 3 poss PRON PRP$ her O
engagement 1 dobj NOUN NN engagement O
to 1 prep ADP IN to O
a 6 det DET DT a O
pilot 4 pobj NOUN NN pilot O
on 1 prep ADP IN on O
Monday 7 pobj PROPN NNP Monday B-DATE nospace
. 1 punct PUNCT . . O
"""


def test_phrases_hung_on_the_cue_after_its_object_belong_to_the_content() -> None:
    # ... up to a time phrase, which says when, not what.
    assert triples(ANNOUNCED_ON_MONDAY) == [("Ruiz", "announced", "her engagement to a pilot")]


WARNED_AGAINST = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
warned 1 ROOT VERB VBD warn O
against 1 prep ADP IN against O
hasty 4 amod ADJ JJ hasty O
cuts 2 pobj NOUN NNS cut O nospace
. 1 punct PUNCT . . O
"""


def test_a_clause_verb_reports_the_noun_after_its_own_preposition() -> None:
    assert triples(WARNED_AGAINST) == [("Ruiz", "warned against", "hasty cuts")]


DID_NOT_MENTION = """
Ruiz 3 nsubj PROPN NNP Ruiz B-PERSON
did 3 aux AUX VBD do O
not 3 neg PART RB not O
mention 3 ROOT VERB VB mention O
raising 3 xcomp VERB VBG raise O
taxes 4 dobj NOUN NNS tax O nospace
. 3 punct PUNCT . . O
"""


def test_a_gerund_object_is_what_a_nominal_verb_reports() -> None:
    assert triples(DID_NOT_MENTION) == [("Ruiz", "did not mention", "raising taxes")]


SPLIT_CLAUSE = """
They 1 nsubj PRON PRP they O
hope 1 ROOT VERB VBP hope O
the 3 det DET DT the O
plan 4 nsubj NOUN NN plan O
drafted 1 ccomp VERB VBN draft O
here 4 advmod ADV RB here O
can 7 aux AUX MD can O
help 1 ccomp VERB VB help O
farmers 7 dobj NOUN NNS farmer O nospace
. 1 punct PUNCT . . O
"""


def test_a_clause_the_parser_split_in_two_complements_is_one_content() -> None:
    assert triples(SPLIT_CLAUSE) == [("They", "hope", "the plan drafted here can help farmers")]


SAID_AND_CLAUSE = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
said 1 ROOT VERB VBD say O
the 3 det DET DT the O
group 4 nsubj NOUN NN group O
is 1 ccomp AUX VBZ be O
neutral 4 acomp ADJ JJ neutral O
and 1 cc CCONJ CC and O
members 9 nsubj NOUN NNS member O
would 9 aux AUX MD would O
vote 1 conj VERB VB vote O
freely 9 advmod ADV RB freely O nospace
. 1 punct PUNCT . . O
"""

SAID_AND_CITED = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
said 1 ROOT VERB VBD say O
costs 3 nsubj NOUN NNS cost O
rose 1 ccomp VERB VBD rise O
and 1 cc CCONJ CC and O
cited 1 conj VERB VBD cite O
a 7 det DET DT a O
study 5 dobj NOUN NN study O nospace
. 1 punct PUNCT . . O
"""


def test_a_conjunct_hung_on_the_cue_goes_on_with_its_content() -> None:
    assert triples(SAID_AND_CLAUSE) == [
        ("Ruiz", "said", "the group is neutral and members would vote freely")
    ]


def test_a_coordinated_reporting_verb_is_a_statement_of_its_own() -> None:
    assert triples(SAID_AND_CITED) == [
        ("Ruiz", "said", "costs rose"),
        ("Ruiz", "cited", "a study"),
    ]


RESPONDED_TO = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
responded 1 ROOT VERB VBD respond O
to 1 prep ADP IN to O
the 4 det DET DT the O
report 2 pobj NOUN NN report O nospace
. 1 punct PUNCT . . O
"""


def test_the_object_of_a_clause_verbs_own_preposition_is_reported_words() -> None:
    # "respond" takes a clause ("responded that ..."), but "responded to X" reports too.
    assert triples(RESPONDED_TO) == [("Ruiz", "responded to", "the report")]


RELATIVE_PRONOUN = """
the 1 det DET DT the O
ballots 1 ROOT NOUN NNS ballot O nospace
, 1 punct PUNCT , , O
which 6 nsubj PRON WDT which O
he 5 nsubj PRON PRP he O
said 1 relcl VERB VBD say O
were 5 ccomp AUX VBD be O
split 6 acomp ADJ JJ split O nospace
. 1 punct PUNCT . . O
"""


def test_a_relative_pronoun_before_the_speaker_is_not_part_of_the_content() -> None:
    assert triples(RELATIVE_PRONOUN) == [("he", "said", "were split")]


CALLED_FOR_TO = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
called 1 ROOT VERB VBD call O
for 7 mark SCONJ IN for O
the 4 det DET DT the O
wage 7 nsubjpass NOUN NN wage O
to 7 aux PART TO to O
be 7 auxpass AUX VB be O
raised 1 advcl VERB VBN raise O nospace
. 1 punct PUNCT . . O
"""


def test_a_for_to_clause_the_parser_hung_on_the_cue_is_its_content() -> None:
    # "for" opens the clause and, as after "called for a repeal", belongs to the cue.
    assert triples(CALLED_FOR_TO) == [("Ruiz", "called for", "the wage to be raised")]


SAID_BECAUSE = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
said 1 ROOT VERB VBD say O
turnout 3 nsubj NOUN NN turnout O
rose 1 ccomp VERB VBD rise O
because 6 mark SCONJ IN because O
voters 6 nsubj NOUN NNS voter O
were 1 advcl AUX VBD be O
angry 6 acomp ADJ JJ angry O nospace
. 1 punct PUNCT . . O
"""


def test_a_reason_hung_on_the_cue_after_its_clause_is_part_of_what_was_said() -> None:
    assert triples(SAID_BECAUSE) == [("Ruiz", "said", "turnout rose because voters were angry")]
