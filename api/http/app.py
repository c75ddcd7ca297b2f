"""The Litestar application: routes, dependencies, problem handlers, CORS and docs.

``create_app`` is for code and tests; ``app_from_env`` is for
``uvicorn --factory api.http.app:app_from_env``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.controllers import (
    ActorController,
    ArticleController,
    ClaimController,
    SourceController,
    StatementController,
    health,
)
from api.http.dependencies import SERVICE_DEPENDENCIES, SESSION_MAKER_STATE_KEY
from api.http.docs import openapi_config
from api.http.pagination import make_window_provider
from api.http.problems import EXCEPTION_HANDLERS
from api.settings import Settings, load_settings
from api.storage.engine import async_session_factory, make_async_engine

API_PREFIX = "/v1"


def database_lifespan(
    database_url: str,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Create the engine at startup and dispose of it at shutdown, not at import time."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # pre_ping: a pooled connection the database dropped is replaced, not surfaced as a 500.
        engine = make_async_engine(database_url, pool_pre_ping=True)
        app.state[SESSION_MAKER_STATE_KEY] = async_session_factory(engine)
        try:
            yield
        finally:
            await engine.dispose()

    return lifespan


def cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "OPTIONS"],
        # Browsers hide response headers from scripts unless exposed; pagination needs Link.
        expose_headers=["Link"],
    )


def create_app(
    settings: Settings | None = None,
    *,
    session_maker: async_sessionmaker[AsyncSession] | None = None,
) -> Litestar:
    """Build the app. With ``session_maker`` (tests) no engine is created or disposed."""
    settings = settings or Settings()
    v1 = Router(
        path=API_PREFIX,
        route_handlers=[
            StatementController,
            ActorController,
            ArticleController,
            SourceController,
            ClaimController,
        ],
    )
    return Litestar(
        route_handlers=[v1, health],
        dependencies={
            **SERVICE_DEPENDENCIES,
            "window": Provide(make_window_provider(settings)),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[] if session_maker is not None else [database_lifespan(settings.database_url)],
        # Without a session maker here, database_lifespan sets one at startup.
        state=State({SESSION_MAKER_STATE_KEY: session_maker}),
        cors_config=cors_config(settings),
        openapi_config=openapi_config(),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Factory for uvicorn: settings from ``STATEMENTS_*`` environment variables."""
    return create_app(load_settings())
