"""Rendered responses kept in memory, valid for as long as the data version stands still.

Reads dominate a newsroom API, and most of them ask again for what was just rendered:
the same statement, the same actor's page, the same provenance. Litestar's response
cache (handlers marked ``cache=CACHED``) keeps the encoded messages of a 200 and serves
them without running the dependencies, the queries or the encoder again. Guards still
run first, so a key that reads need is still checked.

What makes a kept response safe to serve is the *data version* (``api.storage.
data_version``): every write to a served table moves it forward, whichever process
made it. ``DataVersionMiddleware`` reads it at most once per ``refresh_seconds`` (and
at once after any request that may have written through this process), puts it in
the request's state, and empties the store when it has moved. The cache key carries
the version, so a response rendered under an older version is never served under a
newer one. A write by another process (a worker, another API process) is therefore
seen within ``refresh_seconds``; a write through this process, at once.

The key also carries what makes the same URL render differently: whether the client
takes gzip (Litestar keeps the coded bytes), whether it sent credentials (the
Cache-Control is then ``private``) and its Origin (the CORS headers).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from litestar.config.response_cache import ResponseCacheConfig
from litestar.enums import HttpMethod, ScopeType
from litestar.stores.base import Store
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.dependencies import SESSION_MAKER_STATE_KEY
from api.storage.data_version import read_data_version

if TYPE_CHECKING:
    from litestar import Request
    from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send

# Handlers pass ``cache=CACHED``: kept until the data version moves, never by age.
CACHED = True
STORE_NAME = "responses"
VERSION_STATE_KEY = "statements.data_version"
TRACKER_STATE_KEY = "data_version_tracker"
SKIP = "statements.skip_keeping"
_SAFE_METHODS = frozenset({HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS})


class BoundedMemoryStore(Store):
    """Least recently used entries go first once ``max_bytes`` of values are held.

    Litestar's own memory store has no bound; an API process must stay small whatever
    the corpus (a million statements are many more responses than fit in memory).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.held_bytes = 0
        self._entries: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        if len(data) > self.max_bytes:
            return
        await self.delete(key)
        seconds = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
        deadline = time.monotonic() + seconds if seconds is not None else None
        self._entries[key] = (data, deadline)
        self.held_bytes += len(data)
        while self.held_bytes > self.max_bytes:
            _, (evicted, _) = self._entries.popitem(last=False)
            self.held_bytes -= len(evicted)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        data, deadline = entry
        if deadline is not None and deadline <= time.monotonic():
            await self.delete(key)
            return None
        self._entries.move_to_end(key)
        return data

    async def delete(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.held_bytes -= len(entry[0])

    async def delete_all(self) -> None:
        self._entries.clear()
        self.held_bytes = 0

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        entry = self._entries.get(key)
        if entry is None or entry[1] is None:
            return None
        return max(0, int(entry[1] - time.monotonic()))

    @property
    def entries(self) -> int:
        # Not __len__: Litestar's registry replaces a store that tests false.
        return len(self._entries)


class DataVersionTracker:
    """The last data version read, and when; one reading at a time however many ask."""

    def __init__(self, store: Store, refresh_seconds: float) -> None:
        self.store = store
        self.refresh_seconds = refresh_seconds
        self.version: int | None = None
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    def mark_stale(self) -> None:
        self._read_at = float("-inf")

    def _fresh(self) -> bool:
        return time.monotonic() - self._read_at < self.refresh_seconds

    async def current(self, session_maker: async_sessionmaker[AsyncSession]) -> int | None:
        if self._fresh():
            return self.version
        async with self._lock:
            if self._fresh():  # another request read it while this one waited
                return self.version
            async with session_maker() as session:
                version = await read_data_version(session)
            if version != self.version:
                await self.store.delete_all()
                self.version = version
            self._read_at = time.monotonic()
            return version


class DataVersionMiddleware:
    """Puts the data version in the state of cached reads; marks it stale after writes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        app_state = scope["litestar_app"].state
        tracker: DataVersionTracker | None = app_state.get(TRACKER_STATE_KEY)
        if tracker is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in _SAFE_METHODS:
            try:
                await self.app(scope, receive, send)
            finally:
                tracker.mark_stale()  # whatever it wrote is read back on the next read
            return
        if getattr(scope["route_handler"], "cache", False):
            version = await tracker.current(app_state[SESSION_MAKER_STATE_KEY])
            scope.setdefault("state", {})[VERSION_STATE_KEY] = version
        await self.app(scope, receive, send)


def _version_of(state: dict[str, Any]) -> int | None:
    version = state.get(VERSION_STATE_KEY)
    return version if isinstance(version, int) else None


def response_key(request: Request[Any, Any, Any]) -> str:
    """Version, method, path and query as sent, gzip or not, credentials or not, and the
    Origin. A response is kept with the headers the layers outside the cache added to
    it (CORS's among them), so one kept for an allowed origin must never be replayed to
    another origin, or to a request without one."""
    scope = request.scope
    version = _version_of(scope.get("state", {}))
    headers = request.headers
    gzip = "gzip" in headers.get("accept-encoding", "")
    credentials = "authorization" in headers
    origin = headers.get("origin", "")
    query = scope["query_string"].decode("latin-1")
    return (
        f"{version}|{int(gzip)}{int(credentials)}|{origin}|"
        f"{scope['method']} {scope['path']}?{query}"
    )


def keep_response(scope: HTTPScope, status_code: int) -> bool:
    """Only a 200 rendered under a known data version is kept, unless its handler said
    that reading it again costs less than keeping it (``skip_keeping``)."""
    state = scope.get("state", {})
    return status_code == 200 and _version_of(dict(state)) is not None and SKIP not in state


def skip_keeping(request: Request[Any, Any, Any]) -> None:
    """Do not keep this response: e.g. a statement document read from a local SQLite
    file in microseconds, where storing every uniformly drawn id would cost more."""
    request.scope.setdefault("state", {})[SKIP] = True


def response_cache_config() -> ResponseCacheConfig:
    return ResponseCacheConfig(
        default_expiration=None,
        key_builder=response_key,
        store=STORE_NAME,
        cache_response_filter=keep_response,
    )
