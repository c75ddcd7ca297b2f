"""Derived forms and near synonyms (api/pipeline/data/claim_words.toml), and the rule for
a short statement whose words a longer one carries, on wordings from the seeds."""

from __future__ import annotations

from api.pipeline.claim_text import stem
from api.pipeline.claims import claim_features, claim_keys, same_claim

MACRON, DRAFT, STATEMENT, WITKOFF, MERZ = 1, 2, 3, 4, 5


def test_derived_forms_and_near_synonyms_meet() -> None:
    assert stem("verification") == stem("verify") == stem("monitoring") == stem("oversee")
    assert stem("supervision") == stem("supervising") == stem("monitored")
    assert stem("leadership") == stem("led") == stem("lead")
    assert stem("truce") == stem("ceasefire")
    assert stem("readiness") == stem("ready")
    # Not every word meets another: a leader is a person, not a lead.
    assert stem("leader") != stem("lead")


def test_the_index_reads_synonyms_too() -> None:
    # Without one form for "oversee" and "monitor" the two share no key.
    assert claim_keys("the United States would oversee the truce") & claim_keys(
        "U.S. to monitor ceasefire"
    )


def test_a_short_statement_carried_by_a_longer_one_from_another_speaker() -> None:
    macron = claim_features(
        "The supervision of a ceasefire in Ukraine will be done under U.S. leadership",
        [],
        MACRON,
        "person",
        "Emmanuel Macron",
    )
    coalition = claim_features(
        "the allies would participate in a proposed U.S.-led cease-fire verification mechanism",
        [],
        STATEMENT,
        "document",
        "coalition leaders' statement",
    )
    assert same_claim(macron, coalition)


def test_a_short_statement_sharing_fewer_words_stays_apart() -> None:
    # Merz on monitoring, not on who leads it: three shared words, one shared phrase.
    merz = claim_features(
        "German forces could help monitor a ceasefire but from a neighboring country",
        [],
        MERZ,
        "person",
        "Friedrich Merz",
    )
    draft = claim_features(
        "the United States would lead ceasefire monitoring if a peace deal is agreed",
        [],
        DRAFT,
        "document",
        "draft",
    )
    assert not same_claim(merz, draft)


def test_two_people_are_never_one_claim_however_close_their_words() -> None:
    witkoff = claim_features(
        "the supervision of a ceasefire will be done under U.S. leadership",
        [],
        WITKOFF,
        "person",
        "Steve Witkoff",
    )
    macron = claim_features(
        "The supervision of a ceasefire in Ukraine will be done under U.S. leadership",
        [],
        MACRON,
        "person",
        "Emmanuel Macron",
    )
    assert not same_claim(witkoff, macron)
