"""Every error is an RFC 9457 problem document (``application/problem+json``).

``type`` is ``https://statements.dev/problems/<slug>`` for the problems this API
defines (see ``PROBLEM_SLUGS``) and ``about:blank`` for any other status, whose
meaning is then just the HTTP status (RFC 9457, section 4.2.1). ``instance`` is the
request path. Validation problems list the offending parameters in ``errors``. Every
problem carries the extension member ``request_id``, the ``X-Request-ID`` of the
response, so a report from a user can be matched with the server's log lines.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ExceptionHandlersMap

import schemas
from api.http.request_context import request_id_of
from api.services import NotFoundError
from schemas import FieldError

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://statements.dev/problems/"
PROBLEM_SLUGS: Mapping[int, str] = {
    400: "invalid-request",
    401: "unauthorized",
    403: "forbidden",
    413: "body-too-large",
    429: "rate-limited",
    404: "not-found",
    405: "method-not-allowed",
    500: "internal-error",
    503: "service-unavailable",
}
PROBLEM_DESCRIPTIONS: Mapping[int, str] = {
    400: "A parameter is missing, malformed or out of range; `errors` names it.",
    404: "No such resource, or no such route.",
    401: "No valid API key: send `Authorization: Bearer <key>`.",
    403: "The API key lacks the scope this operation needs.",
    405: "The route exists but not for this method.",
    413: "The request body is larger than the server accepts.",
    429: "Too many requests: wait `Retry-After` seconds.",
    500: "Unexpected server error. Details are logged, never returned.",
    503: "The database is unreachable.",
}


class Problem(schemas.Problem, frozen=True, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document (``application/problem+json``).

    ``request_id`` is an extension member (RFC 9457, section 3.2): the response's
    ``X-Request-ID``, also logged with the server's lines for this request.
    """

    request_id: Annotated[str, msgspec.Meta(examples=["desk-42"])]


def problem_type(status: int) -> str:
    slug = PROBLEM_SLUGS.get(status)
    return PROBLEM_TYPE_BASE + slug if slug else "about:blank"


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str | None,
    *,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[Problem]:
    problem = Problem(
        type=problem_type(status),
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
        request_id=request_id_of(request.scope),
    )
    return Response(
        problem, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(headers or {})
    )


def field_errors(extra: object) -> list[FieldError]:
    """Litestar's validation ``extra`` (``[{key, message, source}]``) as FieldErrors."""
    items = extra if isinstance(extra, list) else [extra] if isinstance(extra, dict) else []
    return [
        FieldError(
            field=str(item.get("key") or item.get("source") or "request"),
            message=str(item.get("message", "invalid value")),
        )
        for item in items
        if isinstance(item, dict)
    ]


def handle_validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Problem]:
    errors = field_errors(exc.extra)
    fields = ", ".join(sorted({error.field for error in errors})) or "the request"
    return problem_response(request, 400, f"Invalid value for {fields}.", errors=errors)


def handle_not_found(request: Request[Any, Any, Any], exc: NotFoundError) -> Response[Problem]:
    return problem_response(request, 404, str(exc))


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if status >= 500 and status != 503:
        return handle_internal_error(request, exc)
    detail = exc.detail
    if status == 404 and detail == HTTPStatus.NOT_FOUND.phrase:
        detail = f"There is no resource at {request.url.path}."
    elif status == 405:
        allowed = (exc.headers or {}).get("allow", "")
        detail = f"{request.method} is not allowed here; allowed: {allowed}."
    return problem_response(request, status, detail, headers=exc.headers)


def handle_internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    # The traceback, SQL and parameters go to the log; the client only learns that it failed.
    logger.error(
        "unhandled error on %s %s",
        request.method,
        request.url.path,
        exc_info=exc,
        extra={"request_id": request_id_of(request.scope)},
    )
    return problem_response(request, 500, "An unexpected error occurred. It has been logged.")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ValidationException: handle_validation_error,
    NotFoundError: handle_not_found,
    HTTPException: handle_http_exception,
    Exception: handle_internal_error,
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problems an operation can answer with.

    429 is added to every operation: any of them can be rate limited.
    """
    statuses = tuple(dict.fromkeys((*statuses, 429)))
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=PROBLEM_DESCRIPTIONS[status],
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in statuses
    }
