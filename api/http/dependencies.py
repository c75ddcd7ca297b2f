"""Request-scoped dependencies: one database session per request, and the services."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.params import (
    ArticleFilter,
    ClaimFilter,
    KindFilter,
    PublishedSinceFilter,
    PublishedUntilFilter,
    SearchQuery,
    SinceFilter,
    SourceFilter,
    SpeakerKindFilter,
    StatementOutletFilter,
    UntilFilter,
    UpstreamFilter,
    check_date_range,
)
from api.services import (
    EXPORT_BATCH_SIZE,
    ActorService,
    ArticleService,
    ClaimService,
    CorrectionService,
    HealthService,
    JobService,
    SourceService,
    StatementExport,
    StatementFilters,
    StatementService,
)
from api.services.statement_reader import StatementReader
from api.storage.text_index import TextIndexHandle

SESSION_MAKER_STATE_KEY = "session_maker"
TEXT_INDEX_STATE_KEY = "text_index"
STATEMENT_READER_STATE_KEY = "statement_reader"
EXPORT_BATCH_SIZE_STATE_KEY = "export_batch_size"
# A route whose ``opt`` holds this key requires that API key scope itself (its own guard):
# the read guard of STATEMENTS_READS_REQUIRE_KEY leaves it alone (see api.http.app).
KEY_SCOPE_OPT = "key_scope"
# Route handler names (``name=``), for links built with ``app.route_reverse``.
ARTICLE_ROUTE = "article"
JOB_ROUTE = "job"
ACTOR_ROUTE = "actor"
ACTOR_STATEMENTS_ROUTE = "actor_statements"


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    """Commit when the handler succeeded, roll back when anything raised.

    Reads never need the commit, but it ends the transaction promptly and keeps the
    rule simple should a handler ever write.
    """
    session_maker: async_sessionmaker[AsyncSession] = state[SESSION_MAKER_STATE_KEY]
    async with session_maker() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()


async def provide_statement_service(
    db_session: NamedDependency[AsyncSession], state: State
) -> StatementService:
    text_index: TextIndexHandle | None = state.get(TEXT_INDEX_STATE_KEY)
    return StatementService(db_session, text_index)


async def provide_actor_service(db_session: NamedDependency[AsyncSession]) -> ActorService:
    return ActorService(db_session)


async def provide_article_service(db_session: NamedDependency[AsyncSession]) -> ArticleService:
    return ArticleService(db_session)


async def provide_source_service(db_session: NamedDependency[AsyncSession]) -> SourceService:
    return SourceService(db_session)


async def provide_claim_service(db_session: NamedDependency[AsyncSession]) -> ClaimService:
    return ClaimService(db_session)


async def provide_correction_service(
    db_session: NamedDependency[AsyncSession],
) -> CorrectionService:
    return CorrectionService(db_session)


async def provide_health_service(db_session: NamedDependency[AsyncSession]) -> HealthService:
    return HealthService(db_session)


async def provide_job_service(
    db_session: NamedDependency[AsyncSession], request: Request[Any, Any, Any]
) -> JobService:
    def article_path(article_id: int) -> str:
        return request.app.route_reverse(ARTICLE_ROUTE, article_id=article_id)

    return JobService(db_session, article_path=article_path)


def provide_statement_reader(state: State) -> StatementReader:
    """The process's reader (api.http.app sets it up with the database)."""
    reader: StatementReader | None = state.get(STATEMENT_READER_STATE_KEY)
    if reader is None:  # an app given its session maker (tests): documents through it
        reader = StatementReader(state[SESSION_MAKER_STATE_KEY])
        state[STATEMENT_READER_STATE_KEY] = reader
    return reader


async def provide_statement_export(state: State) -> StatementExport:
    """Exports read through sessions of their own: a stream outlives ``db_session``."""
    return StatementExport(
        sessions=state[SESSION_MAKER_STATE_KEY],
        batch_size=state.get(EXPORT_BATCH_SIZE_STATE_KEY, EXPORT_BATCH_SIZE),
    )


async def provide_statement_filters(
    q: SearchQuery = None,
    source: SourceFilter = None,
    kind: KindFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    article: ArticleFilter = None,
    speaker_kind: SpeakerKindFilter = None,
    outlet: StatementOutletFilter = None,
    upstream: UpstreamFilter = None,
    claim: ClaimFilter = None,
    published_since: PublishedSinceFilter = None,
    published_until: PublishedUntilFilter = None,
) -> StatementFilters:
    """Filters common to every statement listing (the speaker is the caller's business)."""
    check_date_range(since, until)
    check_date_range(published_since, published_until, field="published_until")
    return StatementFilters(
        q=q,
        source_id=source,
        kind=kind,
        since=since,
        until=until,
        article_id=article,
        speaker_kind=speaker_kind,
        outlet_id=outlet,
        upstream_id=upstream,
        claim_id=claim,
        published_since=published_since,
        published_until=published_until,
    )


SERVICE_DEPENDENCIES: dict[str, Provide] = {
    "db_session": Provide(provide_db_session),
    "statement_service": Provide(provide_statement_service),
    "actor_service": Provide(provide_actor_service),
    "article_service": Provide(provide_article_service),
    "source_service": Provide(provide_source_service),
    "claim_service": Provide(provide_claim_service),
    "correction_service": Provide(provide_correction_service),
    "health_service": Provide(provide_health_service),
    "job_service": Provide(provide_job_service),
    "statement_export": Provide(provide_statement_export),
    "statement_reader": Provide(provide_statement_reader, sync_to_thread=False),
}
