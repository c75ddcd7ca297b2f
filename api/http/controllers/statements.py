"""/v1/statements: who said what, where and when; bulk exports of any such query; and
editors reassigning a statement's speaker (``PATCH``, a key with the ``edit`` scope).

Also the search and sort plumbing ``/v1/actors/{id}/statements`` shares: ``q`` checked
up front (a 400 naming ``q``, before any query or stream starts), the ``sort`` order,
and cursors for sorted pages.

A sorted page's cursor extends the id cursor of ``api.http.pagination``: the same
base64url msgpack array ``[1, after_id]`` followed by ``sort``, the last item's sort
key (relevance score, or the date's ordinal / nil for undated) and, for relevance, an
8-byte digest of the search. The window dependency validates the version and the id as
for any cursor; ``positioned_window`` then checks the rest against this request's sort
(and search): a cursor only continues the order it came from, anything else is a 400.
Keyset, not offset: pages stay cheap however deep, and rows added meanwhile cannot
shift a page boundary (in SQLite, bm25 scores move a little as the corpus grows).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
import re
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Controller, HttpMethod, MediaType, Request, Response, get, patch, route
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.params import JSONBody
from litestar.response import Stream
from litestar.status_codes import HTTP_204_NO_CONTENT

import schemas
from api.http.auth import principal_of, require_key
from api.http.dependencies import KEY_SCOPE_OPT, provide_statement_filters
from api.http.pagination import CURSOR_VERSION, LINK_HEADER, next_page_url, page_response
from api.http.params import SpeakerFilter, StatementIdPath, StatementSortParam
from api.http.problems import problem_responses
from api.http.response_cache import CACHED, skip_keeping
from api.services import (
    CSV_COLUMNS,
    CorrectionService,
    InvalidCorrectionError,
    InvalidSearchError,
    SearchQuery,
    Slice,
    SortKey,
    StatementExport,
    StatementFilters,
    StatementService,
    StatementSort,
    Window,
    default_sort,
    parse_search,
)
from api.services.keys import Scope
from api.services.ranked_search import SEARCH_CANDIDATES
from api.services.statement_reader import StatementReader

NDJSON_MEDIA_TYPE = "application/x-ndjson"
CSV_MEDIA_TYPE = "text/csv"
NDJSON_DISPOSITION = "attachment; filename=statements.ndjson"
CSV_DISPOSITION = "attachment; filename=statements.csv"

_FILTERS = "`q`, `speaker`, `source`, `kind`, `article`, `since` and `until`"
_STREAMED = (
    "Every matching statement in id order (with `q` too: no ranking), without "
    "pagination, streamed as it is read "
    "(a few hundred statements at a time). No `ETag`: the body is not known before it is "
    "sent. A failure after the first byte truncates the download."
)
CSV_COLUMNS_DOC = ", ".join(f"`{column}`" for column in CSV_COLUMNS)


MAX_DATE_ORDINAL = dt.date.max.toordinal()
_TYPED_PARAMETER = re.compile(r":\w+}")


def checked_search(q: str | None) -> SearchQuery | None:
    """The parsed search, or a 400 naming ``q`` when it has nothing to search for."""
    try:
        return parse_search(q)
    except InvalidSearchError as exc:
        raise ValidationException(
            detail="invalid search", extra=[{"key": "q", "message": str(exc)}]
        ) from exc


def resolved_sort(sort: StatementSort | None, search: SearchQuery | None) -> StatementSort:
    if sort is None:
        return default_sort(search)
    if sort is StatementSort.RELEVANCE and search is None:
        raise ValidationException(
            detail="relevance needs a search",
            extra=[{"key": "sort", "message": "relevance order needs a search text in q"}],
        )
    return sort


def allow_typed_path_response(request: Request[Any, Any, Any]) -> Response[None]:
    """Litestar's OPTIONS answer (204, every method of the route in ``Allow``) for a path
    with typed parameters, whose ``path_template`` drops the types (``{statement_id}``)."""
    template = request.scope["path_template"]
    methods = next(
        (
            handlers
            for path, handlers in request.app.route_handler_method_map.items()
            if _TYPED_PARAMETER.sub("}", path) == template
        ),
        {},
    )
    return Response(
        None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": ", ".join(sorted(methods))}
    )


def invalid_correction(exc: InvalidCorrectionError) -> ValidationException:
    """A correction that cannot be made as asked: a 400 naming the offending field."""
    extra = [{"key": exc.field, "message": exc.message}]
    return ValidationException(detail="invalid correction", extra=extra)


def _invalid_cursor(message: str) -> ValidationException:
    extra = [{"key": "cursor", "message": message}]
    return ValidationException(detail="invalid cursor", extra=extra)


def encode_sorted_cursor(
    after_id: int, sort: StatementSort, key: SortKey, search: SearchQuery | None
) -> str:
    digest = search.fingerprint() if sort is StatementSort.RELEVANCE and search else b""
    raw = msgspec.msgpack.encode([CURSOR_VERSION, after_id, sort.value, key, digest])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _cursor_items(cursor: str) -> list[Any]:
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        items = msgspec.msgpack.decode(raw)
    except (ValueError, msgspec.DecodeError) as exc:
        raise _invalid_cursor("not a cursor issued by this API") from exc
    if not isinstance(items, list):
        raise _invalid_cursor("not a cursor issued by this API")
    return items


def _valid_key(sort: StatementSort, key: object) -> bool:
    if sort is StatementSort.RELEVANCE:
        return type(key) is float and math.isfinite(key)
    return key is None or (type(key) is int and 1 <= key <= MAX_DATE_ORDINAL)


def positioned_window(
    request: Request[Any, Any, Any],
    window: Window,
    sort: StatementSort,
    search: SearchQuery | None,
) -> Window:
    """``window`` with the sort key of this request's cursor, checked against ``sort``."""
    cursor = request.query_params.get("cursor")
    if window.after_id is None or not cursor:
        return window
    items = _cursor_items(cursor)
    if len(items) < 2 or items[1] != window.after_id:  # e.g. two cursor parameters
        raise _invalid_cursor("not a cursor issued by this API")
    if sort is StatementSort.ID:
        if len(items) != 2:
            raise _invalid_cursor("this cursor continues another sort order")
        return window
    if len(items) != 5 or items[2] != sort.value:
        raise _invalid_cursor(f"this cursor does not continue sort={sort.value}")
    _, _, _, key, digest = items
    if not _valid_key(sort, key):
        raise _invalid_cursor("not a cursor issued by this API")
    if sort is StatementSort.RELEVANCE and (search is None or digest != search.fingerprint()):
        raise _invalid_cursor("this cursor continues a search for another q")
    return dataclasses.replace(window, after_key=key)


