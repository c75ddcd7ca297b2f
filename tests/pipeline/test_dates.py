"""When a statement was made: hand-built Docs for the rules, the English model for real parses.

Every article here is published on Wednesday 7 January 2026 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from api.pipeline.dates import StatementDate, statement_date
from api.pipeline.nlp import load_pipeline
from tests.extraction.docs import build_doc

WEDNESDAY = dt.date(2026, 1, 7)
PLAN = "the plan was sound"  # the reported content of most sentences below


def _date(
    doc: Doc, cue: str | None, content: str, published: dt.date | None = WEDNESDAY
) -> StatementDate | None:
    """The statement date for the first occurrences of ``cue`` and ``content`` in the Doc."""
    text = doc.text
    cue_start = text.index(cue) if cue is not None else None
    content_start = text.index(content)
    found = statement_date(
        doc,
        cue_start=cue_start,
        cue_end=cue_start + len(cue) if cue is not None and cue_start is not None else None,
        content_start=content_start,
        content_end=content_start + len(content),
        published=published,
    )
    if found is not None:
        assert text[found.start : found.end] == found.text
    return found


# --- Hand-built Docs: no model needed -------------------------------------------------

SAID_ON_DAY = """
Macron 1 nsubj PROPN NNP Macron B-PERSON
said 1 ROOT VERB VBD say O
on 1 prep ADP IN on O
{day} 2 pobj PROPN NNP {day} B-DATE
that 7 mark SCONJ IN that O
France 7 nsubj PROPN NNP France B-GPE
would 7 aux AUX MD would O
help 1 ccomp VERB VB help O nospace
. 1 punct PUNCT . . O
"""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("Tuesday", dt.date(2026, 1, 6)),
        # dateparser answers 31 December for the publication weekday; it is the same day.
        ("Wednesday", dt.date(2026, 1, 7)),
        ("Thursday", dt.date(2026, 1, 1)),
        ("Monday", dt.date(2026, 1, 5)),
    ],
)
def test_weekday_is_the_latest_such_day_on_or_before_publication(
    day: str, expected: dt.date
) -> None:
    doc = build_doc(SAID_ON_DAY.format(day=day))
    found = _date(doc, "said", "France would help")
    assert found == StatementDate(date=expected, text=f"on {day}", start=12, end=15 + len(day))


def test_weekday_without_publication_date_is_unresolved() -> None:
    doc = build_doc(SAID_ON_DAY.format(day="Tuesday"))
    assert _date(doc, "said", "France would help", published=None) is None


def test_bare_words_the_tagger_missed_still_count() -> None:
    doc = build_doc(
        """
        Merz 1 nsubj PROPN NNP Merz O
        said 1 ROOT VERB VBD say O
        last 3 amod ADJ JJ last O
        night 1 npadvmod NOUN NN night O
        that 6 mark SCONJ IN that O
        it 6 nsubj PRON PRP it O
        was 1 ccomp AUX VBD be O
        sound 6 acomp ADJ JJ sound O nospace
        . 1 punct PUNCT . . O
        """
    )
    found = _date(doc, "said", "it was sound")
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 6), "last night")


def test_the_date_attached_to_the_cue_beats_a_nearer_one() -> None:
    # "Monday" is nearer to "said" but dates the visit; "on Tuesday" modifies the speaking.
    doc = build_doc(
        """
        Macron 13 nsubj PROPN NNP Macron B-PERSON nospace
        , 0 punct PUNCT , , O
        speaking 0 acl VERB VBG speak O
        on 2 prep ADP IN on O
        Tuesday 3 pobj PROPN NNP Tuesday B-DATE
        after 2 prep ADP IN after O
        a 7 det DET DT a O
        visit 5 pobj NOUN NN visit O
        to 7 prep ADP IN to O
        Kyiv 8 pobj PROPN NNP Kyiv B-GPE
        on 7 prep ADP IN on O
        Monday 10 pobj PROPN NNP Monday B-DATE nospace
        , 0 punct PUNCT , , O
        said 13 ROOT VERB VBD say O
        that 17 mark SCONJ IN that O
        troops 17 nsubj NOUN NNS troop O
        would 17 aux AUX MD would O
        go 13 ccomp VERB VB go O nospace
        . 13 punct PUNCT . . O
        """
    )
    found = _date(doc, "said", "troops would go")
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 6), "on Tuesday")


def test_a_vague_time_on_the_cue_is_not_replaced_by_another_clause_s_day() -> None:
    # "on Monday" dates the confirming; Merz spoke "last week", which has no day.
    doc = build_doc(
        """
        Officials 1 nsubj NOUN NNS official O
        confirmed 1 ROOT VERB VBD confirm O
        on 1 prep ADP IN on O
        Monday 2 pobj PROPN NNP Monday B-DATE
        that 6 mark SCONJ IN that O
        Merz 6 nsubj PROPN NNP Merz B-PERSON
        said 1 ccomp VERB VBD say O
        last 8 amod ADJ JJ last B-DATE
        week 6 npadvmod NOUN NN week I-DATE
        that 12 mark SCONJ IN that O
        the 11 det DET DT the O
        plan 12 nsubj NOUN NN plan O
        was 6 ccomp AUX VBD be O
        sound 12 acomp ADJ JJ sound O nospace
        . 1 punct PUNCT . . O
        """
    )
    assert _date(doc, "said", PLAN) is None


def test_a_weekday_inside_a_name_is_not_a_date() -> None:
    doc = build_doc(
        """
        Merz 1 nsubj PROPN NNP Merz B-PERSON
        told 1 ROOT VERB VBD tell O
        the 4 det DET DT the O
        Sunday 4 compound PROPN NNP Sunday B-ORG
        Times 1 dobj PROPN NNP Times I-ORG
        that 8 mark SCONJ IN that O
        it 8 nsubj PRON PRP it O
        was 1 ccomp AUX VBD be O
        sound 8 acomp ADJ JJ sound O nospace
        . 1 punct PUNCT . . O
        """
    )
    assert _date(doc, "told", "it was sound") is None


def test_a_date_in_another_sentence_is_ignored_hand_built() -> None:
    doc = build_doc(
        """
        Talks 1 nsubj NOUN NNS talk O
        ended 1 ROOT VERB VBD end O
        on 1 prep ADP IN on O
        Monday 2 pobj PROPN NNP Monday B-DATE nospace
        . 1 punct PUNCT . . O
        Merz 6 nsubj PROPN NNP Merz B-PERSON
        said 6 ROOT VERB VBD say O
        it 8 nsubj PRON PRP it O
        was 6 ccomp AUX VBD be O
        over 8 advmod ADV RB over O nospace
        . 6 punct PUNCT . . O
        """
    )
    assert _date(doc, "said", "it was over") is None


# --- Real parses through the project's pipeline -----------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.mark.nlp
def test_said_on_tuesday_is_the_day_before_a_wednesday_article(nlp: Language) -> None:
    text = "Macron said on Tuesday that France could contribute several thousand troops."
    found = _date(nlp(text), "said", "France could contribute several thousand troops")
    assert found == StatementDate(date=dt.date(2026, 1, 6), text="on Tuesday", start=12, end=22)


@pytest.mark.nlp
def test_said_on_the_publication_weekday_is_the_publication_day(nlp: Language) -> None:
    found = _date(nlp("Merz said on Wednesday that the plan was sound."), "said", PLAN)
    assert found is not None
    assert found.date == WEDNESDAY


@pytest.mark.nlp
def test_yesterday(nlp: Language) -> None:
    found = _date(nlp("Merz said yesterday that the plan was sound."), "said", PLAN)
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 6), "yesterday")


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("on January 5", dt.date(2026, 1, 5)),
        ("on 5 January", dt.date(2026, 1, 5)),
        ("on December 30", dt.date(2025, 12, 30)),  # the publication year would be the future
        ("on February 20", dt.date(2025, 2, 20)),  # over a month ahead: last year's
        ("on January 20", None),  # two weeks after publication: not when it was said
        ("on January 20, 2026", dt.date(2026, 1, 20)),  # a full date means what it says
    ],
)
def test_explicit_dates(nlp: Language, written: str, expected: dt.date | None) -> None:
    found = _date(nlp(f"Merz said {written} that the plan was sound."), "said", PLAN)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.date, found.text) == (expected, written)


@pytest.mark.nlp
def test_a_date_inside_the_quote_is_what_was_talked_about(nlp: Language) -> None:
    text = "“We will meet again on Friday,” Macron said."
    assert _date(nlp(text), "said", "We will meet again on Friday") is None


@pytest.mark.nlp
def test_the_date_outside_the_quote_wins_over_the_one_inside(nlp: Language) -> None:
    text = "“We will meet again on Friday,” Macron said on Tuesday."
    found = _date(nlp(text), "said", "We will meet again on Friday")
    assert found == StatementDate(date=dt.date(2026, 1, 6), text="on Tuesday", start=44, end=54)


@pytest.mark.nlp
@pytest.mark.parametrize("vague", ["last week", "this year", "recently", "in recent days"])
def test_vague_times_give_no_date(nlp: Language, vague: str) -> None:
    found = _date(nlp(f"Merz said {vague} that the plan was sound."), "said", PLAN)
    assert found is None


@pytest.mark.nlp
def test_without_publication_date_only_full_dates_resolve(nlp: Language) -> None:
    relative = nlp("Merz said on Tuesday that the plan was sound.")
    assert _date(relative, "said", PLAN, published=None) is None
    full = nlp("Zelensky said on Jan. 5, 2026, that the attack had killed five people.")
    found = _date(full, "said", "the attack had killed five people", published=None)
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 5), "on Jan. 5, 2026")


@pytest.mark.nlp
def test_weekday_in_a_trailing_clause_after_the_cue(nlp: Language) -> None:
    text = "“The talks are over,” Starmer told reporters on Monday."
    found = _date(nlp(text), "told", "The talks are over")
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 5), "on Monday")


@pytest.mark.nlp
def test_a_date_entity_in_another_sentence_is_ignored(nlp: Language) -> None:
    doc = nlp("The summit ended on Monday. Merz said that the plan was sound.")
    assert any(e.label_ == "DATE" for e in doc.ents)
    assert _date(doc, "said", PLAN) is None


@pytest.mark.nlp
def test_sentence_opening_weekday_with_time_of_day(nlp: Language) -> None:
    text = "On Tuesday evening, Zelensky said that the attack had killed five people."
    found = _date(nlp(text), "said", "the attack had killed five people")
    assert found is not None
    assert (found.date, found.text, found.start) == (dt.date(2026, 1, 6), "On Tuesday evening", 0)


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text",
    [
        "Speaking to the Mail on Sunday, Merz said that the plan was sound.",
        "Ahead of Tuesday's vote, Merz said that the plan was sound.",
    ],
)
def test_weekdays_that_do_not_date_the_speaking(nlp: Language, text: str) -> None:
    assert _date(nlp(text), "said", PLAN) is None


@pytest.mark.nlp
def test_without_a_cue_the_sentence_of_the_content_is_searched(nlp: Language) -> None:
    found = _date(nlp("Merz on Tuesday: “The plan is sound.”"), None, "The plan is sound.")
    assert found is not None
    assert (found.date, found.text) == (dt.date(2026, 1, 6), "on Tuesday")
