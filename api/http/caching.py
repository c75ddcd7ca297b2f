"""HTTP caching for reads: ETag validators, conditional GET (304), Cache-Control, gzip.

Every successful ``GET`` whose body is rendered in one piece gets:

- ``ETag``: ``"<sha256 of the body>"``, strong. When the body is also gzip-coded the tag
  is sent weak (``W/"…"``): the coded bytes differ from the identity bytes (and from one
  response to the next: gzip stamps a time), so a strong tag would be a lie for them.
  If-None-Match uses the weak comparison anyway, so either form revalidates.
- ``If-None-Match`` (one tag, a list of tags, weak or strong, or ``*``) matching the
  current tag: ``304 Not Modified`` with no body, carrying ETag, Cache-Control and Vary.
- ``Cache-Control: public, max-age=60`` unless the route set its own (``/health`` sets
  ``no-store``). Errors get ``no-store`` from ``api.http.request_context``.

Streamed responses (the exports) get Cache-Control but no ETag: a validator would need
the whole body before the first byte.

The validator must see the body before compression does, so this layer is installed
*inside* Litestar's compression middleware by ``ValidatingCompressionMiddleware``, which
``compression_config()`` names as the compression middleware class.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from litestar.config.compression import CompressionConfig
from litestar.datastructures import CacheControlHeader, Headers, MutableScopeHeaders
from litestar.datastructures.response_header import ResponseHeader
from litestar.enums import CompressionEncoding, HttpMethod, ScopeType
from litestar.middleware.compression import CompressionMiddleware

if TYPE_CHECKING:
    from litestar.types import (
        ASGIApp,
        HTTPResponseStartEvent,
        Message,
        Receive,
        Scope,
        Send,
    )

READ_CACHE_CONTROL = "public, max-age=60"
# A response to a request with credentials is that client's: no shared cache keeps it.
PRIVATE_CACHE_CONTROL = "private, max-age=60"
NO_STORE = "no-store"
# Bodies smaller than this are sent as they are: gzip would save too little to matter.
COMPRESSION_MINIMUM_SIZE = 1024
# zlib's own default: most of level 9's ratio at a fraction of its CPU.
GZIP_LEVEL = 6

# Header fields a 304 carries (RFC 9110, section 15.4.5); representation metadata such
# as Content-Type and Content-Length is left out.
NOT_MODIFIED_FIELDS = frozenset(
    {"cache-control", "content-location", "date", "etag", "expires", "vary"}
)

# One member of an If-None-Match list: an entity-tag (weak or strong) or "*".
_IF_NONE_MATCH_MEMBER = re.compile(r'(?:W/)?"[^"]*"|\*')

ETAG_HEADER = ResponseHeader(
    name="ETag",
    documentation_only=True,
    description=(
        'Validator for `If-None-Match`: `"<sha256 of the body>"`, weak (`W/"…"`) when the '
        "body is gzip-coded. Not sent on the streamed exports."
    ),
)
CACHE_CONTROL_HEADER = ResponseHeader(
    # Litestar's own name for it, so a route's ``cache_control`` replaces this entry.
    name=CacheControlHeader.HEADER_NAME,
    documentation_only=True,
    description=(
        "`public, max-age=60` on reads (`private` with an API key), "
        "`no-store` on `/health` and on errors."
    ),
)


def strong_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()}"'


def weak(etag: str) -> str:
    return etag if etag.startswith("W/") else f"W/{etag}"


def if_none_match_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match value matches ``etag`` (weak comparison, RFC 9110 13.1.2).

    ``*`` matches any current representation; otherwise any listed tag whose opaque part
    equals ours matches, whether either side is weak. Malformed members never match.
    """
    ours = etag.removeprefix("W/")
    for member in _IF_NONE_MATCH_MEMBER.findall(if_none_match):
        if member == "*" or member.removeprefix("W/") == ours:
            return True
    return False


def will_compress(config: CompressionConfig | None, accept_encoding: str, size: int) -> bool:
    """Whether Litestar's compression middleware will code a body of ``size`` bytes.

    The same test ``CompressionMiddleware`` applies (an encoding it offers named in
    Accept-Encoding, and a body of at least ``minimum_size``).
    """
    if config is None or size < config.minimum_size:
        return False
    encodings = {config.compression_facade.encoding}
    if config.gzip_fallback:
        encodings.add(CompressionEncoding.GZIP)
    return any(encoding in accept_encoding for encoding in encodings)


class ConditionalGetMiddleware:
    """ETag, Cache-Control and 304 for successful GETs (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, compression: CompressionConfig | None = None) -> None:
        self.app = app
        self.compression = compression

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != HttpMethod.GET:
            await self.app(scope, receive, send)
            return
        request_headers = Headers.from_scope(scope)
        if_none_match = ", ".join(request_headers.getall("if-none-match", []))
        accept_encoding = request_headers.get("accept-encoding", "")
        cache_control = (
            PRIVATE_CACHE_CONTROL if "authorization" in request_headers else READ_CACHE_CONTROL
        )
        held: HTTPResponseStartEvent | None = None
        passing_through = False

        async def send_wrapper(message: Message) -> None:
            nonlocal held, passing_through
            if passing_through:
                await send(message)
                return
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    passing_through = True
                    await send(message)
                    return
                held = message  # until the body says whether it is a stream
                return
            if message["type"] != "http.response.body" or held is None:
                await send(message)
                return

            start, held, passing_through = held, None, True
            headers = MutableScopeHeaders.from_message(start)
            if headers.get("cache-control") is None:
                headers["Cache-Control"] = cache_control
            # A stream declares no length and comes in several messages: no validator.
            if headers.get("content-length") is None or message.get("more_body", False):
                await send(start)
                await send(message)
                return

            etag = headers.get("etag")
            if etag is None:  # else a kept response (api.http.response_cache) has its own
                body = message.get("body", b"")
                etag = strong_etag(body)
                if will_compress(self.compression, accept_encoding, len(body)):
                    etag = weak(etag)
                headers["ETag"] = etag
            if if_none_match and if_none_match_matches(if_none_match, etag):
                await send(not_modified(start))
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(start)
            await send(message)

        await self.app(scope, receive, send_wrapper)


def not_modified(start: HTTPResponseStartEvent) -> HTTPResponseStartEvent:
    """The 304 start event for a 200 start event: same validators, no representation."""
    kept = [
        (name, value)
        for name, value in start.get("headers", [])
        if name.decode("latin-1").lower() in NOT_MODIFIED_FIELDS
    ]
    return {"type": "http.response.start", "status": 304, "headers": kept}


class ValidatingCompressionMiddleware(CompressionMiddleware):
    """Litestar's compression middleware with ``ConditionalGetMiddleware`` just inside it.

    Validators are computed on the identity body, and a 304's empty body is never coded.
    """

    def __init__(self, app: ASGIApp, config: CompressionConfig) -> None:
        super().__init__(app=ConditionalGetMiddleware(app, compression=config), config=config)


def compression_config() -> CompressionConfig:
    """gzip for bodies of ``COMPRESSION_MINIMUM_SIZE`` bytes and more, and every stream.

    Brotli would need the ``brotli`` package, which is not a dependency of this project.
    """
    return CompressionConfig(
        backend="gzip",
        minimum_size=COMPRESSION_MINIMUM_SIZE,
        gzip_compress_level=GZIP_LEVEL,
        middleware_class=ValidatingCompressionMiddleware,
    )
