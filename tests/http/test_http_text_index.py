"""Searches ranked by the tantivy index when STATEMENTS_SEARCH_INDEX_PATH is set.

Both engines. The index answers only while it holds every statement as it now is
(nothing queued) and the search has no filter; otherwise the database answers, with
the same matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import ranked_search
from api.services.text_index_sync import SyncReport, sync_text_index
from api.settings import Settings
from api.storage.text_index import TextIndexReader
from tests.http.factories import Factory

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "search-index"


@pytest.fixture
def settings(folder: Path) -> Settings:
    return Settings(cache_refresh_seconds=0, search_index_path=str(folder))


@pytest.fixture
def index_answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """One entry per search the index answered."""
    calls: list[int] = []
    best = TextIndexReader.best

    def counted(self: TextIndexReader, *args: Any) -> list[tuple[int, float]]:
        calls.append(1)
        return best(self, *args)

    monkeypatch.setattr(TextIndexReader, "best", counted)
    yield calls


async def index_now(session: AsyncSession, folder: Path) -> SyncReport:
    """What ``statements index`` does, inside the test's transaction."""
    return await session.run_sync(lambda sync: sync_text_index(sync.connection(), folder))


async def search(client: Client, q: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/statements", params={"q": q, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


@pytest.fixture
async def lighthouse(async_session: AsyncSession, folder: Path) -> list[int]:
    """Six matches, oldest first; the oldest says "lighthouse" most often; indexed."""
    factory = Factory(async_session)
    rows = []
    for repeats in (4, 1, 3, 1, 2, 1):
        said = "lighthouse " * repeats
        rows.append(await factory.said(f"The {said}stays dark tonight."))
    await factory.said("The harbour stays lit.")
    await async_session.commit()
    await index_now(async_session, folder)
    return [row.id for row in rows]


async def test_the_index_ranks_every_match_not_only_the_newest(
    client: Client,
    lighthouse: list[int],
    index_answers: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ranked_search, "SEARCH_CANDIDATES", 3)
    found = await search(client, "lighthouse")
    assert index_answers == [1]
    # The best three of all six, where the database would rank the newest three.
    assert ids(found) == [lighthouse[0], lighthouse[2], lighthouse[4]]
    assert found[0]["snippet"].startswith("The <mark>lighthouse lighthouse")


async def test_pages_follow_the_ranking_to_its_end(
    client: Client, lighthouse: list[int], index_answers: list[int]
) -> None:
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        response = await client.get("/v1/statements", params={"q": "lighthouse", **params})
        assert response.status_code == 200
        seen += ids(response.json()["items"])
        cursor = response.json().get("next_cursor")
        if not cursor:
            break
        params["cursor"] = cursor
    assert sorted(seen) == sorted(lighthouse) and len(seen) == len(set(seen))
    assert seen[:2] == [lighthouse[0], lighthouse[2]]
    assert len(index_answers) == 3


async def test_phrases_prefixes_and_accents_match_as_in_the_database(
    client: Client, async_session: AsyncSession, folder: Path, index_answers: list[int]
) -> None:
    factory = Factory(async_session)
    elysee = await factory.said("The Élysée will stand by Ukraine.")
    troops = await factory.said("Ukrainian troops stand ready; by Ukraine they stand.")
    await async_session.commit()
    await index_now(async_session, folder)
    queries = ['"stand by ukraine"', "ukrain*", "elysee", "ÉLYSÉE stand", "by-ukr*"]
    indexed = {q: sorted(ids(await search(client, q))) for q in queries}
    assert len(index_answers) == len(queries)
    assert indexed == {
        '"stand by ukraine"': [elysee.id],
        "ukrain*": sorted([elysee.id, troops.id]),
        "elysee": [elysee.id],
        "ÉLYSÉE stand": [elysee.id],
        "by-ukr*": sorted([elysee.id, troops.id]),
    }


async def test_the_database_answers_while_changes_are_queued_and_for_filters(
    client: Client,
    async_session: AsyncSession,
    folder: Path,
    lighthouse: list[int],
    index_answers: list[int],
) -> None:
    factory = Factory(async_session)
    keeper = await factory.actor("Old Keeper")
    newest = await factory.said("The lighthouse keeper retires.", speaker=keeper)
    await async_session.commit()
    # Not in the index yet: the database answers, and finds it.
    assert newest.id in ids(await search(client, "lighthouse"))
    assert index_answers == []
    assert (await index_now(async_session, folder)).applied == 1
    assert newest.id in ids(await search(client, "lighthouse", limit=20))
    assert index_answers == [1]
    # A filter is applied by the database, before its own bound.
    assert ids(await search(client, "lighthouse", speaker=keeper.id)) == [newest.id]
    assert index_answers == [1]


async def test_without_a_built_index_the_database_answers(
    client: Client, async_session: AsyncSession, index_answers: list[int]
) -> None:
    said = await Factory(async_session).said("The lighthouse stays dark.")
    await async_session.commit()
    assert ids(await search(client, "lighthouse")) == [said.id]
    assert index_answers == []
