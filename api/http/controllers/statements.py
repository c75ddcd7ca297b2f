"""/v1/statements: who said what, where and when."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

import schemas
from api.http.dependencies import provide_statement_filters
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import SpeakerFilter, StatementIdPath
from api.http.problems import problem_responses
from api.services import StatementFilters, StatementService, Window


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
