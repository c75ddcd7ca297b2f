"""The Litestar application: routes, dependencies, problem handlers, CORS and docs.

``create_app`` is for code and tests; ``app_from_env`` is for
``uvicorn --factory api.http.app:app_from_env``.

Around the routes, from the outside in: ``RequestContextMiddleware`` (request ids, log
context, error Cache-Control, Vary; see ``api.http.request_context``), Litestar's CORS,
then per route gzip and the ETag / conditional GET layer (``api.http.caching``). Before
all of them, ``api.http.fast_reads`` answers the statement reads it can answer exactly
as they would.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin
from litestar.types import (
    LifeSpanReceive,
    LifeSpanScope,
    LifeSpanSend,
    Receive,
    Scope,
    Send,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.auth import Guard, require_key
from api.http.caching import CACHE_CONTROL_HEADER, ETAG_HEADER, compression_config
from api.http.controllers import (
    ActorController,
    ArticleController,
    ClaimController,
    JobController,
    SourceController,
    StatementController,
    health,
)
from api.http.controllers.actors import redirect_merged
from api.http.controllers.keys import KeyController
from api.http.dependencies import (
    EXPORT_BATCH_SIZE_STATE_KEY,
    KEY_SCOPE_OPT,
    SERVICE_DEPENDENCIES,
    SESSION_MAKER_STATE_KEY,
    STATEMENT_READER_STATE_KEY,
    TEXT_INDEX_STATE_KEY,
)
from api.http.docs import openapi_config
from api.http.fast_reads import FastDocumentReads
from api.http.pagination import make_window_provider
from api.http.problems import EXCEPTION_HANDLERS
from api.http.ratelimit import rate_limit_config
from api.http.request_context import (
    REQUEST_ID_HEADER,
    REQUEST_ID_RESPONSE_HEADER,
    RequestContextMiddleware,
)
from api.http.response_cache import (
    STORE_NAME,
    TRACKER_STATE_KEY,
    BoundedMemoryStore,
    DataVersionMiddleware,
    DataVersionTracker,
    response_cache_config,
)
from api.logs import configure_logging
from api.services import EXPORT_BATCH_SIZE, MergedActorError
from api.services.keys import Scope as KeyScope
from api.services.statement_reader import StatementReader
from api.settings import Settings, load_settings
from api.storage.document_reads import document_reads
from api.storage.engine import async_session_factory, is_sqlite, make_async_engine
from api.storage.text_index import TextIndexHandle

API_PREFIX = "/v1"


def database_lifespan(
    database_url: str, pool_size: int
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Create the engine at startup and dispose of it at shutdown, not at import time."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # pre_ping: a pooled connection the server dropped is replaced, not surfaced as a
        # 500. A SQLite file has no server to drop it, so the round trip buys nothing.
        # A fixed pool: at 64 concurrent searches on a 1M-statement SQLite file, the
        # default pool (5, then 10 more) opened 15 connections, each an aiosqlite thread
        # with its own page cache, 58 MB of the process's memory, and served no more
        # searches a second than 4 connections (docs/benchmarks.md, section 2).
        engine = make_async_engine(
            database_url,
            pool_pre_ping=not is_sqlite(database_url),
            pool_size=pool_size,
            max_overflow=0,
        )
        sessions = async_session_factory(engine)
        app.state[SESSION_MAKER_STATE_KEY] = sessions
        documents = document_reads(database_url)
        app.state[STATEMENT_READER_STATE_KEY] = StatementReader(sessions, documents)
        try:
            yield
        finally:
            if documents is not None:
                await documents.close()
            await engine.dispose()

    return lifespan


# Browsers hide response headers from scripts unless they are exposed.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    REQUEST_ID_HEADER,
    "Content-Disposition",
    "RateLimit",
    "RateLimit-Policy",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
]
# Besides the CORS-safelisted ones: revalidation, and ids for tracing a request.
CORS_ALLOW_HEADERS = ["Authorization", "If-None-Match", REQUEST_ID_HEADER]


def cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=CORS_ALLOW_HEADERS,
        expose_headers=CORS_EXPOSE_HEADERS,
    )


def read_guard() -> Guard:
    """The ``read`` scope for every route, except those requiring a scope of their own.

    A route declaring ``opt={KEY_SCOPE_OPT: scope}`` (e.g. submitting an article, which
    needs ``ingest``) is guarded by that scope alone: a key for writes need not also read.
    """
    require_read = require_key(KeyScope.READ)

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        if handler.opt.get(KEY_SCOPE_OPT) is None:
            await require_read(connection, handler)

    return guard


class StatementsApp(Litestar):
    """Litestar, entered through ``RequestContextMiddleware``.

    Litestar runs middleware only for matched routes; the request context must also
    cover routing 404/405s and CORS preflights, so it wraps the whole application.

    With ``fast_reads``, a ``GET /v1/statements/{id}`` or ``/v1/claims/{id}/provenance``
    with a stored document is answered before any of that, by ``api.http.fast_reads``
    (the same answer, for a fraction of the cost); everything else goes the whole way.
    """

    def __init__(
        self, *args: Any, fast_reads: bool = False, page_size: int = 20, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._fast_reads_wanted = fast_reads
        self._page_size = page_size

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        """Litestar's default plugins but the pydantic ones: the API's models are msgspec
        Structs. Litestar adds pydantic's plugins whenever pydantic can be imported, and
        spaCy installs it beside the API; importing it kept 6 MB of every API process
        resident for nothing (tests/http/test_http_app.py checks it stays unloaded)."""
        plugins.append(MsgspecDIPlugin())
        return plugins

    @cached_property
    def _vary(self) -> list[str]:
        vary = ["Accept-Encoding"] if self.compression_config else []
        if self.cors_config:
            vary.append("Origin")
        return vary

    @cached_property
    def _entry(self) -> RequestContextMiddleware:
        return RequestContextMiddleware(super().__call__, vary=self._vary)

    @cached_property
    def fast_reads(self) -> FastDocumentReads | None:
        if not self._fast_reads_wanted:
            return None
        return FastDocumentReads(
            self, api_prefix=API_PREFIX, vary=self._vary, page_size=self._page_size
        )

    async def __call__(
        self,
        scope: Scope | LifeSpanScope,
        receive: Receive | LifeSpanReceive,
        send: Send | LifeSpanSend,
    ) -> None:
        if scope["type"] == "lifespan":
            await super().__call__(scope, receive, send)
            return
        fast = self.fast_reads
        if fast is not None and scope["type"] == ScopeType.HTTP:
            target = fast.target(scope)
            if target is not None and await fast.answer(scope, target, cast("Send", send)):
                return
        await self._entry(scope, cast("Receive", receive), cast("Send", send))


def create_app(
    settings: Settings | None = None,
    *,
    session_maker: async_sessionmaker[AsyncSession] | None = None,
    export_batch_size: int = EXPORT_BATCH_SIZE,
    fast_reads: bool = True,
) -> Litestar:
    """Build the app. With ``session_maker`` (tests) no engine is created or disposed.

    ``export_batch_size`` is how many statements the streamed exports read (and send)
    at a time. ``fast_reads=False`` sends every statement read the whole way through
    Litestar (the tests compare both answers); without a read key requirement and a
    rate limit, statement reads are otherwise answered by ``api.http.fast_reads``.
    """
    settings = settings or Settings()
    v1 = Router(
        path=API_PREFIX,
        route_handlers=[
            StatementController,
            ActorController,
            ArticleController,
            SourceController,
            ClaimController,
            JobController,
        ],
        guards=[read_guard()] if settings.reads_require_key else [],
    )
    # Outside the read guard: a key of any scope may check itself.
    v1_keys = Router(path=API_PREFIX, route_handlers=[KeyController])
    rate_limit = rate_limit_config(settings)
    responses = BoundedMemoryStore(max(0, settings.response_cache_mb) * 1024 * 1024)
    tracker = (
        DataVersionTracker(responses, settings.cache_refresh_seconds)
        if settings.response_cache_mb > 0
        else None
    )
    return StatementsApp(
        route_handlers=[v1, v1_keys, health],
        # Layers that must see every read (a key check, a rate) leave no read to skip them.
        fast_reads=fast_reads and not settings.reads_require_key and rate_limit is None,
        page_size=min(settings.default_page_size, settings.max_page_size),
        # Outermost first: a request over its rate is refused before anything is read.
        middleware=[
            *([rate_limit.middleware] if rate_limit is not None else []),
            DataVersionMiddleware,
        ],
        stores={STORE_NAME: responses},
        response_cache_config=response_cache_config(),
        request_max_body_size=settings.max_body_bytes,
        dependencies={
            **SERVICE_DEPENDENCIES,
            "window": Provide(make_window_provider(settings)),
        },
        # A merged actor's reads redirect to the actor it became.
        exception_handlers={**EXCEPTION_HANDLERS, MergedActorError: redirect_merged},
        lifespan=[]
        if session_maker is not None
        else [database_lifespan(settings.database_url, settings.database_pool_size)],
        # Without a session maker here, database_lifespan sets one at startup.
        state=State(
            {
                SESSION_MAKER_STATE_KEY: session_maker,
                EXPORT_BATCH_SIZE_STATE_KEY: export_batch_size,
                TRACKER_STATE_KEY: tracker,
                TEXT_INDEX_STATE_KEY: (
                    TextIndexHandle(Path(settings.search_index_path))
                    if settings.search_index_path
                    else None
                ),
            }
        ),
        cors_config=cors_config(settings),
        compression_config=compression_config(),
        # Documentation only: the headers themselves come from the layers named above.
        response_headers=[REQUEST_ID_RESPONSE_HEADER, ETAG_HEADER, CACHE_CONTROL_HEADER],
        openapi_config=openapi_config(),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Factory for uvicorn: settings from ``STATEMENTS_*`` environment variables.

    Also configures structlog for the server process (each worker calls this), so the
    per-request ``http.request`` lines carry ``request_id`` in the configured format.
    """
    settings = load_settings()
    configure_logging(settings.log_level)
    app = create_app(settings)
    # What the process holds from here on (modules, the app, its routes and schemas) is
    # never garbage. Frozen, it is left out of the collector's full passes, which
    # otherwise walk all of it every few hundred requests: a pause of tens of
    # milliseconds that lands on whichever request is running.
    gc.collect()
    gc.freeze()
    return app
