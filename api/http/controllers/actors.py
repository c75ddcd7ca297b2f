"""/v1/actors: the people and bodies statements are attributed to."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

import schemas
from api.http.controllers.statements import (
    checked_search,
    positioned_window,
    resolved_sort,
    statement_page_response,
)
from api.http.dependencies import provide_statement_filters
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import ActorIdPath, ActorNameQuery, StatementSortParam
from api.http.problems import problem_responses
from api.services import ActorService, StatementFilters, Window


class ActorController(Controller):
    path = "/actors"
    tags = ["actors"]

    @get(
        "/",
        operation_id="listActors",
        summary="List actors",
        description="Speakers in id order; `q` matches the name or any alias.",
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 500),
    )
    async def list_actors(
        self,
        request: Request[Any, Any, Any],
        actor_service: NamedDependency[ActorService],
        window: NamedDependency[Window],
        q: ActorNameQuery = None,
    ) -> Response[schemas.ActorPage]:
        page = await actor_service.page(q, window)
        return page_response(request, page, schemas.ActorPage)

    @get(
        "/{actor_id:int}",
        operation_id="getActor",
        summary="Get an actor",
        description="One actor with aliases, the roles articles gave them and a statement count.",
        responses=problem_responses(400, 404, 500),
    )
    async def get_actor(
        self, actor_service: NamedDependency[ActorService], actor_id: ActorIdPath
    ) -> schemas.Actor:
        return await actor_service.get(actor_id)

    @get(
        "/{actor_id:int}/statements",
        operation_id="listActorStatements",
        summary="List an actor's statements",
        description=(
            "The actor's statements, with the filters, search, `sort` and snippets of "
            "`listStatements`."
        ),
        dependencies={"statement_filters": Provide(provide_statement_filters)},
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 404, 500),
    )
    async def list_actor_statements(
        self,
        request: Request[Any, Any, Any],
        actor_service: NamedDependency[ActorService],
        statement_filters: NamedDependency[StatementFilters],
        window: NamedDependency[Window],
        actor_id: ActorIdPath,
        sort: StatementSortParam = None,
    ) -> Response[schemas.StatementPage]:
        search = checked_search(statement_filters.q)
        order = resolved_sort(sort, search)
        window = positioned_window(request, window, order, search)
        page = await actor_service.statements(actor_id, statement_filters, window, order)
        return statement_page_response(request, page, order, search)
