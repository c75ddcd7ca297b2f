"""A speaker reassigned over HTTP regroups claims: the statement leaves a claim that
would mix two people in the same request, and the matcher's rematch (run by ingest, the
worker or ``statements claims rematch``) puts it where it belongs."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.pipeline.claim_rematch import drain_rematches
from api.pipeline.run import ingest_paths
from api.services.keys import Scope, create_key
from tests.ingest.conftest import SEEDS

pytestmark = [pytest.mark.anyio, pytest.mark.nlp]

Client = AsyncTestClient[Litestar]


async def _statement(client: Client, q: str) -> dict[str, Any]:
    (item,) = (await client.get("/v1/statements", params={"q": q})).json()["items"]
    return dict(item)


async def _actor(client: Client, q: str) -> int:
    (actor,) = (await client.get("/v1/actors", params={"q": q})).json()["items"]
    return int(actor["id"])


async def test_reassigned_over_http_then_rematched(
    client: Client, async_session: AsyncSession
) -> None:
    await async_session.run_sync(lambda s: ingest_paths(s, [SEEDS], progress=False))
    _row, token = await async_session.run_sync(lambda s: create_key(s, "desk", [Scope.EDIT]))
    await async_session.commit()
    editor = {"Authorization": f"Bearer {token}"}

    # 003's "several thousand" French troops and Clash Report's are Macron's one claim.
    third = await _statement(client, '"French troops could be deployed"')
    clash = await _statement(client, '"France could contribute"')
    troops = clash["claim_id"]
    assert third["claim_id"] == troops
    starmer, macron = await _actor(client, "starmer"), await _actor(client, "macron")

    response = await client.patch(
        f"/v1/statements/{third['id']}", json={"speaker_id": starmer}, headers=editor
    )
    assert response.status_code == 200
    moved = response.json()["claim_id"]
    assert moved != troops
    claim = (await client.get(f"/v1/claims/{troops}")).json()
    assert [s["id"] for s in claim["statements"]] == [clash["id"]]
    own = (await client.get(f"/v1/claims/{moved}")).json()["claim"]
    assert (own["speaker"]["id"], own["text"]) == (starmer, third["text"])

    # Given back to Macron: it waits, alone, for the matcher.
    await client.patch(f"/v1/statements/{third['id']}", json={"speaker_id": macron}, headers=editor)
    assert (await client.get(f"/v1/statements/{third['id']}")).json()["claim_id"] == moved

    await async_session.run_sync(drain_rematches)
    await async_session.commit()

    assert (await client.get(f"/v1/statements/{third['id']}")).json()["claim_id"] == troops
    claim = (await client.get(f"/v1/claims/{troops}")).json()
    assert sorted(s["id"] for s in claim["statements"]) == sorted([clash["id"], third["id"]])
    gone = await client.get(f"/v1/claims/{moved}", follow_redirects=False)
    assert (gone.status_code, gone.headers["location"]) == (308, f"/v1/claims/{troops}")
