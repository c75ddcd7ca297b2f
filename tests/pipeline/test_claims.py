"""The claim matching rules on hand-made pairs, and the light normaliser under them."""

from __future__ import annotations

import random

import pytest

from api.pipeline.claim_text import content_lemmas, numbers, stem, tokens
from api.pipeline.claims import (
    ClaimFeatures,
    Kinship,
    claim_features,
    claim_keys,
    kinship,
    match_score,
    same_claim,
)
from api.pipeline.claims import _longest_common_run as _longest_common_run  # the matcher's core

MACRON, STARMER, WITKOFF, MERZ = 1, 2, 3, 4
DRAFT, AGENCY = 10, 11


def said(
    text: str,
    speaker: int | None = None,
    kind: str | None = "person",
    name: str | None = None,
    quoted: bool = False,
) -> ClaimFeatures:
    """A statement's features; ``quoted`` marks every “…” fragment of ``text`` as a quote."""
    quotes = []
    if quoted:
        rest = text
        while "“" in rest and "”" in rest:
            start = rest.index("“") + 1
            end = rest.index("”", start)
            quotes.append(rest[start:end])
            rest = rest[end + 1 :]
    return claim_features(text, quotes, speaker, kind if speaker else None, name)


# Same quote, two outlets, attributed in different words.


def test_the_same_quote_carried_by_two_outlets_is_one_claim() -> None:
    direct = said(
        "France could contribute “several thousand” troops in a postwar setting",
        MACRON,
        quoted=True,
    )
    other_outlet = said(
        "“several thousand” French troops could be deployed in a non-combat role",
        MACRON,
        quoted=True,
    )
    assert same_claim(direct, other_outlet)


def test_a_quote_carried_without_quote_marks_and_without_a_resolved_speaker() -> None:
    # One outlet credits Starmer; the other says "France and the UK announced plans".
    starmer = said(
        "after a ceasefire, the UK and France would establish “military hubs” across "
        "Ukraine and build protected facilities for weapons",
        STARMER,
        quoted=True,
    )
    unattributed = said(
        "plans to set up military hubs and protected weapons facilities inside Ukraine "
        "if a ceasefire takes hold"
    )
    assert same_claim(starmer, unattributed)


def test_a_short_whole_quote_needs_no_other_words() -> None:
    quote = said("“That makes me smart.”", None, quoted=True)
    reported = said("Not paying taxes “makes me smart”", 5, name="Donald Trump", quoted=True)
    assert same_claim(quote, reported)


def test_part_of_a_long_quote_is_not_enough() -> None:
    # Three common words of a long quote: a phrase, not the claim.
    sanders = said(
        "he would “introduce legislation in the next session of Congress to fix our rigged "
        "tax system and close loopholes Donald Trump used to avoid paying federal income "
        "taxes”",
        quoted=True,
    )
    clinton = said("Trump may have paid no federal income taxes for years", 6)
    assert not same_claim(sanders, clinton)


# A reported fact, paraphrased.


def test_a_reported_fact_paraphrased_by_two_sources_is_one_claim() -> None:
    draft = said(
        "the United States would lead a ceasefire monitoring mechanism with European partners",
        DRAFT,
        kind="document",
    )
    agency = said(
        "Washington would lead the ceasefire monitoring mechanism, working with its European "
        "partners",
        AGENCY,
        kind="media",
    )
    assert kinship(draft, agency) is Kinship.UNKNOWN  # two generic sources
    assert same_claim(draft, agency)


def test_inflected_wordings_meet() -> None:
    a = said("the allies agreed to deploy troops and to monitor the cease-fire", DRAFT)
    b = said("the allies are agreeing to troop deployments and ceasefire monitoring", DRAFT)
    assert a.lemmas == b.lemmas
    assert same_claim(a, b)


# What must not merge.


def test_different_numbers_do_not_merge() -> None:
    first = said("Clinton leads Trump by 46 percent to 42 percent", 7, kind="organisation")
    second = said("Clinton leads Trump by 43 percent to 38 percent", 7, kind="organisation")
    assert match_score(first, second) is None


def test_more_numbers_on_one_side_do_not_disagree() -> None:
    first = said("Trump reported a loss of $916 million in 1995", 8, kind="document")
    second = said("Trump reported a loss of $916 million", 8, kind="document")
    assert same_claim(first, second)


