"""/v1/claims/{id} of a claim merged into another: a redirect to the claim it became."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import ClaimMergeRow
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


async def merged_id(async_session: AsyncSession, newsroom: Newsroom) -> int:
    """An id no claim has, recorded as merged into claim c1."""
    old = max(newsroom.c1, newsroom.c2) + 100
    async_session.add(ClaimMergeRow(claim_id=old, into_id=newsroom.c1))
    await async_session.commit()
    return old


async def test_a_merged_claim_redirects_to_the_claim_it_became(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    old = await merged_id(async_session, newsroom)

    response = await client.get(f"/v1/claims/{old}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/v1/claims/{newsroom.c1}"
    assert response.headers["cache-control"] == "no-store"

    followed = await client.get(f"/v1/claims/{old}")
    assert followed.status_code == 200
    assert followed.json()["claim"]["id"] == newsroom.c1


async def test_the_provenance_of_a_merged_claim_redirects_with_its_suffix_and_query(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    old = await merged_id(async_session, newsroom)
    for suffix in ("provenance", "provenance.prov.json"):
        response = await client.get(f"/v1/claims/{old}/{suffix}?x=1", follow_redirects=False)
        assert response.status_code == 308
        assert response.headers["location"] == f"/v1/claims/{newsroom.c1}/{suffix}?x=1"


async def test_an_id_never_merged_is_still_a_404(client: Client, newsroom: Newsroom) -> None:
    response = await client.get(f"/v1/claims/{max(newsroom.c1, newsroom.c2) + 200}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
