"""``GET /v1/statements/{id}``, ``GET /v1/claims/{id}/provenance`` and the first page of
``GET /v1/actors/{id}/statements`` answered at the application's entry, from the stored
documents.

Why it exists: a statement is the API's hottest read, and its answer is already encoded
(``statement_documents``); so is a claim's provenance (``provenance_documents``), which
the controller sends through the same layers. Profiled under granian, a statement read
from a local SQLite file spent about a twentieth of its time reading the document; the
rest went to the layers a request crosses (request context, data version, Litestar's
response cache, compression, conditional GET, routing, dependency injection, the handler
and response building), which held the endpoint near a quarter of what a bare Litestar
endpoint serves (``benchmarks/api_load.py``'s ceiling). This module answers those
requests without them, and must answer exactly as they would: same status, same header fields
with the same values (but for the request id when none was sent, and gzip's time
stamp), same body; the fields come in the order of a freshly rendered answer.
tests/http/test_fast_reads.py compares both answers for every case.

What it mirrors, layer by layer (change one, change this with it):

- ``api.http.request_context.RequestContextMiddleware``: the request id (the client's
  when valid, else a new one) echoed as ``X-Request-ID``, bound into structlog's
  contextvars while the request is served, ``Vary`` completed, one ``http.request``
  line when info logging is on;
- ``api.http.response_cache`` (``DataVersionMiddleware``, the response cache and the
  controller's ``skip_keeping``): a document read over a network is kept in the same
  store under the current data version; one read from a local SQLite file is not;
- ``api.http.caching.ConditionalGetMiddleware``: ``ETag`` (sha256 of the body, weak when
  the body is sent gzip-coded), ``Cache-Control`` (``private`` when the request carries
  credentials), ``If-None-Match`` (weak comparison) answered with a 304;
- Litestar's compression middleware: gzip, by Litestar's own coder, when the client
  names it in Accept-Encoding and the body has ``minimum_size`` bytes or more;
- ``StatementController.get_statement``: ``StatementReader.get`` and the bytes it returns,
  as ``application/json``; ``ClaimController.get_claim_provenance`` the same with
  ``StatementReader.provenance``; ``ActorController.list_actor_statements`` without
  query parameters: ``StatementReader.speaker_page`` in the page envelope, with the
  ``Link`` to the next page (later pages carry a cursor and go the whole way).

It answers nothing it cannot answer exactly so, and the full application serves it
instead: methods other than GET (HEAD is a 405 there), a query string, a root path, an
id that is not canonical digits in range, an ``Origin`` header when CORS is configured,
a statement or claim without a document yet, a missing one (Litestar's 404 problem, or
the redirect of a merged claim), a reader
that fails, or an encoder other than gzip. ``create_app`` does not install it at all
when reads need a key or a rate limit is configured: those layers must see every read.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode

import msgspec
from litestar.enums import CompressionEncoding
from litestar.middleware.compression.gzip_facade import GzipCompression
from structlog.contextvars import bind_contextvars, reset_contextvars

from api.http.caching import (
    PRIVATE_CACHE_CONTROL,
    READ_CACHE_CONTROL,
    if_none_match_matches,
    will_compress,
)
from api.http.controllers.statements import EncodedStatementPage
from api.http.dependencies import SESSION_MAKER_STATE_KEY, provide_statement_reader
from api.http.pagination import encode_cursor
from api.http.params import MAX_ID
from api.http.request_context import (
    REQUEST_ID_STATE_KEY,
    accepted_request_id,
    log_request,
    merged_vary,
)
from api.http.response_cache import TRACKER_STATE_KEY, DataVersionTracker
from api.logs import info_enabled
from api.services.paging import Window
from api.services.statement_reader import StatementReader

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.stores.base import Store
    from litestar.types import HTTPScope, Send

_MAX_DIGITS = len(str(MAX_ID))
_PUBLIC = READ_CACHE_CONTROL.encode("latin-1")
_PRIVATE = PRIVATE_CACHE_CONTROL.encode("latin-1")
_JSON = (b"content-type", b"application/json")
_GZIP = (b"content-encoding", b"gzip")
_ENCODER = msgspec.json.Encoder()
_DIGEST_LENGTH = 64  # sha256 in hex


STATEMENT = "statement"
PROVENANCE = "provenance"
PROVENANCE_SUFFIX = "/provenance"
ACTOR_PAGE = "actor page"
ACTOR_PAGE_SUFFIX = "/statements"


class Target(NamedTuple):
    """What a request asks for: a statement's document, a claim's provenance, or the
    first page of an actor's statements (stored documents in their page envelope)."""

    kind: str  # STATEMENT, PROVENANCE or ACTOR_PAGE
    key: int  # the statement's, the claim's or the actor's id


