"""Bearer API keys: guards that require a key, optionally with a scope.

401 (with ``WWW-Authenticate: Bearer``) when no valid key is sent; 403 when the key
lacks the scope. Keys are looked up in a short session of their own: guards run before
the request's dependencies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.dependencies import SESSION_MAKER_STATE_KEY
from api.services.keys import Principal, Scope, authenticate, touch_key

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]
PRINCIPAL_STATE_KEY = "principal"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="statements"'}


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    cached = connection.state.get(PRINCIPAL_STATE_KEY)
    if isinstance(cached, Principal):
        return cached
    token = bearer_token(connection)
    if token is None:
        raise NotAuthorizedException(
            detail="this endpoint needs an API key: send 'Authorization: Bearer <key>'",
            headers=CHALLENGE,
        )
    session_maker: async_sessionmaker[AsyncSession] = connection.app.state[SESSION_MAKER_STATE_KEY]
    async with session_maker() as session:
        principal = await authenticate(session, token)
        await session.rollback()  # end the read before the write below
        if principal is not None:
            await _record_use(session, principal)
    if principal is None:
        raise NotAuthorizedException(detail="the API key is unknown or revoked", headers=CHALLENGE)
    connection.state[PRINCIPAL_STATE_KEY] = principal
    return principal


async def _record_use(session: AsyncSession, principal: Principal) -> None:
    """Best effort: a busy database (an ingest job holding SQLite's write lock) must not
    fail the request over a last-used timestamp."""
    try:
        await touch_key(session, principal.key_id)
        await session.commit()
    except OperationalError:
        await session.rollback()


def require_key(scope: Scope | None = None) -> Guard:
    """A guard: any valid key, or one holding ``scope`` (admin holds every scope)."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
    ) -> None:
        principal = await principal_of(connection)
        if scope is not None and not principal.allows(scope):
            raise PermissionDeniedException(
                detail=f"the API key '{principal.name}' lacks the '{scope.value}' scope"
            )

    return guard
