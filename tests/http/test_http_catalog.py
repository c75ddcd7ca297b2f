"""/v1/actors, /v1/articles and /v1/sources."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.http.factories import INGESTED_AT, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


async def test_list_actors(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/actors")

    assert response.status_code == 200
    body = response.json()
    assert body["has_more"] is False
    assert body["next_cursor"] is None
    assert [(a["name"], a["statement_count"]) for a in body["items"]] == [
        ("Emmanuel Macron", 3),
        ("Volodymyr Zelensky", 1),
        ("Kremlin", 1),
    ]


async def test_get_actor(client: Client, newsroom: Newsroom) -> None:
    response = await client.get(f"/v1/actors/{newsroom.macron}")

    assert response.status_code == 200
    assert response.json() == {
        "id": newsroom.macron,
        "name": "Emmanuel Macron",
        "kind": "person",
        "aliases": ["Macron", "President Macron"],
        "roles": ["French President", "President"],
        "wikidata_id": "Q3052772",
        "statement_count": 3,
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("macron", ["macron"]),  # name
        ("ZELENSKYY", ["zelensky"]),  # alias only ("Zelenskyy"), any case
        ("president", ["macron"]),  # alias "President Macron"
        ("E", ["macron", "zelensky", "kremlin"]),
        ("%", []),
        ("_", []),
    ],
)
async def test_search_actors_by_name_or_alias(
    client: Client, newsroom: Newsroom, q: str, expected: list[str]
) -> None:
    body = (await client.get("/v1/actors", params={"q": q})).json()
    assert ids(body) == [getattr(newsroom, name) for name in expected]


async def test_actor_statements_accept_statement_filters(
    client: Client, newsroom: Newsroom
) -> None:
    path = f"/v1/actors/{newsroom.macron}/statements"

    assert ids((await client.get(path)).json()) == [newsroom.s1, newsroom.s6, newsroom.s3]
    assert ids((await client.get(f"{path}?kind=partial")).json()) == [newsroom.s3]
    assert ids((await client.get(f"{path}?source={newsroom.reuters}")).json()) == [
        newsroom.s1,
        newsroom.s3,
    ]
    assert ids((await client.get(f"{path}?until=2026-01-07&q=stand&sort=id")).json()) == [
        newsroom.s1,
        newsroom.s3,
    ]
    page = await client.get(f"{path}?limit=1")
    assert page.json()["has_more"] is True
    assert page.headers["link"].startswith(f"<{path}?limit=1&cursor=")


async def test_statements_of_unknown_actor_is_404(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/actors/987654/statements")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "actor 987654 does not exist"


async def test_list_articles_without_text(client: Client, newsroom: Newsroom) -> None:
    body = (await client.get("/v1/articles")).json()

    assert ids(body) == [newsroom.a1, newsroom.a_late, newsroom.a_mid, newsroom.a_undated]
    assert all("text" not in item for item in body["items"])
    first = body["items"][0]
    assert first == {
        "id": newsroom.a1,
        "title": "Allies pledge long-term support",
        "url": first["url"],
        "source": {"id": newsroom.guardian, "name": "The Guardian", "kind": "outlet"},
        "published_date": "2026-01-06",
        "published_at": "2026-01-06T09:30:00",
        "inferred": {"title": False, "outlet": False, "published": False},
        "content_hash": first["content_hash"],
        "statement_count": 2,
        "ingested_at": INGESTED_AT.isoformat() + "Z",  # stored as naive UTC, sent as UTC
        "version": 1,
        "duplicate_of": None,
        "duplicate_similarity": None,
    }
    assert len(first["content_hash"]) == 64


async def test_filter_articles(client: Client, newsroom: Newsroom) -> None:
    async def article_ids(query: str) -> list[int]:
        return ids((await client.get(f"/v1/articles?{query}")).json())

    assert await article_ids(f"source={newsroom.guardian}") == [newsroom.a1, newsroom.a_late]
    # An agency that is only credited publishes no articles.
    assert await article_ids(f"source={newsroom.reuters}") == []
    assert await article_ids("since=2026-01-07") == [newsroom.a_late, newsroom.a_mid]
    assert await article_ids("until=2026-01-07") == [newsroom.a1, newsroom.a_mid]
    assert await article_ids(f"source={newsroom.guardian}&since=2026-01-07") == [newsroom.a_late]


async def test_get_article_with_text(client: Client, newsroom: Newsroom) -> None:
    body = (await client.get(f"/v1/articles/{newsroom.a_undated}")).json()

    assert body["id"] == newsroom.a_undated
    assert body["text"] == (
        'The summit ended without a joint statement, in what one diplomat called "a diplomatic '
        'shrug".'
    )
    assert body["source"] is None
    assert body["published_date"] is None
    assert body["inferred"] == {"title": False, "outlet": True, "published": False}
    assert body["origin"].startswith("seed-")
    assert body["statement_count"] == 1


async def test_statement_offsets_point_into_article_text(
    client: Client, newsroom: Newsroom
) -> None:
    statement = (await client.get(f"/v1/statements/{newsroom.s3}")).json()
    text = (await client.get(f"/v1/articles/{newsroom.a_mid}")).json()["text"]

    for span in [statement["content"], *statement["quotes"], statement["cue"]]:
        assert text[span["start"] : span["end"]] == span["text"]


async def test_list_sources_with_counts(client: Client, newsroom: Newsroom) -> None:
    body = (await client.get("/v1/sources")).json()

    assert body == {
        "items": [
            {
                "id": newsroom.guardian,
                "name": "The Guardian",
                "kind": "outlet",
                "article_count": 2,
                "statement_count": 4,
            },
            {
                "id": newsroom.lemonde,
                "name": "Le Monde",
                "kind": "outlet",
                "article_count": 1,
                "statement_count": 1,
            },
            # Agencies publish nothing here; their statements are the ones crediting them.
            {
                "id": newsroom.reuters,
                "name": "Reuters",
                "kind": "agency",
                "article_count": 0,
                "statement_count": 2,
            },
            {
                "id": newsroom.afp,
                "name": "AFP",
                "kind": "agency",
                "article_count": 0,
                "statement_count": 2,
            },
        ],
        "has_more": False,
        "next_cursor": None,
    }


async def test_source_statement_count_matches_source_filter(
    client: Client, newsroom: Newsroom
) -> None:
    for source in (await client.get("/v1/sources")).json()["items"]:
        listed = (await client.get(f"/v1/statements?source={source['id']}")).json()
        assert len(listed["items"]) == source["statement_count"]


@pytest.mark.parametrize("path", ["/v1/actors/424242", "/v1/articles/424242"])
async def test_unknown_ids_are_404_problems(client: Client, newsroom: Newsroom, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == path