def statement_page_response(
    request: Request[Any, Any, Any],
    page: Slice[schemas.Statement],
    sort: StatementSort,
    search: SearchQuery | None,
) -> Response[schemas.StatementPage]:
    """The page, its ``next_cursor`` for this sort order, and the Link header."""
    if sort is StatementSort.ID:
        return page_response(request, page, schemas.StatementPage)
    next_cursor = None
    headers = {}
    if page.next_after_id is not None:
        next_cursor = encode_sorted_cursor(page.next_after_id, sort, page.next_key, search)
        headers["Link"] = f'<{next_page_url(request, next_cursor)}>; rel="next"'
    body = schemas.StatementPage(items=page.items, has_more=page.has_more, next_cursor=next_cursor)
    return Response(body, headers=headers)


class EncodedStatementPage(msgspec.Struct, frozen=True, kw_only=True):
    """``schemas.StatementPage`` with its statements already encoded (``items`` is their
    JSON array): the same JSON."""

    items: msgspec.Raw
    has_more: bool
    next_cursor: str | None


# No filter at all: the plain listing, which can be served from stored documents.
UNFILTERED = StatementFilters()


def encoded_json(body: bytes) -> Response[Any]:
    """A 200 whose JSON body was encoded before the request (a statement's document)."""
    return Response(body, media_type=MediaType.JSON)


def stored_or_rendered(
    request: Request[Any, Any, Any], reader: StatementReader, found: bytes | msgspec.Struct
) -> Response[Any]:
    """A stored document sent as it is (and, read from a local file, not kept by the
    response cache: reading it again costs less), or a struct rendered from the tables."""
    if isinstance(found, bytes):
        if reader.documents_are_local:
            skip_keeping(request)
        return encoded_json(found)
    return Response(found)


def disposition_header(filename: str) -> ResponseHeader:
    return ResponseHeader(
        name="Content-Disposition",
        documentation_only=True,
        description=f"`attachment; filename={filename}`",
    )


