"""Extraction rules on hand-built Docs (no model needed)."""

from __future__ import annotations

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon
from api.pipeline.resolve import resolve_speakers
from tests.extraction.docs import build_doc, chars

LEXICON = load_lexicon()

DIRECT_AFTER_QUOTE = """
“ 9 punct PUNCT `` " O nospace
This 2 det DET DT this O
carnage 3 nsubj NOUN NN carnage O
has 9 ccomp VERB VBZ have O
to 5 aux PART TO to O
stop 3 xcomp VERB VB stop O nospace
, 9 punct PUNCT , , O nospace
” 9 punct PUNCT '' " O
Witkoff 9 nsubj PROPN NNP Witkoff B-PERSON
said 9 ROOT VERB VBD say O nospace
. 9 punct PUNCT . . O
"""

PARTIAL_QUOTE = """
Macron 1 nsubj PROPN NNP Macron B-PERSON
said 1 ROOT VERB VBD say O
France 4 nsubj PROPN NNP France B-GPE
could 4 aux AUX MD could O
contribute 1 ccomp VERB VB contribute O
“ 7 punct PUNCT `` " O nospace
several 7 amod ADJ JJ several O
thousand 9 nummod NUM CD thousand O nospace
” 7 punct PUNCT '' " O
troops 4 dobj NOUN NNS troop O nospace
. 1 punct PUNCT . . O
"""

PRONOUN_NOT_NEAREST_NAME = """
Witkoff 1 nsubj PROPN NNP Witkoff B-PERSON
said 1 ROOT VERB VBD say O
peace 3 nsubj NOUN NN peace O
was 1 ccomp AUX VBD be O
near 3 acomp ADJ JJ near O nospace
. 1 punct PUNCT . . O
Standing 12 advcl VERB VBG stand O
alongside 6 prep ADP IN alongside O
Jared 9 compound PROPN NNP Jared B-PERSON
Kushner 7 pobj PROPN NNP Kushner I-PERSON nospace
, 12 punct PUNCT , , O
he 12 nsubj PRON PRP he O
cautioned 12 ROOT VERB VBD caution O
that 16 mark SCONJ IN that O
compromises 16 nsubjpass NOUN NNS compromise O
were 16 auxpass AUX VBD be O
needed 12 ccomp VERB VBN need O nospace
. 12 punct PUNCT . . O
"""

ACCORDING_THEN_PUBLICATION = """
According 6 prep VERB VBG accord O
to 0 prep ADP IN to O
Reuters 1 pobj PROPN NNP Reuters B-ORG nospace
, 6 punct PUNCT , , O
the 5 det DET DT the O
pledge 6 nsubj NOUN NN pledge O
came 6 ROOT VERB VBD come O
at 6 prep ADP IN at O
a 9 det DET DT a O
summit 7 pobj NOUN NN summit O nospace
. 6 punct PUNCT . . O
The 12 det DET DT the O
publication 13 nsubj NOUN NN publication O
noted 13 ROOT VERB VBD note O
that 16 mark SCONJ IN that O
envoys 16 nsubj NOUN NNS envoy O
attended 13 ccomp VERB VBD attend O nospace
. 13 punct PUNCT . . O
"""

GOVERNMENT_BY_METONYMY = """
Kyiv 1 nsubj PROPN NNP Kyiv B-PERSON
said 1 ROOT VERB VBD say O
a 3 det DET DT a O
deal 4 nsubj NOUN NN deal O
was 1 ccomp AUX VBD be O
ready 4 acomp ADJ JJ ready O nospace
. 1 punct PUNCT . . O
"""


def test_direct_quote_with_speaker_after_it() -> None:
    doc = build_doc(DIRECT_AFTER_QUOTE)
    (statement,) = extract_statements(doc, LEXICON)
    assert statement.kind == "direct"
    assert (
        chars(doc.text, statement.content_start, statement.content_end)
        == "This carnage has to stop"
    )
    assert chars(doc.text, statement.cue_start, statement.cue_end) == "said"
    assert statement.speaker is not None
    assert (statement.speaker.kind, statement.speaker.name) == ("person", "Witkoff")


def test_partial_quote_inside_reported_speech() -> None:
    doc = build_doc(PARTIAL_QUOTE)
    (statement,) = extract_statements(doc, LEXICON)
    assert statement.kind == "partial"
    assert (
        chars(doc.text, statement.content_start, statement.content_end)
        == "France could contribute “several thousand” troops"
    )
    assert [doc.text[s:e] for s, e in statement.quotes] == ["several thousand"]


def test_pronoun_takes_the_previous_speaker_not_the_nearest_name() -> None:
    doc = build_doc(PRONOUN_NOT_NEAREST_NAME)
    statements = extract_statements(doc, LEXICON)
    assert [s.kind for s in statements] == ["reported", "reported"]
    resolved = resolve_speakers(doc, statements)
    second = resolved[1]
    assert chars(doc.text, second.candidate.content_start, second.candidate.content_end) == (
        "compromises were needed"
    )
    assert second.speaker is not None
    assert second.speaker.name == "Witkoff"
    assert second.confidence < resolved[0].confidence  # a pronoun costs confidence


