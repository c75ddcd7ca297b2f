"""/v1/actors over the seed corpus: found by any alias, with their statements and roles."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.pipeline.run import ingest_paths
from tests.ingest.conftest import SEEDS

pytestmark = [pytest.mark.anyio, pytest.mark.nlp]

Client = AsyncTestClient[Litestar]


async def _find(client: Client, q: str) -> list[tuple[str, str]]:
    body = (await client.get("/v1/actors", params={"q": q, "limit": 500})).json()
    return [(actor["name"], actor["kind"]) for actor in body["items"]]


async def _one(client: Client, q: str) -> dict[str, Any]:
    (actor,) = (await client.get("/v1/actors", params={"q": q})).json()["items"]
    return dict(actor)


async def test_actors_of_the_seeds_by_alias_with_their_statements_and_roles(
    client: Client, async_session: AsyncSession
) -> None:
    await async_session.run_sync(lambda s: ingest_paths(s, [SEEDS], progress=False))

    # Any alias finds the actor: a spelling outlets used, a title, a metonymy.
    assert await _find(client, "whitkoff") == [("Steve Witkoff", "person")]
    assert await _find(client, "zelenskyy") == [("Volodymyr Zelensky", "person")]
    assert await _find(client, "German Chancellor") == [("Friedrich Merz", "person")]
    assert await _find(client, "kyiv") == [("Ukraine", "government")]
    assert await _find(client, "Hrynkiewicz") == [("Alexus Grynkewich", "person")]

    starmer = await _one(client, "starmer")
    assert starmer["roles"] == ["British Prime Minister", "UK Prime Minister"]
    assert starmer["wikidata_id"] is None
    assert (await _one(client, "macron"))["wikidata_id"] == "Q3052772"

    path = f"/v1/actors/{starmer['id']}/statements"
    every = (await client.get(path)).json()["items"]
    assert len(every) == starmer["statement_count"] == 7
    direct = (await client.get(path, params={"kind": "direct"})).json()["items"]
    assert [s["text"] for s in direct] == [
        "For all Russia’s words, Putin is not showing he is ready for peace",
        "This only hardens our resolve.",
    ]
    assert {s["speaker_role"] for s in direct} == {"British Prime Minister"}  # Clash Report
    clash = direct[0]["source"]["id"]
    from_clash = (await client.get(path, params={"source": clash})).json()["items"]
    assert len(from_clash) == 4
    searched = (await client.get(path, params={"q": "resolve"})).json()["items"]
    assert [s["text"] for s in searched] == ["This only hardens our resolve."]
    dated = (await client.get(path, params={"since": "2026-01-08"})).json()["items"]
    assert dated == []  # every Starmer statement is of 6 or 7 January
