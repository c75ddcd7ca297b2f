"""/v1/jobs: the ingest jobs of submitted articles (``POST /v1/articles``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK

import schemas
from api.http.auth import require_key
from api.http.dependencies import JOB_ROUTE, KEY_SCOPE_OPT
from api.http.params import JobIdPath
from api.http.problems import problem_responses
from api.services import JobService
from api.services.keys import Scope

# Seconds a client should wait before polling a job that is not finished yet.
POLL_AFTER_SECONDS = 1
PENDING = frozenset({schemas.JobStatus.QUEUED, schemas.JobStatus.RUNNING})

LOCATION_HEADER = ResponseHeader(
    name="Location",
    documentation_only=True,
    description="Path of the job (`getJob`): poll it for the outcome.",
)
RETRY_AFTER_HEADER = ResponseHeader(
    name="Retry-After",
    documentation_only=True,
    description=(
        f"`{POLL_AFTER_SECONDS}` while the job is `queued` or `running`: seconds to wait "
        "before asking again. Absent once it is `done` or `failed`."
    ),
)
JOB_RESPONSE_HEADERS = [LOCATION_HEADER, RETRY_AFTER_HEADER]


def job_response(
    request: Request[Any, Any, Any], job: schemas.IngestJob, *, status_code: int = HTTP_200_OK
) -> Response[schemas.IngestJob]:
    """The job, with ``Retry-After`` while it is pending; a 202 also gets ``Location``."""
    headers: dict[str, str] = {}
    if status_code != HTTP_200_OK:
        headers["Location"] = request.app.route_reverse(JOB_ROUTE, job_id=job.id)
    if job.status in PENDING:
        headers["Retry-After"] = str(POLL_AFTER_SECONDS)
    return Response(job, status_code=status_code, headers=headers)


class JobController(Controller):
    path = "/jobs"
    tags = ["jobs"]

    @get(
        "/{job_id:int}",
        operation_id="getJob",
        name=JOB_ROUTE,
        summary="Get an ingest job",
        description=(
            "Where a submitted article is: `queued`, `running`, `done` (with its `outcome` "
            "and `article_url`) or `failed` (with its `error`). Poll while `Retry-After` is "
            "sent. Needs an API key with the `ingest` scope."
        ),
        # On the handler, not the controller: the OPTIONS handler Litestar adds needs no key.
        guards=[require_key(Scope.INGEST)],
        # Exempt from the read guard (STATEMENTS_READS_REQUIRE_KEY): the ingest scope suffices.
        opt={KEY_SCOPE_OPT: Scope.INGEST},
        response_headers=[RETRY_AFTER_HEADER],
        # A job changes until it is finished: never a cached copy.
        cache_control=CacheControlHeader(no_store=True),
        responses=problem_responses(400, 401, 403, 404, 500),
    )
    async def get_job(
        self,
        request: Request[Any, Any, Any],
        job_service: NamedDependency[JobService],
        job_id: JobIdPath,
    ) -> Response[schemas.IngestJob]:
        return job_response(request, await job_service.get(job_id))
