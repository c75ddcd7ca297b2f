"""Cursor pagination: opaque cursors, the page-window dependency and the Link header.

A cursor is the base64url (unpadded) of a msgpack-encoded ``[version, after_id]``:
opaque to clients, so the keyset may change later without breaking them, and checked
on the way in, so a damaged cursor is a 400 rather than a surprising page.

This module deliberately does not use ``from __future__ import annotations``: the
``limit`` bounds in the provider's signature come from the running Settings and must be
real objects when Litestar reads the signature.
"""

import base64
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response
from litestar.datastructures import ResponseHeader
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from api.http.params import MAX_ID
from api.services import Slice, Window
from api.services.statement_reader import EncodedPage
from api.settings import Settings

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")

CURSOR_VERSION: Literal[1] = 1
MAX_CURSOR_LENGTH = 64

LINK_HEADER = ResponseHeader(
    name="Link",
    documentation_only=True,
    description='`<URL of the next page>; rel="next"` (RFC 8288), only when there is one.',
)


class InvalidCursorError(ValueError):
    pass


class _CursorPayload(msgspec.Struct, array_like=True, frozen=True):
    version: Literal[1]
    after_id: Annotated[int, msgspec.Meta(ge=0, le=MAX_ID)]


def encode_cursor(after_id: int) -> str:
    raw = msgspec.msgpack.encode(_CursorPayload(version=CURSOR_VERSION, after_id=after_id))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The ``after_id`` inside a cursor this API issued; InvalidCursorError otherwise."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True)
        return msgspec.msgpack.decode(raw, type=_CursorPayload).after_id
    except (ValueError, msgspec.DecodeError) as exc:
        # ValueError covers binascii.Error and non-ASCII input; DecodeError covers
        # msgspec.ValidationError (wrong version, negative or oversized id).
        raise InvalidCursorError("not a cursor issued by this API") from exc


def make_window_provider(settings: Settings) -> Callable[..., Awaitable[Window]]:
    """The ``window`` dependency: ``cursor`` and ``limit`` query parameters, validated."""
    # A default above the maximum would be a page size no client may ask for.
    default_limit = min(settings.default_page_size, settings.max_page_size)

    async def provide_window(
        cursor: Annotated[
            str | None,
            QueryParameter(
                max_length=MAX_CURSOR_LENGTH,
                description="Opaque `next_cursor` of the previous page; omit for the first.",
            ),
        ] = None,
        limit: Annotated[
            int,
            QueryParameter(ge=1, le=settings.max_page_size, description="Items per page."),
        ] = default_limit,
    ) -> Window:
        if not cursor:
            return Window(limit=limit)
        try:
            after_id = decode_cursor(cursor)
        except InvalidCursorError as exc:
            raise ValidationException(
                detail="invalid cursor", extra=[{"key": "cursor", "message": str(exc)}]
            ) from exc
        return Window(limit=limit, after_id=after_id)

    return provide_window


def next_page_url(request: Request[Any, Any, Any], cursor: str) -> str:
    """This request's path and query with ``cursor`` replaced.

    Relative (path-absolute) on purpose: behind a proxy the Host this process sees is
    not necessarily the one the client used.
    """
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    return f"{request.url.path}?{urlencode([*kept, ('cursor', cursor)])}"


def page_response(
    request: Request[Any, Any, Any],
    page: Slice[ItemT] | EncodedPage,
    make_page: Callable[..., PageT],
) -> Response[PageT]:
    """``make_page(items=, has_more=, next_cursor=)`` plus the Link header when there's more."""
    next_cursor = None if page.next_after_id is None else encode_cursor(page.next_after_id)
    headers = {}
    if next_cursor is not None:
        headers["Link"] = f'<{next_page_url(request, next_cursor)}>; rel="next"'
    body = make_page(items=page.items, has_more=page.has_more, next_cursor=next_cursor)
    return Response(body, headers=headers)
