"""An attribution inserted in the clause it reports ("Back home, the mayor said, she
decided to run"): it is that clause's speaker and cue, never the content of the clause's
own verb, even when that verb is a cue too."""

from __future__ import annotations

from tests.extraction.docs import triples

# "decided" is a cue (a decision is attributed); the parser hangs "Ms. Dale said" on it
# as parataxis.
INSERTED_IN_A_CUE_CLAUSE = """
Back 9 advmod ADV RB back O
at 0 prep ADP IN at O
home 1 pobj NOUN NN home O nospace
, 6 punct PUNCT , , O
Ms. 5 compound PROPN NNP Ms. O
Dale 6 nsubj PROPN NNP Dale B-PERSON
said 9 parataxis VERB VBD say O nospace
, 6 punct PUNCT , , O
she 9 nsubj PRON PRP she O
decided 9 ROOT VERB VBD decide O
to 11 aux PART TO to O
open 9 xcomp VERB VB open O
a 13 det DET DT a O
bakery 11 dobj NOUN NN bakery O nospace
. 9 punct PUNCT . . O
"""

# The same verbs without the inserting commas: "decided" reports the clause hung on it.
NOT_INSERTED = """
Dale 1 nsubj PROPN NNP Dale B-PERSON
decided 1 ROOT VERB VBD decide O
she 3 nsubj PRON PRP she O
said 1 ccomp VERB VBD say O
yes 3 intj INTJ UH yes O nospace
. 1 punct PUNCT . . O
"""


def test_an_inserted_attribution_is_not_the_content_of_the_host_verb() -> None:
    found = triples(INSERTED_IN_A_CUE_CLAUSE)
    assert ("Ms. Dale", "said", "she decided to open a bakery") in found
    assert not any(content == "Ms. Dale said" for _, _, content in found)
    assert not any(cue == "decided" for _, cue, _ in found)


def test_a_clause_that_is_not_set_off_stays_the_host_verbs_content() -> None:
    found = triples(NOT_INSERTED)
    assert any(cue == "decided" and "said" in content for _, cue, content in found)
