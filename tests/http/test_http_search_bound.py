"""Relevance over a bounded candidate set: only the newest matches are ranked.

Both engines; the bound is lowered so a handful of rows shows it. Also the SQLite
ranker's pieces (folding, term frequencies) against what FTS5 itself matches.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import ranked_search
from api.services.ranked_search import FoldedTerm, bm25, fold
from api.services.search import parse_search
from tests.http.factories import Factory

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


async def ranked(client: Client, q: str, **params: Any) -> list[int]:
    response = await client.get("/v1/statements", params={"q": q, "limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
async def lighthouse(async_session: AsyncSession) -> list[int]:
    """Six matches, oldest first; the oldest says "lighthouse" most often."""
    factory = Factory(async_session)
    rows = []
    for repeats in (4, 1, 3, 1, 2, 1):
        said = "lighthouse " * repeats
        rows.append(await factory.said(f"The {said}stays dark tonight."))
    await async_session.commit()
    return [row.id for row in rows]


async def test_only_the_newest_matches_are_ranked_once_there_are_more_than_the_bound(
    client: Client, lighthouse: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = await ranked(client, "lighthouse")
    assert sorted(everything) == sorted(lighthouse)
    assert everything[0] in (lighthouse[0], lighthouse[2])  # four or three times

    monkeypatch.setattr(ranked_search, "SEARCH_CANDIDATES", 3)
    newest = lighthouse[3:]
    # Another URL than above: the same one would be served from the response cache.
    bounded = await ranked(client, "lighthouse", limit=99)
    assert bounded == [statement for statement in everything if statement in newest]
    assert bounded[0] == lighthouse[4]  # twice: the best of the newest three
    # Id and date order are not ranked, so they are not bounded.
    assert sorted(await ranked(client, "lighthouse", sort="id")) == sorted(lighthouse)


async def test_filters_apply_before_the_bound(
    client: Client,
    async_session: AsyncSession,
    lighthouse: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    factory = Factory(async_session)
    keeper = await factory.actor("Old Keeper")
    oldest = await factory.said("The lighthouse keeper spoke.", speaker=keeper)
    await async_session.commit()
    monkeypatch.setattr(ranked_search, "SEARCH_CANDIDATES", 2)
    # Newer than every other match, yet found through the speaker filter alone.
    assert await ranked(client, "lighthouse", speaker=keeper.id) == [oldest.id]


async def test_the_sqlite_ranker_agrees_with_fts5_bm25_on_a_small_corpus(
    client: Client, async_session: AsyncSession, lighthouse: list[int]
) -> None:
    if async_session.get_bind().dialect.name != "sqlite":
        pytest.skip("FTS5's own bm25 is SQLite's")
    rows = await async_session.execute(
        text(
            "SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'lighthouse' "
            "ORDER BY bm25(statements_fts, 1.0, 0.5, 0.5), rowid"
        )
    )
    assert await ranked(client, "lighthouse") == [row[0] for row in rows]


def term(q: str) -> FoldedTerm:
    search = parse_search(q)
    assert search is not None
    return FoldedTerm.of(search.terms[0])


def test_folding_matches_the_index_tokenizer() -> None:
    assert fold("Zelenskyy SAID: Élysée") == "zelenskyy said: elysee"
    assert term("élysée").frequency(fold("The Élysée and the ELYSEE.")) == 2


def test_term_frequencies_count_whole_words_phrases_and_prefixes() -> None:
    folded = fold("Ukraine's Ukrainian ukraine; stand by Ukraine, stand-by ukraine")
    assert term("ukraine").frequency(folded) == 4
    assert term("ukrain*").frequency(folded) == 5
    assert term('"stand by ukraine"').frequency(folded) == 2
    assert term("kraine").frequency(folded) == 0


def test_bm25_prefers_more_hits_and_shorter_rows() -> None:
    ceasefire = [term("ceasefire")]
    once = bm25(ceasefire, ["a ceasefire now", "", ""], [1.0], 3.0)
    twice = bm25(ceasefire, ["a ceasefire ceasefire", "", ""], [1.0], 3.0)
    longer = bm25(ceasefire, ["a ceasefire now and for ever more", "", ""], [1.0], 3.0)
    assert twice < once < longer < 0
    quoted = bm25(ceasefire, ["a truce", "ceasefire", ""], [1.0], 3.0)
    assert once < quoted < 0  # quotes weigh half the text
