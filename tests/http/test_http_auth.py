"""API keys: 401 without a key, 403 without the scope, public reads unless configured."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.app import create_app
from api.services.keys import Scope, create_key, revoke_key
from api.settings import Settings
from api.storage.models import ApiKeyRow

pytestmark = pytest.mark.anyio

PROBLEM = "application/problem+json"


async def _key(session: AsyncSession, name: str, *scopes: Scope) -> str:
    _row, token = await session.run_sync(lambda s: create_key(s, name, list(scopes)))
    await session.commit()
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_key_check_without_key_is_401_with_a_challenge(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/v1/keys/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "API key" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer stmt_nope_nope", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer "],
)
async def test_malformed_or_unknown_keys_are_401(
    client: AsyncTestClient[Litestar], header: str
) -> None:
    response = await client.get("/v1/keys/me", headers={"Authorization": header})
    assert response.status_code == 401


async def test_a_valid_key_is_recognised_and_a_wrong_secret_is_not(
    client: AsyncTestClient[Litestar], async_session: AsyncSession
) -> None:
    token = await _key(async_session, "desk", Scope.INGEST, Scope.READ)
    response = await client.get("/v1/keys/me", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json()["name"] == "desk"
    assert response.json()["scopes"] == ["ingest", "read"]
    # What a key's holder reads is not for shared caches.
    assert response.headers["cache-control"].startswith("private")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert (await client.get("/v1/keys/me", headers=_bearer(forged))).status_code == 401


async def test_a_revoked_key_stops_working(
    client: AsyncTestClient[Litestar], async_session: AsyncSession
) -> None:
    token = await _key(async_session, "old", Scope.EDIT)
    assert (await client.get("/v1/keys/me", headers=_bearer(token))).status_code == 200
    key_id = int((await client.get("/v1/keys/me", headers=_bearer(token))).json()["id"])
    assert await async_session.run_sync(lambda s: revoke_key(s, key_id))
    await async_session.commit()
    assert (await client.get("/v1/keys/me", headers=_bearer(token))).status_code == 401


async def test_reads_are_public_by_default(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/v1/statements")).status_code == 200


async def test_private_reads_need_the_read_scope(
    session_maker: async_sessionmaker[AsyncSession], async_session: AsyncSession
) -> None:
    reader = await _key(async_session, "reader", Scope.READ)
    ingester = await _key(async_session, "ingester", Scope.INGEST)
    admin = await _key(async_session, "admin", Scope.ADMIN)
    app = create_app(Settings(reads_require_key=True), session_maker=session_maker)
    async with AsyncTestClient(app) as private:
        anonymous = await private.get("/v1/statements")
        assert anonymous.status_code == 401
        wrong_scope = await private.get("/v1/statements", headers=_bearer(ingester))
        assert wrong_scope.status_code == 403
        assert wrong_scope.headers["content-type"].startswith(PROBLEM)
        assert "read" in wrong_scope.json()["detail"]
        assert (await private.get("/v1/statements", headers=_bearer(reader))).status_code == 200
        assert (await private.get("/v1/sources", headers=_bearer(admin))).status_code == 200
        # A key of any scope may still check itself.
        assert (await private.get("/v1/keys/me", headers=_bearer(ingester))).status_code == 200
        assert (await private.get("/health")).status_code in {200, 503}


async def test_rate_limit_headers_then_429_with_retry_after(
    session_maker: async_sessionmaker[AsyncSession], async_session: AsyncSession
) -> None:
    token = await _key(async_session, "busy", Scope.READ)
    app = create_app(Settings(rate_limit_per_minute=3), session_maker=session_maker)
    async with AsyncTestClient(app) as limited:
        first = await limited.get("/v1/sources")
        assert first.status_code == 200
        assert first.headers["ratelimit-policy"] == "3; w=60"
        assert first.headers["ratelimit"].startswith("limit=3, remaining=2")
        for _ in range(2):
            assert (await limited.get("/v1/sources")).status_code == 200
        refused = await limited.get("/v1/sources")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert int(refused.headers["retry-after"]) > 0
        assert "remaining=0" in refused.headers["ratelimit"]
        # Another client (here: an API key) has a budget of its own, and /health is exempt.
        assert (await limited.get("/v1/sources", headers=_bearer(token))).status_code == 200
        assert (await limited.get("/health")).status_code in {200, 503}


async def test_bodies_over_the_limit_are_413_problems(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    from litestar import post
    from litestar.params import JSONBody

    @post("/v1/echo-size", sync_to_thread=False)
    def echo_size(data: JSONBody[dict[str, str]]) -> dict[str, int]:
        # A route that reads its body, registered for this test only: the product's
        # write endpoints arrive with article submission.
        return {"size": len(data.get("text", ""))}

    app = create_app(Settings(max_body_bytes=200), session_maker=session_maker)
    app.register(echo_size)
    async with AsyncTestClient(app) as small:
        accepted = await small.post("/v1/echo-size", json={"text": "x" * 50})
        assert accepted.status_code == 201
        refused = await small.post("/v1/echo-size", json={"text": "x" * 5000})
        assert refused.status_code == 413
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert "x" * 100 not in refused.text


async def test_key_use_is_recorded_at_most_once_a_minute(
    client: AsyncTestClient[Litestar], async_session: AsyncSession
) -> None:
    token = await _key(async_session, "desk", Scope.READ)
    key_id = (await client.get("/v1/keys/me", headers=_bearer(token))).json()["id"]

    async def last_used() -> dt.datetime | None:
        async_session.expire_all()
        row = await async_session.get(ApiKeyRow, key_id)
        assert row is not None
        return row.last_used_at

    first = await last_used()
    assert first is not None
    await client.get("/v1/keys/me", headers=_bearer(token))
    assert await last_used() == first  # within the minute: no write
    await async_session.execute(
        update(ApiKeyRow)
        .where(ApiKeyRow.id == key_id)
        .values(last_used_at=first - dt.timedelta(minutes=5))
    )
    await async_session.commit()
    await client.get("/v1/keys/me", headers=_bearer(token))
    later = await last_used()
    assert later is not None and later > first - dt.timedelta(minutes=5)
