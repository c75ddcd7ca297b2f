"""ETag, If-None-Match -> 304, Cache-Control and gzip, on real responses."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.http.caching import COMPRESSION_MINIMUM_SIZE, if_none_match_matches
from tests.http.factories import Factory, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}
READS = "public, max-age=60"


def sha256_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()}"'


@pytest.mark.parametrize(
    "path",
    [
        "/v1/statements",
        "/v1/statements?kind=direct&limit=1",
        "/v1/actors",
        "/v1/articles",
        "/v1/sources",
        "/v1/claims",
        "/docs/openapi.json",
    ],
)
async def test_reads_carry_a_strong_etag_of_the_body_and_cache_control(
    client: Client, newsroom: Newsroom, path: str
) -> None:
    response = await client.get(path, headers=IDENTITY)

    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.headers["etag"] == sha256_etag(response.content)
    assert response.headers["cache-control"] == READS


async def test_one_resource_and_nested_reads_carry_etags(
    client: Client, newsroom: Newsroom
) -> None:
    for path in (
        f"/v1/statements/{newsroom.s1}",
        f"/v1/actors/{newsroom.macron}/statements",
        f"/v1/claims/{newsroom.c1}/provenance",
    ):
        response = await client.get(path, headers=IDENTITY)
        assert response.status_code == 200, path
        assert response.headers["etag"] == sha256_etag(response.content), path


async def test_if_none_match_round_trip_is_a_304_without_body(
    client: Client, newsroom: Newsroom
) -> None:
    first = await client.get("/v1/statements", headers=IDENTITY)
    etag = first.headers["etag"]

    again = await client.get("/v1/statements", headers={**IDENTITY, "If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == READS
    assert "accept-encoding" in again.headers["vary"].lower()
    # A 304 sends validators, not the representation's metadata.
    assert "content-type" not in again.headers
    assert "link" not in again.headers


@pytest.mark.parametrize(
    "if_none_match",
    [
        "{etag}",
        "W/{etag}",  # weak comparison
        '"something-else", {etag}',  # a list of tags
        '"a", W/"b",W/{etag}',
        "*",
    ],
)
async def test_if_none_match_forms_that_match(
    client: Client, newsroom: Newsroom, if_none_match: str
) -> None:
    etag = (await client.get("/v1/sources", headers=IDENTITY)).headers["etag"]

    response = await client.get(
        "/v1/sources", headers={**IDENTITY, "If-None-Match": if_none_match.format(etag=etag)}
    )

    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("if_none_match", ['"nope"', 'W/"nope", "also-nope"', "garbage", ""])
async def test_if_none_match_forms_that_do_not_match(
    client: Client, newsroom: Newsroom, if_none_match: str
) -> None:
    response = await client.get("/v1/sources", headers={**IDENTITY, "If-None-Match": if_none_match})

    assert response.status_code == 200
    assert response.json()["items"]
    assert response.headers["etag"] == sha256_etag(response.content)


async def test_etag_changes_when_the_data_changes(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    before = await client.get("/v1/statements", headers=IDENTITY)

    factory = Factory(async_session)
    article = await factory.article("The minister said nothing new.", published=None)
    await factory.statement(article, "nothing new", kind="reported")
    await async_session.commit()
    after = await client.get(
        "/v1/statements", headers={**IDENTITY, "If-None-Match": before.headers["etag"]}
    )

    assert after.status_code == 200
    assert len(after.json()["items"]) == len(before.json()["items"]) + 1
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["etag"] == sha256_etag(after.content)


async def test_different_queries_have_different_etags(client: Client, newsroom: Newsroom) -> None:
    direct = await client.get("/v1/statements?kind=direct", headers=IDENTITY)
    reported = await client.get("/v1/statements?kind=reported", headers=IDENTITY)

    assert direct.headers["etag"] != reported.headers["etag"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/statements/424242", 404),
        ("GET", "/v1/no-such-route", 404),
        ("GET", "/v1/statements?limit=0", 400),
        ("DELETE", "/v1/statements", 405),
    ],
)
async def test_errors_are_no_store_without_etag(
    client: Client, newsroom: Newsroom, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_errors_ignore_if_none_match(client: Client) -> None:
    response = await client.get("/v1/statements/424242", headers={"If-None-Match": "*"})

    assert response.status_code == 404


async def test_health_is_no_store(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/health", headers=IDENTITY)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["etag"] == sha256_etag(response.content)


async def test_bodies_above_the_threshold_are_gzipped(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/statements", headers=GZIP)

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    # httpx has decoded it: what came over the wire was smaller, and real gzip.
    assert len(response.content) >= COMPRESSION_MINIMUM_SIZE
    assert int(response.headers["content-length"]) < len(response.content)
    assert response.json()["items"]
    # The coded bytes are not the identity bytes: the tag is weak, over the identity body.
    assert response.headers["etag"] == "W/" + sha256_etag(response.content)


async def test_bodies_below_the_threshold_are_not_gzipped(
    client: Client, newsroom: Newsroom
) -> None:
    response = await client.get(f"/v1/actors/{newsroom.kremlin}", headers=GZIP)

    assert response.status_code == 200
    assert len(response.content) < COMPRESSION_MINIMUM_SIZE
    assert "content-encoding" not in response.headers
    assert response.headers["etag"] == sha256_etag(response.content)


async def test_no_gzip_unless_the_client_accepts_it(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/statements", headers=IDENTITY)

    assert len(response.content) >= COMPRESSION_MINIMUM_SIZE
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)


async def test_gzip_body_is_decodable_gzip(client: Client, newsroom: Newsroom) -> None:
    identity = await client.get("/docs/openapi.json", headers=IDENTITY)
    async with client.stream("GET", "/docs/openapi.json", headers=GZIP) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])

    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == identity.content
    assert json.loads(gzip.decompress(raw))["openapi"].startswith("3.1")


async def test_304_round_trip_with_gzip(client: Client, newsroom: Newsroom) -> None:
    first = await client.get("/v1/statements", headers=GZIP)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')

    again = await client.get("/v1/statements", headers={**GZIP, "If-None-Match": etag})
    # The same representation fetched without gzip revalidates too (weak comparison).
    plain = await client.get("/v1/statements", headers={**IDENTITY, "If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "content-encoding" not in again.headers
    assert plain.status_code == 304


@pytest.mark.parametrize(
    ("header", "etag", "expected"),
    [
        ('"abc"', '"abc"', True),
        ('W/"abc"', '"abc"', True),
        ('"abc"', 'W/"abc"', True),
        (' "x" , "abc" ', '"abc"', True),
        ('"a,b", "c"', '"a,b"', True),  # commas may occur inside a tag
        ("*", '"abc"', True),
        ('"abcd"', '"abc"', False),
        ("abc", '"abc"', False),  # unquoted: not an entity-tag
        ("", '"abc"', False),
    ],
)
def test_if_none_match_weak_comparison(header: str, etag: str, expected: bool) -> None:
    assert if_none_match_matches(header, etag) is expected
