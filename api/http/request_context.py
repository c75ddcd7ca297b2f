"""What every HTTP exchange gets, matched route or not: a request id and safe headers.

``RequestContextMiddleware`` is the outermost layer of the app (``StatementsApp`` puts
it around Litestar itself, so it also sees routing 404/405s and CORS preflights, which
Litestar middleware never does). Per request it:

- takes the client's ``X-Request-ID`` when it is 1-128 characters of ``[A-Za-z0-9._-]``
  and otherwise makes one (32 random hex digits), keeps it in ``scope["state"]`` (problem
  documents read it from there) and echoes it on the response;
- binds it into structlog's contextvars for the duration of the request, so every
  structlog line logged while serving it carries ``request_id``, and logs one
  ``http.request`` line when the request is done;
- marks every error response ``Cache-Control: no-store`` unless it says otherwise;
- completes ``Vary``: Litestar's CORS middleware replaces the header (dropping the
  compression middleware's ``Accept-Encoding``), and a shared cache must know that
  responses vary by ``Origin`` whether or not the origin was allowed.
"""

from __future__ import annotations

import os
import re
import time
from typing import TYPE_CHECKING, Any

import structlog
from litestar.datastructures.response_header import ResponseHeader
from litestar.enums import ScopeType
from structlog.contextvars import bind_contextvars, reset_contextvars

from api.http.caching import NO_STORE
from api.logs import info_enabled

if TYPE_CHECKING:
    from collections.abc import Sequence

    from litestar.types import ASGIApp, Message, Receive, Scope, Send
    from litestar.types.asgi_types import RawHeadersList

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_STATE_KEY = "request_id"
_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode("ascii")
MAX_REQUEST_ID_LENGTH = 128
_VALID_REQUEST_ID = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_REQUEST_ID_LENGTH}}}")

REQUEST_ID_RESPONSE_HEADER = ResponseHeader(
    name=REQUEST_ID_HEADER,
    documentation_only=True,
    description=(
        "The request's id: the client's `X-Request-ID` when it is 1-128 characters of "
        "`[A-Za-z0-9._-]`, otherwise a new one. Also in every problem document as "
        "`request_id`, and in the server's log lines."
    ),
)

logger = structlog.get_logger("api.http")


def new_request_id() -> str:
    # As random as a uuid4's hex, without building a UUID on the hottest path.
    return os.urandom(16).hex()


def accepted_request_id(candidate: str | None) -> str:
    """The client's id when it is acceptable, a new one otherwise."""
    if candidate is not None and _VALID_REQUEST_ID.fullmatch(candidate):
        return candidate
    return new_request_id()


def request_id_of(scope: Scope) -> str:
    """This request's id; assigned here if the request never passed the middleware."""
    state: dict[str, Any] = scope.setdefault("state", {})
    request_id = state.get(REQUEST_ID_STATE_KEY)
    if not isinstance(request_id, str):
        request_id = accepted_request_id(_header(scope, _REQUEST_ID_NAME))
        state[REQUEST_ID_STATE_KEY] = request_id
    return request_id


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (``name`` in lower case, as ASGI sends it)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def merged_vary(existing: str | None, required: Sequence[str]) -> str:
    """``existing`` Vary members plus ``required`` ones, each once (case-insensitively)."""
    members = [m.strip() for m in (existing or "").split(",") if m.strip()]
    seen = {m.lower() for m in members}
    for member in required:
        if member.lower() not in seen:
            members.append(member)
            seen.add(member.lower())
    return ", ".join(members)


def log_request(method: str, path: str, status: int | None, started: float) -> None:
    """The one ``http.request`` line per request (its caller has bound ``request_id``)."""
    logger.info(
        "http.request",
        method=method,
        path=path,
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _get(headers: RawHeadersList, name: bytes) -> bytes | None:
    """The first value of a response header; ``name`` in lower case."""
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _set(headers: RawHeadersList, name: bytes, value: bytes) -> None:
    """Set a response header as ``MutableScopeHeaders`` does: the first field of that
    name (any case) takes the value, later ones go, else the field is appended."""
    indices = [i for i, (key, _) in enumerate(headers) if key.lower() == name]
    if not indices:
        headers.append((name, value))
        return
    for i in reversed(indices[1:]):
        del headers[i]
    headers[indices[0]] = (name, value)


class RequestContextMiddleware:
    """Request id, log context, error Cache-Control and Vary (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, vary: Sequence[str] = ()) -> None:
        self.app = app
        self.vary = tuple(vary)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        encoded_id = request_id.encode("latin-1")
        started = time.perf_counter()
        status: int | None = None
        vary = self.vary

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message.setdefault("headers", [])
                if not isinstance(headers, list):
                    headers = message["headers"] = list(headers)
                _set(headers, _REQUEST_ID_NAME, encoded_id)
                if status >= 400 and _get(headers, b"cache-control") is None:
                    _set(headers, b"cache-control", NO_STORE.encode("latin-1"))
                if vary:
                    existing = _get(headers, b"vary")
                    merged = merged_vary(
                        None if existing is None else existing.decode("latin-1"), vary
                    )
                    _set(headers, b"vary", merged.encode("latin-1"))
            await send(message)

        # Reset exactly what was bound: nothing leaks into the next request, and whatever
        # the server bound around us survives.
        tokens = bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if info_enabled():
                log_request(scope["method"], scope["path"], status, started)
            reset_contextvars(**tokens)
