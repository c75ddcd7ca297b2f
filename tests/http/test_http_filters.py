"""Statement filters combine: speaker kind, outlet, upstream source, claim, publication dates."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio


async def _ids(client: AsyncTestClient[Litestar], query: str) -> list[int]:
    response = await client.get(f"/v1/statements?{query}")
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _in_id_order(*ids: int) -> list[int]:
    return sorted(ids)


async def test_speaker_kind(client: AsyncTestClient[Litestar], newsroom: Newsroom) -> None:
    assert await _ids(client, "speaker_kind=government") == [newsroom.s4]
    people = await _ids(client, "speaker_kind=person")
    assert people == _in_id_order(newsroom.s1, newsroom.s2, newsroom.s3, newsroom.s6)


async def test_outlet_and_upstream_are_told_apart(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    guardian = await _ids(client, f"outlet={newsroom.guardian}")
    assert guardian == _in_id_order(newsroom.s1, newsroom.s2, newsroom.s6, newsroom.s4)
    assert await _ids(client, f"outlet={newsroom.reuters}") == []  # Reuters published nothing
    credited = await _ids(client, f"upstream={newsroom.reuters}")
    assert credited == _in_id_order(newsroom.s1, newsroom.s3)
    assert await _ids(client, f"upstream={newsroom.guardian}") == []
    # `source` keeps meaning either.
    assert await _ids(client, f"source={newsroom.reuters}") == credited


async def test_claim(client: AsyncTestClient[Litestar], newsroom: Newsroom) -> None:
    claim = await _ids(client, f"claim={newsroom.c1}")
    assert claim == _in_id_order(newsroom.s1, newsroom.s3, newsroom.s6)
    assert await _ids(client, f"claim={newsroom.c2}") == [newsroom.s4]


async def test_publication_date_range(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    later = await _ids(client, "published_since=2026-01-07")
    assert later == _in_id_order(newsroom.s6, newsroom.s4, newsroom.s3)
    assert await _ids(client, "published_until=2026-01-06") == _in_id_order(
        newsroom.s1, newsroom.s2
    )


async def test_filters_combine(client: AsyncTestClient[Litestar], newsroom: Newsroom) -> None:
    query = f"outlet={newsroom.guardian}&speaker_kind=person&published_since=2026-01-08"
    assert await _ids(client, query) == [newsroom.s6]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("speaker_kind=alien", "speaker_kind"),
        ("outlet=0", "outlet"),
        ("upstream=abc", "upstream"),
        ("claim=-1", "claim"),
        ("published_since=2026-01-09&published_until=2026-01-01", "published_until"),
    ],
)
async def test_bad_filters_are_400_naming_the_field(
    client: AsyncTestClient[Litestar], query: str, field: str
) -> None:
    response = await client.get(f"/v1/statements?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in response.json()["errors"]]
