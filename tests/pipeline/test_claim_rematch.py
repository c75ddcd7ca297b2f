"""A claim checked again after a speaker changed: its connected groups of matches."""

from __future__ import annotations

from api.pipeline.claim_rematch import _connected
from api.pipeline.claims import ClaimFeatures, claim_features

PLEDGE = "We will stand by Ukraine for as long as it takes"


def said(speaker_id: int | None, name: str | None = None) -> ClaimFeatures:
    return claim_features(PLEDGE, [PLEDGE], speaker_id, "person", name)


def test_a_statement_bridging_one_articles_two_statements_holds_them_together() -> None:
    # Within one article statements are never compared: only the other article joins them.
    features = {1: said(7, "Emmanuel Macron"), 2: said(7, "Emmanuel Macron"), 3: said(7)}
    articles = {1: 10, 2: 10, 3: 11}
    assert _connected(features, articles) == [[1, 2, 3]]


def test_the_bridge_given_to_another_person_leaves_three_claims() -> None:
    features = {1: said(7, "Emmanuel Macron"), 2: said(7, "Emmanuel Macron")}
    features[3] = said(8, "Keir Starmer")
    assert _connected(features, {1: 10, 2: 10, 3: 11}) == [[1], [2], [3]]


def test_a_statement_without_a_speaker_links_what_it_matches_as_the_store_does() -> None:
    features = {1: said(7, "Emmanuel Macron"), 2: said(8, "Keir Starmer"), 3: said(None)}
    # 3 has no speaker: it may be either, and joins both; 1 and 2 never match each other.
    assert _connected(features, {1: 10, 2: 11, 3: 12}) == [[1, 2, 3]]
