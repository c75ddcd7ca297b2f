"""Articles with versions (a changed text at one URL) and near-duplicate copies, and
statements dated by their text.

=========  ================  =======  ===============  ================================
row        url               version  duplicate of     statements
=========  ================  =======  ===============  ================================
v1         STORY_URL         1        -                said_v1 (dated by publication)
v2         STORY_URL         2        -                said_v2 ("on Monday"), kept_v2
copy       COPY_URL          1        v2 (0.93)        -
loose      none              1        -                -
=========  ================  =======  ===============  ================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.http.factories import INGESTED_AT, Factory

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]

STORY_URL = "https://news.example/guardian/summit"
COPY_URL = "https://wire.example/kyiv-wire/summit"
PUBLISHED = dt.date(2026, 1, 7)
MONDAY = dt.date(2026, 1, 5)
V1_TEXT = 'Macron said: "We will stand by Ukraine." The summit ended on Tuesday.'
V2_TEXT = (
    'Macron said on Monday: "We will stand by Ukraine for as long as it takes." '
    "Zelensky said guarantees were necessary."
)


@dataclass(frozen=True)
class Story:
    guardian: int
    wire: int
    v1: int
    v2: int
    copy: int
    loose: int
    said_v1: int
    said_v2: int
    kept_v2: int
    v1_hash: str
    v2_hash: str


@pytest.fixture
async def story(async_session: AsyncSession) -> Story:
    factory = Factory(async_session)
    guardian = await factory.source("The Guardian")
    wire = await factory.source("Kyiv Wire")
    macron = await factory.actor("Emmanuel Macron")
    v1 = await factory.article(
        V1_TEXT, source=guardian, published=PUBLISHED, title="Summit", url=STORY_URL
    )
    said_v1 = await factory.statement(
        v1, "We will stand by Ukraine.", speaker=macron, date=PUBLISHED, mention="Macron"
    )
    v2 = await factory.new_version(v1, V2_TEXT)
    said_v2 = await factory.statement(
        v2, "We will stand by Ukraine for as long as it takes.", speaker=macron, date=MONDAY,
        mention="Macron", date_text="on Monday",
    )  # fmt: skip
    kept_v2 = await factory.statement(
        v2, "guarantees were necessary", kind="reported", date=PUBLISHED
    )
    copy = await factory.copy_of(v2, source=wire, similarity=0.93, url=COPY_URL)
    loose = await factory.article("An article nobody gave a URL.", url=None)
    await async_session.commit()
    return Story(
        guardian=guardian.id, wire=wire.id, v1=v1.id, v2=v2.id, copy=copy.id, loose=loose.id,
        said_v1=said_v1.id, said_v2=said_v2.id, kept_v2=kept_v2.id,
        v1_hash=v1.content_hash, v2_hash=v2.content_hash,
    )  # fmt: skip


def versions_of(story: Story) -> list[dict[str, Any]]:
    ingested = INGESTED_AT.isoformat() + "Z"
    return [
        {
            "id": story.v1,
            "version": 1,
            "content_hash": story.v1_hash,
            "ingested_at": ingested,
            "statement_count": 1,
        },
        {
            "id": story.v2,
            "version": 2,
            "content_hash": story.v2_hash,
            "ingested_at": ingested,
            "statement_count": 2,
        },
    ]


async def get_article(client: Client, article_id: int) -> dict[str, Any]:
    response = await client.get(f"/v1/articles/{article_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_latest_version_lists_every_version_and_its_copies(
    client: Client, story: Story
) -> None:
    body = await get_article(client, story.v2)

    assert body["text"] == V2_TEXT
    assert body["version"] == 2
    assert body["statement_count"] == 2
    assert body["duplicate_of"] is None
    assert body["duplicate_similarity"] is None
    assert body["versions"] == versions_of(story)
    assert body["duplicates"] == [
        {
            "id": story.copy,
            "url": COPY_URL,
            "source": {"id": story.wire, "name": "Kyiv Wire", "kind": "outlet"},
            "similarity": 0.93,
        }
    ]


async def test_an_older_version_lists_the_same_versions(client: Client, story: Story) -> None:
    body = await get_article(client, story.v1)

    assert body["text"] == V1_TEXT
    assert body["version"] == 1
    assert body["statement_count"] == 1
    assert body["versions"] == versions_of(story)
    # The copy was made of version 2.
    assert body["duplicates"] == []


async def test_a_copy_names_its_original(client: Client, story: Story) -> None:
    body = await get_article(client, story.copy)

    assert body["duplicate_of"] == story.v2
    assert body["duplicate_similarity"] == 0.93
    assert body["statement_count"] == 0
    assert body["source"] == {"id": story.wire, "name": "Kyiv Wire", "kind": "outlet"}
    assert [version["id"] for version in body["versions"]] == [story.copy]
    assert body["duplicates"] == []


async def test_an_article_without_url_is_its_only_version(client: Client, story: Story) -> None:
    body = await get_article(client, story.loose)

    assert body["url"] is None
    assert body["versions"] == [
        {
            "id": story.loose,
            "version": 1,
            "content_hash": body["content_hash"],
            "ingested_at": INGESTED_AT.isoformat() + "Z",
            "statement_count": 0,
        }
    ]
    assert body["duplicates"] == []


async def article_list(client: Client, query: str = "") -> list[dict[str, Any]]:
    response = await client.get(f"/v1/articles?{query}")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_summaries_carry_the_version_and_the_original(client: Client, story: Story) -> None:
    summaries = {item["id"]: item for item in await article_list(client)}

    assert list(summaries) == [story.v1, story.v2, story.copy, story.loose]
    assert all("versions" not in item and "text" not in item for item in summaries.values())
    fields = ("version", "duplicate_of", "duplicate_similarity", "statement_count")
    assert {key: summaries[story.v1][key] for key in fields} == {
        "version": 1, "duplicate_of": None, "duplicate_similarity": None, "statement_count": 1,
    }  # fmt: skip
    assert {key: summaries[story.v2][key] for key in fields} == {
        "version": 2, "duplicate_of": None, "duplicate_similarity": None, "statement_count": 2,
    }  # fmt: skip
    assert {key: summaries[story.copy][key] for key in fields} == {
        "version": 1, "duplicate_of": story.v2, "duplicate_similarity": 0.93,
        "statement_count": 0,
    }  # fmt: skip


async def test_latest_only_hides_superseded_versions(client: Client, story: Story) -> None:
    latest = [item["id"] for item in await article_list(client, "latest_only=true")]
    every = [item["id"] for item in await article_list(client, "latest_only=false")]

    assert latest == [story.v2, story.copy, story.loose]
    assert every == [story.v1, story.v2, story.copy, story.loose]
    # It combines with the other filters.
    assert [item["id"] for item in await article_list(client, f"source={story.guardian}")] == [
        story.v1,
        story.v2,
    ]
    assert [
        item["id"]
        for item in await article_list(client, f"source={story.guardian}&latest_only=true")
    ] == [story.v2]


async def test_latest_only_must_be_a_boolean(client: Client, story: Story) -> None:
    response = await client.get("/v1/articles?latest_only=sometimes")

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["latest_only"]


async def test_latest_only_pages_with_its_cursor(client: Client, story: Story) -> None:
    first = (await client.get("/v1/articles?latest_only=true&limit=2")).json()
    assert [item["id"] for item in first["items"]] == [story.v2, story.copy]
    assert first["has_more"] is True
    rest = await client.get(f"/v1/articles?latest_only=true&limit=2&cursor={first['next_cursor']}")
    assert [item["id"] for item in rest.json()["items"]] == [story.loose]


async def test_statements_say_what_dated_them(client: Client, story: Story) -> None:
    by_text = (await client.get(f"/v1/statements/{story.said_v2}")).json()
    by_publication = (await client.get(f"/v1/statements/{story.said_v1}")).json()

    assert by_text["date"] == "2026-01-05"
    assert by_text["date_text"] == "on Monday"
    assert by_text["date_inferred"] is False
    assert by_publication["date"] == "2026-01-07"
    assert by_publication["date_text"] is None
    assert by_publication["date_inferred"] is True
    # Every statement of a version belongs to that version.
    listed = (await client.get(f"/v1/statements?article={story.v2}")).json()["items"]
    assert [(item["id"], item["date_text"]) for item in listed] == [
        (story.said_v2, "on Monday"),
        (story.kept_v2, None),
    ]


async def test_the_detail_costs_the_same_queries_however_many_versions_and_copies(
    client: Client, async_session: AsyncSession, db_connection: AsyncConnection, story: Story
) -> None:
    executed: list[str] = []

    def count(*args: Any) -> None:
        executed.append(args[2])

    sync_connection = db_connection.sync_connection
    assert sync_connection is not None
    event.listen(sync_connection, "before_cursor_execute", count)
    try:
        await get_article(client, story.v2)
        before = len(executed)

        factory = Factory(async_session)
        wire = await factory.source("Another Wire")
        v1 = await factory.article(V1_TEXT, published=PUBLISHED, url=STORY_URL + "/")
        v2 = await factory.new_version(v1, V2_TEXT)
        v3 = await factory.new_version(v2, V2_TEXT + " Updated.")
        for similarity in (0.9, 0.91, 0.92):
            await factory.copy_of(v3, source=wire, similarity=similarity)
        await async_session.commit()
        executed.clear()

        body = await get_article(client, v3.id)
        assert len(body["versions"]) == 3
        assert len(body["duplicates"]) == 3
        assert len(executed) == before
    finally:
        event.remove(sync_connection, "before_cursor_execute", count)
