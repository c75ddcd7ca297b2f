"""Cursor pagination: pages, has_more, next_cursor, the Link header and bad input."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.app import create_app
from api.http.pagination import decode_cursor, encode_cursor
from api.settings import Settings
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


async def test_walks_all_pages_with_cursors_and_link(client: Client, newsroom: Newsroom) -> None:
    seen: list[int] = []
    url: str | None = "/v1/statements?limit=4"
    pages = 0
    while url is not None:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += ids(body)
        pages += 1
        if body["has_more"]:
            assert isinstance(body["next_cursor"], str)
            match = LINK.match(response.headers["link"])
            assert match is not None, response.headers["link"]
            url = match["url"]
            assert parse_qs(urlsplit(url).query) == {
                "limit": ["4"],
                "cursor": [body["next_cursor"]],
            }
        else:
            assert body["next_cursor"] is None
            assert "link" not in response.headers
            url = None
    assert pages == 2
    assert seen == newsroom.statements_in_id_order


async def test_next_cursor_continues_after_last_item(client: Client, newsroom: Newsroom) -> None:
    first = (await client.get("/v1/statements?limit=2")).json()
    assert ids(first) == [newsroom.s1, newsroom.s2]
    assert first["has_more"] is True

    second = (await client.get(f"/v1/statements?limit=2&cursor={first['next_cursor']}")).json()
    assert ids(second) == [newsroom.s6, newsroom.s4]


async def test_exact_fit_has_no_next_page(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/statements?limit=6")
    body = response.json()
    assert len(body["items"]) == 6
    assert body["has_more"] is False
    assert body["next_cursor"] is None
    assert "link" not in response.headers


async def test_link_keeps_the_filters(client: Client, newsroom: Newsroom) -> None:
    response = await client.get(f"/v1/statements?speaker={newsroom.macron}&limit=1")
    match = LINK.match(response.headers["link"])
    assert match is not None
    query = parse_qs(urlsplit(match["url"]).query)
    assert query["speaker"] == [str(newsroom.macron)]
    assert urlsplit(match["url"]).path == "/v1/statements"

    second = (await client.get(match["url"])).json()
    assert ids(second) == [newsroom.s6]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/actors?limit=2", ["macron", "zelensky"]),
        ("/v1/articles?limit=2", ["a1", "a_late"]),
        ("/v1/sources?limit=2", ["guardian", "lemonde"]),
        ("/v1/claims?limit=1", ["c1"]),
    ],
)
async def test_every_list_is_paginated(
    client: Client, newsroom: Newsroom, path: str, expected: list[str]
) -> None:
    response = await client.get(path)
    body = response.json()
    assert ids(body) == [getattr(newsroom, name) for name in expected]
    assert body["has_more"] is True
    assert LINK.match(response.headers["link"])


async def test_default_page_size_comes_from_settings(
    newsroom: Newsroom, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    app = create_app(Settings(default_page_size=5, max_page_size=5), session_maker=session_maker)
    async with AsyncTestClient(app) as small_pages:
        body = (await small_pages.get("/v1/statements")).json()
        assert len(body["items"]) == 5
        assert body["has_more"] is True
        too_big = await small_pages.get("/v1/statements?limit=6")
        assert too_big.status_code == 400


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(12345)) == 12345
    assert re.fullmatch(r"[A-Za-z0-9_-]+", encode_cursor(2_147_483_647))


def _forged(payload: object) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(payload)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        "é",
        _forged([2, 5]),  # unknown version
        _forged([1, -1]),  # negative id
        _forged([1, 2**40]),  # beyond any id
        _forged({"after_id": 5}),  # wrong shape
        "x" * 65,  # longer than any cursor we issue
    ],
)
async def test_bad_cursor_is_a_400_problem(client: Client, cursor: str) -> None:
    response = await client.get("/v1/statements", params={"cursor": cursor})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["instance"] == "/v1/statements"
    assert [error["field"] for error in problem["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=abc", "limit"),
        ("limit=-3", "limit"),
        ("kind=bogus", "kind"),
        ("since=notadate", "since"),
        ("until=2026-13-01", "until"),
        ("since=2026-01-08&until=2026-01-07", "until"),
        ("speaker=abc", "speaker"),
        ("source=0", "source"),
        ("article=99999999999", "article"),
        ("q=" + "x" * 201, "q"),
    ],
)
async def test_invalid_parameters_are_400_problems_naming_the_field(
    client: Client, query: str, field: str
) -> None:
    response = await client.get(f"/v1/statements?{query}")

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://statements.dev/problems/invalid-request"
    assert problem["title"] == "Bad Request"
    assert problem["status"] == 400
    assert problem["instance"] == "/v1/statements"
    assert field in problem["detail"]
    assert [error["field"] for error in problem["errors"]] == [field]
    assert all(error["message"] for error in problem["errors"])