class StatementController(Controller):
    path = "/statements"
    tags = ["statements"]
    dependencies = {"statement_filters": Provide(provide_statement_filters)}

    @get(
        "/",
        operation_id="listStatements",
        cache=CACHED,
        summary="List statements",
        description=(
            "Attributed statements filtered by any combination of full-text search (`q`), "
            "speaker, source (outlet or credited agency), kind, statement date and article. "
            "In id order, or best match first when searching; `sort` chooses. Best match "
            f"first ranks the newest {SEARCH_CANDIDATES} matches (after the other filters): "
            "a common word finds the best of what is recent, and answers as fast as a rare "
            "one. With "
            "`q`, each statement carries a highlighted `snippet`."
        ),
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 500),
    )
    async def list_statements(
        self,
        request: Request[Any, Any, Any],
        statement_service: NamedDependency[StatementService],
        statement_filters: NamedDependency[StatementFilters],
        window: NamedDependency[Window],
        speaker: SpeakerFilter = None,
        sort: StatementSortParam = None,
    ) -> Response[schemas.StatementPage]:
        filters = dataclasses.replace(statement_filters, speaker_id=speaker)
        search = checked_search(filters.q)
        order = resolved_sort(sort, search)
        window = positioned_window(request, window, order, search)
        page = await statement_service.page(filters, window, order)
        return statement_page_response(request, page, order, search)

    # Litestar 2's own OPTIONS handler for this path would list GET only (see
    # ArticleController). A controller's handlers are registered in the order of their
    # names: this one's sorts before get_statement's, so it is registered first.
    @route("/{statement_id:int}", http_method=[HttpMethod.OPTIONS], include_in_schema=False)
    async def allowed_statement_methods(self, request: Request[Any, Any, Any]) -> Response[None]:
        return allow_typed_path_response(request)

    @get(
        "/{statement_id:int}",
        operation_id="getStatement",
        cache=CACHED,
        summary="Get a statement",
        description="One statement with its spans, speaker, article, outlet and credits.",
        responses=problem_responses(400, 404, 500),
    )
    async def get_statement(
        self,
        request: Request[Any, Any, Any],
        statement_reader: NamedDependency[StatementReader],
        statement_id: StatementIdPath,
    ) -> Response[schemas.Statement]:
        found = await statement_reader.get(statement_id)
        return stored_or_rendered(request, statement_reader, found)

    @patch(
        "/{statement_id:int}",
        operation_id="reassignStatementSpeaker",
        summary="Reassign a statement's speaker",
        description=(
            "An editor's answer to who said it: `speaker_id` is the statement's speaker "
            "from now on (null: nobody known). A different speaker does not keep the role "
            "the article gave the previous one. The correction is kept (by the article's "
            "content hash and the statement's offsets) and applied again whenever the same "
            "text is ingested, in this database or a rebuilt one. Needs an API key with "
            "the `edit` scope. Answers with the statement."
        ),
        guards=[require_key(Scope.EDIT)],
        opt={KEY_SCOPE_OPT: Scope.EDIT},
        responses=problem_responses(400, 401, 403, 404, 413, 500),
    )
    async def reassign_statement_speaker(
        self,
        request: Request[Any, Any, Any],
        statement_service: NamedDependency[StatementService],
        correction_service: NamedDependency[CorrectionService],
        statement_id: StatementIdPath,
        data: JSONBody[schemas.SpeakerReassignment],
    ) -> schemas.Statement:
        principal = await principal_of(request)
        try:
            await correction_service.reassign(statement_id, data, api_key_id=principal.key_id)
        except InvalidCorrectionError as exc:
            raise invalid_correction(exc) from exc
        return await statement_service.get(statement_id)

    @get(
        "/export.ndjson",
        operation_id="exportStatementsNdjson",
        summary="Export statements as NDJSON",
        description=(
            f"The statements `listStatements` would list for the same {_FILTERS}, one "
            "`Statement` JSON object per line (newline-delimited JSON), exactly as the API "
            f"serves it. An empty body when nothing matches. {_STREAMED}"
        ),
        media_type=NDJSON_MEDIA_TYPE,
        response_description="One `Statement` JSON object per line.",
        response_headers=[disposition_header("statements.ndjson")],
        responses=problem_responses(400, 500),
    )
    async def export_statements_ndjson(
        self,
        statement_export: NamedDependency[StatementExport],
        statement_filters: NamedDependency[StatementFilters],
        speaker: SpeakerFilter = None,
    ) -> Stream:
        filters = _export_filters(statement_filters, speaker)
        return _download(statement_export.ndjson(filters), NDJSON_MEDIA_TYPE, NDJSON_DISPOSITION)

    @get(
        "/export.csv",
        operation_id="exportStatementsCsv",
        summary="Export statements as CSV",
        description=(
            f"The statements `listStatements` would list for the same {_FILTERS}, as "
            "RFC 4180 CSV in UTF-8 (CRLF line ends, fields quoted when needed): a header "
            f"row, then one row per statement. Columns: {CSV_COLUMNS_DOC}. Empty cells are "
            "nulls; `cue` is the reporting verb's text, `outlet` the article's source, "
            "`via` the credited upstream sources' names joined with `;`, `date` ISO "
            f"8601. Only the header row when nothing matches. {_STREAMED}"
        ),
        media_type=CSV_MEDIA_TYPE,
        response_description="A header row, then one row per statement.",
        response_headers=[disposition_header("statements.csv")],
        responses=problem_responses(400, 500),
    )
    async def export_statements_csv(
        self,
        statement_export: NamedDependency[StatementExport],
        statement_filters: NamedDependency[StatementFilters],
        speaker: SpeakerFilter = None,
    ) -> Stream:
        filters = _export_filters(statement_filters, speaker)
        return _download(statement_export.csv(filters), CSV_MEDIA_TYPE, CSV_DISPOSITION)


def _export_filters(filters: StatementFilters, speaker: int | None) -> StatementFilters:
    filters = dataclasses.replace(filters, speaker_id=speaker)
    checked_search(filters.q)  # a bad q is a 400 before the stream starts
    return filters


def _download(chunks: AsyncIterator[bytes], media_type: str, disposition: str) -> Stream:
    return Stream(chunks, media_type=media_type, headers={"Content-Disposition": disposition})
