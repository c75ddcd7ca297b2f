"""Provenance over the seeds lists the outlets that state a claim as their own narration."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.pipeline.run import ingest_paths
from tests.ingest.conftest import SEEDS

pytestmark = [pytest.mark.anyio, pytest.mark.nlp]

Client = AsyncTestClient[Litestar]
CLASH_NARRATION = (
    "The United States would lead a ceasefire monitoring mechanism with European "
    "participation once fighting stops."
)


async def test_us_monitoring_provenance_counts_narration_outlets(
    client: Client, async_session: AsyncSession
) -> None:
    await async_session.run_sync(lambda s: ingest_paths(s, [SEEDS], progress=False))
    await async_session.commit()
    (draft,) = (
        await client.get("/v1/statements", params={"q": '"would lead ceasefire monitoring"'})
    ).json()["items"]
    claim_id = draft["claim_id"]

    body = (await client.get(f"/v1/claims/{claim_id}/provenance")).json()
    kinds = [(a["kind"], a["article"]["id"]) for a in body["appearances"]]
    narration = [a for a in body["appearances"] if a["kind"] == "narration"]
    assert len({article for _, article in kinds}) == 5  # five seed articles carry it
    assert len(narration) == 2
    clash = next(a for a in narration if a["text"] == CLASH_NARRATION)
    assert clash["statement_id"] is None and clash["speaker"] is None
    assert clash["outlet"]["name"] == "Clash Report"
    assert clash["chain"] == [
        {"hop": 0, "role": "outlet", "name": "Clash Report", "actor": None,
         "source": clash["outlet"]},
    ]  # fmt: skip
    article = (await client.get(f"/v1/articles/{clash['article']['id']}")).json()
    start, end = clash["content"]["start"], clash["content"]["end"]
    assert article["text"][start:end] == CLASH_NARRATION
    assert {d["op"] for d in clash["diff"]} >= {"equal", "insert"}  # words against the claim's
    assert "Clash Report" in [o["name"] for o in body["claim"]["outlets"]]

    prov = (await client.get(f"/v1/claims/{claim_id}/provenance.prov.json")).json()
    entities = {k: v for k, v in prov["entity"].items() if k.startswith("stmt:narration-")}
    assert {e["prov:value"] for e in entities.values()} >= {CLASH_NARRATION}
    clash_key = next(k for k, e in entities.items() if e["prov:value"] == CLASH_NARRATION)
    outlet = f"source:{clash['outlet']['id']}"
    assert {"prov:entity": clash_key, "prov:agent": outlet} in prov["wasAttributedTo"].values()