def test_according_to_credits_the_outlet_and_the_publication_refers_back() -> None:
    doc = build_doc(ACCORDING_THEN_PUBLICATION)
    statements = extract_statements(doc, LEXICON)
    according, noted = resolve_speakers(doc, statements)
    assert according.candidate.kind == "according_to"
    assert according.credited == ("Reuters",)
    assert according.speaker is not None and according.speaker.kind == "media"
    assert chars(doc.text, according.candidate.content_start, according.candidate.content_end) == (
        "the pledge came at a summit"
    )
    assert noted.speaker is not None
    assert (noted.speaker.kind, noted.speaker.name) == ("media", "Reuters")


def test_capital_city_speaks_for_its_government_even_when_tagged_a_person() -> None:
    doc = build_doc(GOVERNMENT_BY_METONYMY)
    (statement,) = resolve_speakers(doc, extract_statements(doc, LEXICON))
    assert statement.speaker is not None
    assert (statement.speaker.kind, statement.speaker.name) == ("government", "Ukraine")


PRONOUN_WITHOUT_ANTECEDENT = """
Standing 6 advcl VERB VBG stand O
alongside 0 prep ADP IN alongside O
Jared 3 compound PROPN NNP Jared B-PERSON
Kushner 1 pobj PROPN NNP Kushner I-PERSON nospace
, 6 punct PUNCT , , O
he 6 nsubj PRON PRP he O
cautioned 6 ROOT VERB VBD caution O
that 10 mark SCONJ IN that O
compromises 10 nsubjpass NOUN NNS compromise O
were 10 auxpass AUX VBD be O
needed 6 ccomp VERB VBN need O nospace
. 6 punct PUNCT . . O
"""


def test_pronoun_without_antecedent_keeps_no_speaker() -> None:
    doc = build_doc(PRONOUN_WITHOUT_ANTECEDENT)
    # Kushner is the only name, and he is not a subject: nobody for "he" to refer to.
    (alone,) = resolve_speakers(doc, extract_statements(doc, LEXICON))
    assert alone.speaker is None
    assert alone.confidence < 0.5


def test_pronoun_takes_a_more_recent_subject_over_an_older_speaker() -> None:
    doc = build_doc(PRONOUN_NOT_NEAREST_NAME)
    statements = extract_statements(doc, LEXICON)
    # Only the second statement is known: "Witkoff" is then just the subject of a clause.
    (alone,) = resolve_speakers(doc, statements[1:])
    assert alone.speaker is not None and alone.speaker.name == "Witkoff"


PARTICIPLE = """
Merz 1 nsubj PROPN NNP Merz B-PERSON
signaled 1 ROOT VERB VBD signal O
openness 1 dobj NOUN NN openness O nospace
, 1 punct PUNCT , , O
saying 1 advcl VERB VBG say O
forces 7 nsubj NOUN NNS force O
could 7 aux AUX MD could O
help 4 ccomp VERB VB help O nospace
. 1 punct PUNCT . . O
"""

SPEAKER_IN_THE_MIDDLE = """
“ 6 punct PUNCT `` " O nospace
We 2 nsubj PRON PRP we O
will 6 ccomp AUX MD will O nospace
, 6 punct PUNCT , , O nospace
” 6 punct PUNCT '' " O
Merz 6 nsubj PROPN NNP Merz B-PERSON
said 6 ROOT VERB VBD say O nospace
, 6 punct PUNCT , , O
“ 11 punct PUNCT `` " O nospace
but 11 cc CCONJ CC but O
not 11 neg PART RB not O
now 6 advmod ADV RB now O nospace
. 6 punct PUNCT . . O nospace
” 6 punct PUNCT '' " O
"""


def test_participle_takes_the_subject_of_its_clause_and_bare_objects_say_nothing() -> None:
    doc = build_doc(PARTICIPLE)
    (statement,) = extract_statements(doc, LEXICON)  # "signaled openness" reports no words
    assert chars(doc.text, statement.cue_start, statement.cue_end) == "saying"
    assert chars(doc.text, statement.content_start, statement.content_end) == "forces could help"
    assert statement.speaker is not None and statement.speaker.name == "Merz"


def test_quote_split_by_its_speaker_keeps_the_speaker_for_both_parts() -> None:
    doc = build_doc(SPEAKER_IN_THE_MIDDLE)
    first, second = resolve_speakers(doc, extract_statements(doc, LEXICON))
    assert chars(doc.text, first.candidate.content_start, first.candidate.content_end) == "We will"
    assert chars(doc.text, second.candidate.content_start, second.candidate.content_end) == (
        "but not now."
    )
    assert first.speaker is not None and second.speaker is not None
    assert first.speaker.name == second.speaker.name == "Merz"
    assert second.candidate.cue_start is None  # carried over, not read off a cue
    assert second.confidence < first.confidence
