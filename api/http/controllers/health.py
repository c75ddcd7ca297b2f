"""/health: for load balancers and humans; outside /v1 because it is not versioned."""

from __future__ import annotations

import logging

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from sqlalchemy.exc import SQLAlchemyError

import schemas
from api.http.problems import problem_responses
from api.services import HealthService

logger = logging.getLogger(__name__)


@get(
    "/health",
    operation_id="getHealth",
    tags=["health"],
    summary="Service health",
    description="`ok` with the database backend, the deployed version and a statement count.",
    responses=problem_responses(500, 503),
    # A balancer must see the status now, never a copy a cache kept.
    cache_control=CacheControlHeader(no_store=True),
)
async def health(health_service: NamedDependency[HealthService]) -> schemas.Health:
    try:
        return await health_service.check()
    except SQLAlchemyError as exc:
        # Expected during outages: a 503 tells the balancer, the log tells the operator why.
        logger.warning("health check failed: %s", exc)
        raise ServiceUnavailableException(detail="The database is not reachable.") from exc