class Found(NamedTuple):
    body: bytes
    link: bytes  # the page's Link header, or empty
    digest: str = ""  # sha256 of the body, when kept with it
    kept_as: str = ""  # the store key it is kept under, or empty when not kept


class FastDocumentReads:
    """The document reads without the layers they mirror (see the module docstring).

    ``answered`` counts the requests answered here (for tests and curiosity).
    """

    def __init__(
        self, app: Litestar, *, api_prefix: str, vary: Sequence[str], page_size: int
    ) -> None:
        self._app = app
        self._statements = f"{api_prefix}/statements/"
        self._claims = f"{api_prefix}/claims/"
        self._actors = f"{api_prefix}/actors/"
        self._first_page = Window(limit=page_size)  # the window provider's default
        self._cors = app.cors_config is not None
        self._compression = app.compression_config
        # Litestar would code with another encoder (brotli): leave those answers to it.
        self._gzip_only = (
            self._compression is None
            or self._compression.compression_facade.encoding == CompressionEncoding.GZIP
        )
        self._vary = tuple(vary)
        self._vary_value = merged_vary(None, self._vary).encode("latin-1")
        # What the Vary of a gzip-coded answer becomes: compression's, then completed.
        self._coded_vary = merged_vary("Accept-Encoding", self._vary).encode("latin-1")
        self.answered = 0

    def target(self, scope: HTTPScope) -> Target | None:
        """The document a ``GET`` without query string asks for; None for anything else."""
        if scope["method"] != "GET" or scope["query_string"] or scope.get("root_path"):
            return None
        path = scope["path"]
        if path.startswith(self._statements):
            kind, digits = STATEMENT, path[len(self._statements) :]
        elif path.startswith(self._claims) and path.endswith(PROVENANCE_SUFFIX):
            kind, digits = PROVENANCE, path[len(self._claims) : -len(PROVENANCE_SUFFIX)]
        elif path.startswith(self._actors) and path.endswith(ACTOR_PAGE_SUFFIX):
            kind, digits = ACTOR_PAGE, path[len(self._actors) : -len(ACTOR_PAGE_SUFFIX)]
        else:
            return None
        if not (0 < len(digits) <= _MAX_DIGITS and digits.isascii() and digits.isdigit()):
            return None
        if digits[0] == "0":
            return None
        key = int(digits)
        return Target(kind, key) if key <= MAX_ID else None

    async def answer(self, scope: HTTPScope, target: Target, send: Send) -> bool:
        """Send the answer and say True, or send nothing and say False (not ours)."""
        started = time.perf_counter()
        request_id: str | None = None
        accept_encoding = ""
        seen_accept_encoding = credentials = False
        if_none_match: list[str] = []
        for name, value in scope["headers"]:
            if name == b"x-request-id":  # as api.http.request_context reads it
                if request_id is None:
                    request_id = value.decode("latin-1")
                continue
            name = name.lower()  # Litestar's Headers ignore case
            if name == b"if-none-match":
                if_none_match.append(value.decode("latin-1"))
            elif name == b"accept-encoding":
                if not seen_accept_encoding:
                    accept_encoding = value.decode("latin-1")
                    seen_accept_encoding = True
            elif name == b"authorization":
                credentials = True
            elif name == b"origin" and self._cors:
                return False
        request_id = accepted_request_id(request_id)

        tokens = bind_contextvars(request_id=request_id)
        try:
            found = await self._document(target, scope["path"])
            compressing = found is not None and will_compress(
                self._compression, accept_encoding, len(found.body)
            )
            if found is None or (compressing and not self._gzip_only):
                # Litestar answers, under the id this request may already have logged.
                scope.setdefault("state", {})[REQUEST_ID_STATE_KEY] = request_id
                return False
            body = found.body
            # Kept answers keep their digest: hashing a 25 KB page costs 18 µs a read.
            digest = found.digest or hashlib.sha256(body).hexdigest()
            etag = f'W/"{digest}"' if compressing else f'"{digest}"'
            encoded_etag = etag.encode("latin-1")
            encoded_id = request_id.encode("latin-1")
            cache_control = _PRIVATE if credentials else _PUBLIC
            if if_none_match and if_none_match_matches(", ".join(if_none_match), etag):
                status = 304
                headers = [
                    (b"cache-control", cache_control),
                    (b"etag", encoded_etag),
                    (b"x-request-id", encoded_id),
                ]
                if self._vary:
                    headers.append((b"vary", self._vary_value))
                body = b""
            elif compressing:
                status = 200
                body = await self._coded(found)
                headers = [
                    _JSON,
                    (b"content-length", str(len(body)).encode("latin-1")),
                    (b"cache-control", cache_control),
                    (b"etag", encoded_etag),
                    _GZIP,
                    (b"vary", self._coded_vary),
                    (b"x-request-id", encoded_id),
                ]
                if found.link:
                    headers.append((b"link", found.link))
            else:
                status = 200
                headers = [
                    _JSON,
                    (b"content-length", str(len(body)).encode("latin-1")),
                    (b"cache-control", cache_control),
                    (b"etag", encoded_etag),
                    (b"x-request-id", encoded_id),
                ]
                if found.link:
                    headers.append((b"link", found.link))
                if self._vary:
                    headers.append((b"vary", self._vary_value))
            self.answered += 1
            try:
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
            finally:
                if info_enabled():
                    log_request(scope["method"], scope["path"], status, started)
            return True
        finally:
            reset_contextvars(**tokens)

    async def _document(self, target: Target, path: str) -> Found | None:
        """The stored answer, kept under the data version as the response cache keeps
        the controllers' answers; None when the full application must answer (no
        document, no statement, claim or actor, a failure: Litestar's answer, not ours)."""
        try:
            return await self._read(target, path)
        except Exception:
            return None

    async def _read(self, target: Target, path: str) -> Found | None:
        state = self._app.state
        reader = provide_statement_reader(state)
        tracker: DataVersionTracker | None = state.get(TRACKER_STATE_KEY)
        store: Store | None = None
        key = ""
        # As the controllers: one document from a local file costs less to read than to
        # keep; a page of them (twenty rows and their documents) does not.
        keep = target.kind == ACTOR_PAGE or not reader.documents_are_local
        if tracker is not None and keep:
            version = await tracker.current(state[SESSION_MAKER_STATE_KEY])
            if isinstance(version, int):  # else the response cache keeps nothing either
                store, key = tracker.store, f"{version}|{target.kind} document|{target.key}"
                kept = await self._kept(store, key)
                if kept is not None:
                    return kept
        found = await self._render(reader, target, path)
        if found is not None and store is not None:
            digest = hashlib.sha256(found.body).hexdigest()
            # A Link header never holds a line break: the first one ends it.
            await store.set(key, found.link + b"\n" + digest.encode("ascii") + found.body)
            return found._replace(digest=digest, kept_as=key)
        return found

    async def _kept(self, store: Store, key: str) -> Found | None:
        kept = await store.get(key)
        if kept is None:
            return None
        # The link, a line break, the digest, the body: the body is copied once.
        end = kept.index(b"\n")
        digest = kept[end + 1 : end + 1 + _DIGEST_LENGTH].decode("ascii")
        return Found(kept[end + 1 + _DIGEST_LENGTH :], kept[:end], digest, key)

    async def _coded(self, found: Found) -> bytes:
        """The gzip-coded body, kept beside the body when that is kept (Litestar's
        response cache keeps coded answers apart the same way)."""
        store = self._store()
        if not found.kept_as or store is None:
            return self._gzip(found.body)
        key = f"{found.kept_as}|gzip"
        coded = await store.get(key)
        if coded is None:
            coded = self._gzip(found.body)
            await store.set(key, coded)
        return coded

    def _store(self) -> Store | None:
        tracker: DataVersionTracker | None = self._app.state.get(TRACKER_STATE_KEY)
        return None if tracker is None else tracker.store

    async def _render(self, reader: StatementReader, target: Target, path: str) -> Found | None:
        if target.kind == ACTOR_PAGE:
            # As ActorController.list_actor_statements without query parameters: the
            # stored documents in the page envelope, and the next page's link.
            page = await reader.speaker_page(target.key, self._first_page)
            if page is None:
                return None
            cursor = None if page.next_after_id is None else encode_cursor(page.next_after_id)
            body = _ENCODER.encode(
                EncodedStatementPage(items=page.items, has_more=page.has_more, next_cursor=cursor)
            )
            link = b""
            if cursor is not None:
                link = f'<{path}?{urlencode([("cursor", cursor)])}>; rel="next"'.encode()
            return Found(body, link)
        if target.kind == STATEMENT:
            stored: object = await reader.get(target.key)
        else:
            stored = await reader.provenance(target.key)
        # No document yet: rendered by the controller.
        return Found(stored, b"") if isinstance(stored, bytes) else None

    def _gzip(self, body: bytes) -> bytes:
        """Coded as Litestar's compression middleware codes a body sent in one piece."""
        assert self._compression is not None  # only asked when will_compress said so
        buffer = BytesIO()
        coder = GzipCompression(
            buffer=buffer, compression_encoding=CompressionEncoding.GZIP, config=self._compression
        )
        coder.write(body)
        coder.close()
        return buffer.getvalue()
