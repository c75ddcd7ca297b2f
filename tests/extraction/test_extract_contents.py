"""Contents beyond the clausal complement, speakers the parse misplaces, and pronoun
strategies, on hand-built Docs (no model needed). Sentences are made up."""

from __future__ import annotations

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon
from api.pipeline.pronouns import PronounStrategy
from api.pipeline.resolve import resolve_speakers
from tests.extraction.docs import build_doc, chars
from tests.extraction.test_extract_rules import PRONOUN_NOT_NEAREST_NAME

LEXICON = load_lexicon()

INFINITIVE = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
urged 1 ROOT VERB VBD urge O
voters 1 dobj NOUN NNS voter O
to 4 aux PART TO to O
stay 1 xcomp VERB VB stay O
home 4 advmod ADV RB home O nospace
. 1 punct PUNCT . . O
"""

CONTINUED_TO = """
Ruiz 1 nsubj PROPN NNP Ruiz B-PERSON
continued 1 ROOT VERB VBD continue O
to 3 aux PART TO to O
campaign 1 xcomp VERB VB campaign O nospace
. 1 punct PUNCT . . O
"""

CALLED_FOR = """
The 1 det DET DT the O
union 2 nsubj NOUN NN union O
called 2 ROOT VERB VBD call O
for 2 prep ADP IN for O
a 6 det DET DT a O
new 6 amod ADJ JJ new O
vote 3 pobj NOUN NN vote O nospace
. 2 punct PUNCT . . O
"""

RELATIVE_PRONOUN = """
Ana 1 compound PROPN NNP Ana B-PERSON
Ruiz 1 ROOT PROPN NNP Ruiz I-PERSON nospace
, 1 punct PUNCT , , O
who 4 nsubj PRON WP who O
said 1 relcl VERB VBD say O
taxes 7 nsubj NOUN NNS tax O
would 7 aux AUX MD will O
rise 4 ccomp VERB VB rise O nospace
, 1 punct PUNCT , , O
"""

INSERTED_CUE = """
The 1 det DET DT the O
talks 6 nsubj NOUN NNS talk O nospace
, 4 punct PUNCT , , O
Ruiz 4 nsubj PROPN NNP Ruiz B-PERSON
said 6 parataxis VERB VBD say O nospace
, 4 punct PUNCT , , O
were 6 ROOT AUX VBD be O
useful 6 acomp ADJ JJ useful O
and 7 cc CCONJ CC and O
long 7 conj ADJ JJ long O
overdue 7 conj ADJ JJ overdue O nospace
. 6 punct PUNCT . . O
"""

QUOTED_SUBJECT = """
“ 8 punct PUNCT `` " O nospace
Not 2 neg PART RB not O
now 8 advmod ADV RB now O nospace
. 8 punct PUNCT . . O
One 8 nsubj NUM CD one O
day 4 npadvmod NOUN NN day O nospace
, 8 punct PUNCT , , O nospace
” 8 punct PUNCT '' " O
said 8 ROOT VERB VBD say O
Ruiz 8 npadvmod PROPN NNP Ruiz B-PERSON nospace
. 8 punct PUNCT . . O
"""

SIGNED = """
“ 3 punct PUNCT `` " O nospace
We 3 nsubj PRON PRP we O
will 3 aux AUX MD will O
win 3 ROOT VERB VB win O nospace
. 3 punct PUNCT . . O nospace
” 3 punct PUNCT '' " O
― 3 punct PUNCT : ― O
Ana 8 compound PROPN NNP Ana B-PERSON
Ruiz 3 npadvmod PROPN NNP Ruiz I-PERSON
"""

NESTED_INTENTION = """
The 1 det DET DT the O
draft 2 nsubj NOUN NN draft O
says 2 ROOT VERB VBZ say O
Washington 4 nsubj PROPN NNP Washington B-GPE
intends 2 ccomp VERB VBZ intend O
to 6 aux PART TO to O
help 4 xcomp VERB VB help O nospace
. 2 punct PUNCT . . O
"""

GENDERED = """
Mr. 1 compound PROPN NNP Mr. O
Holt 2 nsubj PROPN NNP Holt B-PERSON
said 2 ROOT VERB VBD say O
rates 5 nsubj NOUN NNS rate O
would 5 aux AUX MD will O
fall 2 ccomp VERB VB fall O nospace
. 2 punct PUNCT . . O
She 8 nsubj PRON PRP she O
said 8 ROOT VERB VBD say O
prices 11 nsubj NOUN NNS price O
would 11 aux AUX MD will O
rise 8 ccomp VERB VB rise O nospace
. 8 punct PUNCT . . O
"""


def test_an_infinitive_after_a_verb_of_demand_is_the_content_with_its_object() -> None:
    doc = build_doc(INFINITIVE)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.content_start, statement.content_end) == (
        "voters to stay home"
    )


def test_an_infinitive_after_continue_reports_nothing() -> None:
    assert extract_statements(build_doc(CONTINUED_TO), LEXICON) == []


def test_a_preposition_after_the_cue_belongs_to_the_cue() -> None:
    doc = build_doc(CALLED_FOR)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.cue_start, statement.cue_end) == "called for"
    assert chars(doc.text, statement.content_start, statement.content_end) == "a new vote"


def test_a_relative_pronoun_is_the_mention_and_its_antecedent_the_speaker() -> None:
    doc = build_doc(RELATIVE_PRONOUN)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.speaker_start, statement.speaker_end) == "who"
    assert statement.speaker is not None and statement.speaker.name == "Ana Ruiz"


def test_an_inserted_cue_reports_the_longer_side_of_its_clause() -> None:
    doc = build_doc(INSERTED_CUE)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.content_start, statement.content_end) == (
        "were useful and long overdue"
    )
    assert chars(doc.text, statement.speaker_start, statement.speaker_end) == "Ruiz"


def test_quoted_words_are_never_their_own_speaker() -> None:
    doc = build_doc(QUOTED_SUBJECT)
    (statement,) = extract_statements(doc, LEXICON)
    assert statement.kind == "direct"
    assert chars(doc.text, statement.speaker_start, statement.speaker_end) == "Ruiz"


def test_a_quote_signed_with_a_dash_takes_the_signature_as_speaker() -> None:
    doc = build_doc(SIGNED)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.content_start, statement.content_end) == "We will win."
    assert statement.speaker is not None and statement.speaker.name == "Ana Ruiz"
    assert chars(doc.text, statement.cue_start, statement.cue_end) == "―"


def test_an_intention_inside_reported_words_is_not_the_subjects_statement() -> None:
    doc = build_doc(NESTED_INTENTION)
    (statement,) = extract_statements(doc, LEXICON)
    assert statement.speaker is not None and statement.speaker.kind == "document"


def test_pronoun_strategies() -> None:
    doc = build_doc(PRONOUN_NOT_NEAREST_NAME)
    statements = extract_statements(doc, LEXICON)

    def second(strategy: PronounStrategy) -> str | None:
        speaker = resolve_speakers(doc, statements, pronouns=strategy)[1].speaker
        return None if speaker is None else speaker.name

    assert second(PronounStrategy.SALIENCE) == "Witkoff"  # the default
    assert second(PronounStrategy.NEAREST_NAME) == "Jared Kushner"
    assert second(PronounStrategy.NONE) is None


def test_she_is_not_a_man_the_article_calls_mr() -> None:
    doc = build_doc(GENDERED)
    first, second = resolve_speakers(doc, extract_statements(doc, LEXICON))
    assert first.speaker is not None and first.speaker.name == "Holt"
    assert second.speaker is None


NOUN_CUE = """
Ruiz 2 poss PROPN NNP Ruiz B-PERSON nospace
's 0 case PART POS 's O
claim 7 nsubj NOUN NN claim O
that 6 mark SCONJ IN that O
taxes 6 nsubj NOUN NNS tax O
would 6 aux AUX MD will O
fall 2 acl VERB VB fall O
proved 7 ROOT VERB VBD prove O
false 7 acomp ADJ JJ false O nospace
. 7 punct PUNCT . . O
"""


def test_a_reporting_noun_with_a_possessor_and_a_that_clause() -> None:
    doc = build_doc(NOUN_CUE)
    (statement,) = extract_statements(doc, LEXICON)
    assert chars(doc.text, statement.cue_start, statement.cue_end) == "claim"
    assert chars(doc.text, statement.content_start, statement.content_end) == ("taxes would fall")
    assert statement.speaker is not None and statement.speaker.name == "Ruiz"
