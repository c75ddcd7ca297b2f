"""/v1/statements: bodies, every filter, literal text search and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


async def statement_ids(client: Client, query: str) -> list[int]:
    response = await client.get(f"/v1/statements?{query}")
    assert response.status_code == 200, response.text
    return ids(response.json())


async def test_list_returns_every_statement_in_id_order(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/statements")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "link" not in response.headers
    body = response.json()
    assert ids(body) == newsroom.statements_in_id_order
    assert body["has_more"] is False
    assert body["next_cursor"] is None


async def test_get_statement_maps_every_field(client: Client, newsroom: Newsroom) -> None:
    response = await client.get(f"/v1/statements/{newsroom.s3}")

    assert response.status_code == 200
    le_monde = {"id": newsroom.lemonde, "name": "Le Monde", "kind": "outlet"}
    text = 'France would "stand by Ukraine" as long as it takes'
    assert response.json() == {
        "id": newsroom.s3,
        "kind": "partial",
        "text": text,
        "content": {"start": 12, "end": 63, "text": text},
        "quotes": [{"start": 26, "end": 42, "text": "stand by Ukraine"}],
        "cue": {"start": 7, "end": 11, "text": "said"},
        "speaker": {"id": newsroom.macron, "name": "Emmanuel Macron", "kind": "person"},
        "speaker_mention": {"start": 0, "end": 6, "text": "Macron"},
        "speaker_role": "President",
        "confidence": 0.9,
        "article": {
            "id": newsroom.a_mid,
            "title": "Macron : la France restera aux côtés de l'Ukraine",
            "url": response.json()["article"]["url"],
            "published_date": "2026-01-07",
            "source": le_monde,
        },
        "source": le_monde,
        # Credited sources are sorted by name, whatever order they were stored in.
        "via": [
            {"id": newsroom.afp, "name": "AFP", "kind": "agency"},
            {"id": newsroom.reuters, "name": "Reuters", "kind": "agency"},
        ],
        "date": "2026-01-07",
        # Dated by its article's publication: the text does not say when it was said.
        "date_inferred": True,
        "date_text": None,
        "claim_id": newsroom.c1,
        "snippet": None,  # only search results have one
    }
    assert response.json()["article"]["url"].startswith("https://news.example/")


async def test_statement_without_speaker_outlet_or_date(client: Client, newsroom: Newsroom) -> None:
    body = (await client.get(f"/v1/statements/{newsroom.s5}")).json()

    assert body["speaker"] is None
    assert body["speaker_mention"] is None
    assert body["cue"] is None
    assert body["source"] is None
    assert body["article"]["source"] is None
    assert body["date"] is None
    assert body["date_inferred"] is True
    assert body["claim_id"] is None


async def test_filter_by_speaker(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, f"speaker={newsroom.macron}") == [
        newsroom.s1,
        newsroom.s6,
        newsroom.s3,
    ]


async def test_filter_by_source_as_outlet(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, f"source={newsroom.guardian}") == [
        newsroom.s1,
        newsroom.s2,
        newsroom.s6,
        newsroom.s4,
    ]
    assert await statement_ids(client, f"source={newsroom.lemonde}") == [newsroom.s3]


async def test_filter_by_source_as_credited_agency(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, f"source={newsroom.reuters}") == [newsroom.s1, newsroom.s3]
    assert await statement_ids(client, f"source={newsroom.afp}") == [newsroom.s4, newsroom.s3]


async def test_filter_by_kind(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, "kind=partial") == [newsroom.s3]
    assert await statement_ids(client, "kind=according_to") == [newsroom.s4]
    assert await statement_ids(client, "kind=reported") == [newsroom.s2, newsroom.s5]


async def test_filter_by_statement_date(client: Client, newsroom: Newsroom) -> None:
    later = [newsroom.s6, newsroom.s4, newsroom.s3]
    assert await statement_ids(client, "since=2026-01-07") == later
    assert await statement_ids(client, "until=2026-01-06") == [newsroom.s1, newsroom.s2]
    # Both bounds are inclusive.
    assert await statement_ids(client, "since=2026-01-07&until=2026-01-07") == [newsroom.s3]


async def test_filter_by_article(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, f"article={newsroom.a1}") == [newsroom.s1, newsroom.s2]


async def test_filters_combine(client: Client, newsroom: Newsroom) -> None:
    query = f"speaker={newsroom.macron}&source={newsroom.reuters}&since=2026-01-07"
    assert await statement_ids(client, query) == [newsroom.s3]


async def test_q_matches_text_case_insensitively(client: Client, newsroom: Newsroom) -> None:
    # sort=id: with q the default order is relevance (tests/http/test_http_search.py).
    assert await statement_ids(client, "q=STAND%20BY%20ukraine&sort=id") == [
        newsroom.s1,
        newsroom.s6,
        newsroom.s3,
    ]


async def test_q_matches_speaker_name(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, "q=zelensky") == [newsroom.s2]


async def test_q_matches_quoted_words(client: Client, newsroom: Newsroom) -> None:
    # "a diplomatic shrug" is only in s5's quotes, not in its text.
    assert await statement_ids(client, "q=Diplomatic%20SHRUG") == [newsroom.s5]


async def test_q_searches_words_not_patterns(client: Client, newsroom: Newsroom) -> None:
    """q is full-text search: words, not LIKE patterns (tests/http/test_http_search.py)."""
    assert await statement_ids(client, "q=100%25") == [newsroom.s2]
    # Punctuation only separates words: "stand_by" is the phrase "stand by".
    assert await statement_ids(client, "q=stand_by&sort=id") == [
        newsroom.s1,
        newsroom.s6,
        newsroom.s3,
    ]
    # Nothing to search for is a client mistake worth naming.
    for q in ("%25", "_"):
        response = await client.get(f"/v1/statements?q={q}")
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == ["q"]


async def test_empty_q_means_no_filter(client: Client, newsroom: Newsroom) -> None:
    assert await statement_ids(client, "q=") == newsroom.statements_in_id_order


async def test_no_query_per_row(
    client: Client, newsroom: Newsroom, db_connection: AsyncConnection
) -> None:
    """A page costs the same number of queries for one statement as for all of them."""
    executed: list[str] = []

    def count(*args: Any) -> None:
        executed.append(args[2])

    sync_connection = db_connection.sync_connection
    assert sync_connection is not None
    event.listen(sync_connection, "before_cursor_execute", count)
    try:
        await client.get("/v1/statements?limit=1")
        one = len(executed)
        executed.clear()
        await client.get("/v1/statements?limit=6")
        assert len(executed) == one
    finally:
        event.remove(sync_connection, "before_cursor_execute", count)
