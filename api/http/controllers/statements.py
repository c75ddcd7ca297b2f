"""/v1/statements: who said what, where and when; and bulk exports of any such query."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.response import Stream

import schemas
from api.http.dependencies import provide_statement_filters
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import SpeakerFilter, StatementIdPath
from api.http.problems import problem_responses
from api.services import CSV_COLUMNS, StatementExport, StatementFilters, StatementService, Window

NDJSON_MEDIA_TYPE = "application/x-ndjson"
CSV_MEDIA_TYPE = "text/csv"
NDJSON_DISPOSITION = "attachment; filename=statements.ndjson"
CSV_DISPOSITION = "attachment; filename=statements.csv"

_FILTERS = "`q`, `speaker`, `source`, `kind`, `article`, `since` and `until`"
_STREAMED = (
    "Every matching statement in id order, without pagination, streamed as it is read "
    "(a few hundred statements at a time). No `ETag`: the body is not known before it is "
    "sent. A failure after the first byte truncates the download."
)
CSV_COLUMNS_DOC = ", ".join(f"`{column}`" for column in CSV_COLUMNS)


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
        summary="List statements",
        description=(
            "Attributed statements in id order, filtered by any combination of text, "
            "speaker, source (outlet or credited agency), kind, statement date and article."
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
    ) -> Response[schemas.StatementPage]:
        filters = dataclasses.replace(statement_filters, speaker_id=speaker)
        page = await statement_service.page(filters, window)
        return page_response(request, page, schemas.StatementPage)

    @get(
        "/{statement_id:int}",
        operation_id="getStatement",
        summary="Get a statement",
        description="One statement with its spans, speaker, article, outlet and credits.",
        responses=problem_responses(400, 404, 500),
    )
    async def get_statement(
        self,
        statement_service: NamedDependency[StatementService],
        statement_id: StatementIdPath,
    ) -> schemas.Statement:
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
        filters = dataclasses.replace(statement_filters, speaker_id=speaker)
        return Stream(
            statement_export.ndjson(filters),
            media_type=NDJSON_MEDIA_TYPE,
            headers={"Content-Disposition": NDJSON_DISPOSITION},
        )

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
        filters = dataclasses.replace(statement_filters, speaker_id=speaker)
        return Stream(
            statement_export.csv(filters),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": CSV_DISPOSITION},
        )
