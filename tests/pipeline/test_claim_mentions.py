"""When a sentence of narration states a claim: most of the claim's statements match it."""

from __future__ import annotations

from api.pipeline.claim_mentions import states_claim
from api.pipeline.claims import claim_features

# The US-monitoring claim as the seeds attribute it (the draft, Macron, the Moscow Times).
DRAFT = claim_features(
    "the United States would lead ceasefire monitoring if a peace deal is agreed", [], 1, "document"
)
MACRON = claim_features(
    "The supervision of a ceasefire in Ukraine will be done under U.S. leadership",
    [],
    2,
    "person",
    "Emmanuel Macron",
)
AFP_DRAFT = claim_features(
    "the United States would oversee the ceasefire monitoring and verification mechanism, "
    "working alongside international partners",
    [],
    1,
    "document",
)
CLAIM = [(1, DRAFT), (2, MACRON), (3, AFP_DRAFT)]


def test_a_sentence_stating_the_fact_is_a_mention_of_its_best_match() -> None:
    found = states_claim(
        "The United States would lead a ceasefire monitoring mechanism with European "
        "participation once fighting stops.",
        CLAIM,
    )
    assert found is not None
    best, score = found
    assert best in (1, 3) and score > 0


def test_a_sentence_matching_one_statement_of_three_is_not() -> None:
    headline = "US Signals Readiness to Back European-Led Security Force in Ukraine After Ceasefire"
    assert states_claim(headline, [(2, MACRON)]) is not None  # alone, Macron's would match
    assert states_claim(headline, CLAIM) is None


def test_an_unrelated_sentence_and_an_empty_claim_are_not() -> None:
    assert states_claim("Germany's chancellor spoke of compromises in Paris.", CLAIM) is None
    assert states_claim("The United States would lead ceasefire monitoring.", []) is None
