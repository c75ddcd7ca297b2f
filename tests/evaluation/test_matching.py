"""Metric B: the overlap rule, discontinuous content, missing sources, greedy matching."""

from __future__ import annotations

from api.evaluation.brat import GoldRelation
from api.evaluation.matching import WordIndex, greedy_match, normalise, score_article
from api.evaluation.metrics import Counts
from api.evaluation.spans import CharSpan, Prediction

TEXT = (
    "“We will build it,” Mayor Ana Ruiz said on Monday. "
    "Critics say the new plan is far too costly. "
    "The council argued that the old bridge must close."
)


def at(phrase: str, text: str = TEXT) -> CharSpan:
    start = text.index(phrase)
    return start, start + len(phrase)


def relation(content: list[str], source: str | None = None) -> GoldRelation:
    return GoldRelation(
        id="E1",
        content=tuple(at(c) for c in content),
        source=(at(source),) if source else (),
    )


def test_words_overlapping_a_span_count_even_when_cut() -> None:
    index = WordIndex("Kim’s plan, re-done.")
    assert index.words([(0, 2)]) == {0}  # "Kim’s" is one word
    assert index.words([(3, 20)]) == {0, 1, 2}  # "re-done" too
    assert index.words([(10, 12)]) == frozenset()  # ", " holds no word


def test_content_needs_half_of_the_gold_words() -> None:
    gold = [relation(["the new plan is far too costly"], source="Critics")]  # 7 words
    half = Prediction(content=at("far too costly"), speaker=at("Critics"))  # 3 of 7
    assert score_article(TEXT, gold, [half]).content == Counts(tp=0, fp=1, fn=1)
    more = Prediction(content=at("is far too costly"), speaker=at("Critics"))  # 4 of 7
    score = score_article(TEXT, gold, [more])
    assert score.content == Counts(tp=1, fp=0, fn=0)
    assert score.statement == Counts(tp=1, fp=0, fn=0)


def test_discontinuous_content_counts_the_words_of_every_fragment() -> None:
    gold = [relation(["We will build it,”", "on Monday"], source="Mayor Ana Ruiz")]  # 6 words
    first_fragment = Prediction(content=at("We will build it"), speaker=at("Ana Ruiz"))
    assert score_article(TEXT, gold, [first_fragment]).statement.tp == 1  # 4 of 6
    too_little = Prediction(content=at("We will"), speaker=at("Ana Ruiz"))
    assert score_article(TEXT, gold, [too_little]).content.tp == 0  # 2 of 6


def test_relation_without_source_counts_for_content_never_for_the_statement() -> None:
    gold = [relation(["the old bridge must close"])]
    prediction = Prediction(content=at("the old bridge must close"), speaker=at("The council"))
    score = score_article(TEXT, gold, [prediction])
    assert score.content == Counts(tp=1, fp=0, fn=0)
    assert score.statement == Counts(tp=0, fp=1, fn=1)
    assert (score.speaker_matched, score.speaker_correct, score.matched_without_source) == (
        1,
        0,
        1,
    )


def test_wrong_speaker_is_a_content_match_but_not_a_statement() -> None:
    gold = [relation(["the new plan is far too costly"], source="Critics")]
    prediction = Prediction(content=at("the new plan is far too costly"), speaker=None)
    score = score_article(TEXT, gold, [prediction])
    assert (score.content.tp, score.statement.tp, score.speaker_correct) == (1, 0, 0)


def test_greedy_matching_takes_the_best_overlap_first_one_to_one() -> None:
    # (share of gold words, shared words, prediction, gold)
    pairs = [(0.6, 3, 0, 0), (1.0, 4, 0, 1), (0.5, 2, 1, 1), (0.5, 2, 1, 0)]
    # P0-G1 (1.0) first; then P0 and G1 are taken, so P1-G0 (0.5) is the next.
    assert greedy_match(pairs) == [(0, 1), (1, 0)]
    assert greedy_match([(0.5, 2, 1, 0), (0.5, 2, 0, 0)]) == [(0, 0)]  # ties: earlier first


def test_two_predictions_for_one_gold_give_one_true_positive() -> None:
    gold = [relation(["the new plan is far too costly"], source="Critics")]
    both = [
        Prediction(content=at("the new plan is far too costly"), speaker=at("Critics")),
        Prediction(content=at("plan is far too costly."), speaker=at("Critics")),
    ]
    assert score_article(TEXT, gold, both).statement == Counts(tp=1, fp=1, fn=0)


def test_exact_match_strips_quote_marks_spaces_and_punctuation_only() -> None:
    assert normalise(TEXT, at("“We will build it,” ")) == at("We will build it")
    gold = [
        relation(["“We will build it,”"], source="Mayor Ana Ruiz"),
        relation(["that the old bridge must close."], source="The council"),
    ]
    predictions = [
        Prediction(content=at("We will build it")),
        Prediction(content=at("the old bridge must close")),  # "that" is not stripped
    ]
    assert score_article(TEXT, gold, predictions).exact == Counts(tp=1, fp=1, fn=1)


def test_exact_match_of_a_discontinuous_content_is_first_to_last_fragment() -> None:
    gold = [relation(["We will build it,”", "on Monday."])]
    hull = Prediction(content=(at("We will")[0], at("on Monday")[1]))
    first = Prediction(content=at("We will build it"))
    assert score_article(TEXT, gold, [hull]).exact.tp == 1
    assert score_article(TEXT, gold, [first]).exact.tp == 0