def test_different_speakers_with_the_same_generic_words_do_not_merge() -> None:
    witkoff = said("“a lot of progress” had been made", WITKOFF, quoted=True)
    starmer = said("the talks made “excellent progress”", STARMER, quoted=True)
    assert kinship(witkoff, starmer) is Kinship.NEVER
    assert not same_claim(witkoff, starmer)
    # Even word for word: two people saying it are two claims.
    words = "compromises will be needed"
    assert not same_claim(said(words, WITKOFF), said(words, MERZ))


def test_a_scare_quote_shared_by_unattributed_statements_does_not_merge() -> None:
    first = said("the “coalition of the willing” met in Paris on Tuesday", quoted=True)
    second = said("the “coalition of the willing” will send troops to Kyiv", quoted=True)
    assert not same_claim(first, second)


def test_a_catchphrase_the_same_speaker_repeats_is_not_a_claim() -> None:
    trump = 30
    first = said("the networks are “fake news” and ratings are down", trump, quoted=True)
    second = said("the poll published today is “fake news”", trump, quoted=True)
    assert not same_claim(first, second)


def test_a_statement_and_its_denial_do_not_merge() -> None:
    claim = said("Trump paid federal income taxes in those years", 9, kind="organisation")
    denial = said("Trump has not paid federal income taxes in those years", 9, kind="organisation")
    assert not same_claim(claim, denial)
    believe = said("“I don't believe in the devil.”", quoted=True)
    kidding = said("“Of course I believe in the devil. I was just kidding.”", quoted=True)
    assert not same_claim(believe, kidding)


def test_a_surname_and_the_full_name_may_be_one_speaker() -> None:
    short = said("x", 20, name="Trump")
    full = said("y", 21, name="Donald Trump")
    other = said("z", 22, name="Hillary Clinton")
    assert kinship(short, full) is Kinship.UNKNOWN
    assert kinship(short, other) is Kinship.NEVER


# The normaliser and the index keys.


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("monitoring", "monitor"),
        ("monitored", "monitor"),
        ("making", "make"),
        ("made", "make"),
        ("taxes", "tax"),
        ("planned", "plan"),
        ("used", "use"),
        ("deployment", "deploy"),
        ("french", "franc"),
        ("france", "franc"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_names_numbers_and_compounds_have_one_spelling() -> None:
    assert tokens("U.S.-led cease-fire") == ("us", "led", "ceasefire")
    assert tokens("the United States and Washington") == ("the", "us", "and", "us")
    assert tokens("The Washington Post")[1:] == ("washington", "post")
    assert numbers(tokens("20 percent, 20% and $916 million; 1,500 troops")) == {
        "20%",
        "916m",
        "1500",
    }
    assert content_lemmas(tokens("European-led force")) == ("europ", "lead", "forc")


def test_keys_are_stable_and_shared_by_reordered_wordings() -> None:
    first = claim_keys("a multinational force would be deployed once fighting stops")
    second = claim_keys("allies would deploy a multinational military force")
    assert first & second  # (multinational, force) and (deploy, multinational)
    assert claim_keys("a multinational force") == claim_keys("A multinational FORCE")
    assert all(-(2**63) <= key < 2**63 for key in first)
    assert claim_keys("the of and") == set()


def _longest_run_by_every_pair(
    first: tuple[str, ...], second: tuple[str, ...]
) -> tuple[tuple[str, ...], int, int]:
    """The plain dynamic programme over every pair of positions, for reference."""
    best = (0, 0, 0)  # (length, end in first, end in second)
    previous = [0] * (len(second) + 1)
    for i, word in enumerate(first, start=1):
        current = [0] * (len(second) + 1)
        for j, other in enumerate(second, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best[0]:
                    best = (current[j], i, j)
        previous = current
    length, end_first, end_second = best
    return first[end_first - length : end_first], end_first - length, end_second - length


def test_the_longest_common_run_is_the_one_every_pair_finds() -> None:
    # Few distinct words, so runs repeat and tie: the first in ``first``, then in
    # ``second``, must win as with the reference.
    rng = random.Random(7)
    for _ in range(2_000):
        first = tuple(rng.choice("abcd") for _ in range(rng.randint(0, 14)))
        second = tuple(rng.choice("abcd") for _ in range(rng.randint(0, 14)))
        assert _longest_common_run(first, second) == _longest_run_by_every_pair(first, second)
    words = tuple(["we", "will", "not", "send", "troops", "to", "ukraine"])
    assert _longest_common_run(words, tuple(["they", "will", "not", "send", "troops"])) == (
        ("will", "not", "send", "troops"),
        1,
        1,
    )
