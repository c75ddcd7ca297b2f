"""Problem documents (RFC 9457) for unknown routes and ids, wrong methods and crashes."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.services.statement_reader import StatementReader
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "path",
    ["/v1/nope", "/nope", "/v1/statements/424242", "/v1/statements/abc", "/v2/statements"],
)
async def test_unknown_routes_and_ids_are_404_problems(
    client: Client, newsroom: Newsroom, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "https://statements.dev/problems/not-found"
    assert problem["title"] == "Not Found"
    assert problem["status"] == 404
    assert problem["instance"] == path
    assert problem["detail"]
    assert "errors" not in problem  # omitted when empty


async def test_out_of_range_path_id_is_400(client: Client) -> None:
    response = await client.get("/v1/statements/99999999999")

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["statement_id"]


async def test_wrong_method_is_405_problem(client: Client) -> None:
    response = await client.delete("/v1/statements")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "GET" in response.headers["allow"]
    problem = response.json()
    assert problem["type"] == "https://statements.dev/problems/method-not-allowed"
    assert problem["status"] == 405
    assert problem["instance"] == "/v1/statements"


async def test_unexpected_errors_are_500_problems_without_internals(
    client: Client,
    newsroom: Newsroom,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def explode(self: StatementReader, statement_id: int) -> None:
        raise RuntimeError("SELECT secret FROM statements -- password=hunter2")

    monkeypatch.setattr(StatementReader, "get", explode)
    with caplog.at_level(logging.ERROR, logger="api.http.problems"):
        response = await client.get(f"/v1/statements/{newsroom.s1}")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "https://statements.dev/problems/internal-error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "An unexpected error occurred. It has been logged.",
        "instance": f"/v1/statements/{newsroom.s1}",
        "request_id": response.headers["x-request-id"],
    }
    for leak in ("SELECT", "hunter2", "Traceback", "RuntimeError"):
        assert leak not in response.text
    # ...but the operator gets the whole story.
    (record,) = [r for r in caplog.records if r.name == "api.http.problems"]
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])
    assert record.request_id == response.headers["x-request-id"]
