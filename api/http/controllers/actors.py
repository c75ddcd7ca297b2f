"""/v1/actors: the people and bodies statements are attributed to, and editors' fixes.

Editors (an API key with the ``edit`` scope) merge two actors and split an alias off
one; every correction is kept and replayed by later ingestion (api/services/corrections.py).

A merged actor's id keeps answering: ``GET /v1/actors/{id}`` and
``/v1/actors/{id}/statements`` redirect (``308 Permanent Redirect``, query kept) to the
actor it became; a write naming it is a 404 whose detail names that actor.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_308_PERMANENT_REDIRECT

import schemas
from api.http.auth import principal_of, require_key
from api.http.controllers.statements import (
    UNFILTERED,
    EncodedStatementPage,
    checked_search,
    invalid_correction,
    positioned_window,
    resolved_sort,
    statement_page_response,
)
from api.http.dependencies import (
    ACTOR_ROUTE,
    ACTOR_STATEMENTS_ROUTE,
    KEY_SCOPE_OPT,
    provide_statement_filters,
)
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import ActorIdPath, ActorNameQuery, StatementSortParam
from api.http.problems import handle_not_found, problem_responses
from api.http.response_cache import CACHED
from api.services import (
    ActorService,
    CorrectionService,
    InvalidCorrectionError,
    MergedActorError,
    StatementFilters,
    StatementSort,
    Window,
)
from api.services.keys import Scope
from api.services.statement_reader import StatementReader

_READ_ROUTES = {ACTOR_ROUTE, ACTOR_STATEMENTS_ROUTE}
MERGED_RESPONSE = {
    HTTP_308_PERMANENT_REDIRECT: ResponseSpec(
        data_container=None,
        description=(
            "The actor was merged into another: `Location` is the same request for that "
            "actor (query kept)."
        ),
    )
}
_EDIT = (
    "Needs an API key with the `edit` scope. The correction is kept (by actor keys, not "
    "ids) and applied again to whatever is ingested later, including the same articles "
    "in a rebuilt database after `statements corrections import`."
)


def redirect_merged(request: Request[Any, Any, Any], exc: MergedActorError) -> Response[Any]:
    """A merged actor's reads move to the actor it became; anything else is a 404."""
    route = request.scope["route_handler"].name
    if route not in _READ_ROUTES:
        return handle_not_found(request, exc)
    location = request.app.route_reverse(route, actor_id=exc.into_id)
    if request.url.query:
        location += f"?{request.url.query}"
    return Response(
        None,
        status_code=HTTP_308_PERMANENT_REDIRECT,
        # A merge is for good, but a SQLite id can be given to a new actor later.
        headers={"Location": location, "Cache-Control": "no-store"},
    )


class ActorController(Controller):
    path = "/actors"
    tags = ["actors"]

    @get(
        "/",
        operation_id="listActors",
        cache=CACHED,
        summary="List actors",
        description=(
            "Speakers in id order; `q` matches the name or any alias (spellings outlets "
            "used, titled forms such as `French President Emmanuel Macron`)."
        ),
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
        cache=CACHED,
        name=ACTOR_ROUTE,
        summary="Get an actor",
        description=(
            "One actor with aliases, the roles articles gave them, its Wikidata id when "
            "known and a statement count. A merged actor redirects to the one it became."
        ),
        responses={**MERGED_RESPONSE, **problem_responses(400, 404, 500)},
    )
    async def get_actor(
        self, actor_service: NamedDependency[ActorService], actor_id: ActorIdPath
    ) -> schemas.Actor:
        return await actor_service.get(actor_id)

    @get(
        "/{actor_id:int}/statements",
        operation_id="listActorStatements",
        cache=CACHED,
        name=ACTOR_STATEMENTS_ROUTE,
        summary="List an actor's statements",
        description=(
            "The actor's statements, each with `speaker_role` (the role the article gave "
            "the actor when speaking), with the filters, search, `sort` and snippets of "
            "`listStatements`. A merged actor redirects to the one it became."
        ),
        dependencies={"statement_filters": Provide(provide_statement_filters)},
        response_headers=[LINK_HEADER],
        responses={**MERGED_RESPONSE, **problem_responses(400, 404, 500)},
    )
    async def list_actor_statements(
        self,
        request: Request[Any, Any, Any],
        statement_reader: NamedDependency[StatementReader],
        statement_filters: NamedDependency[StatementFilters],
        window: NamedDependency[Window],
        actor_id: ActorIdPath,
        sort: StatementSortParam = None,
    ) -> Response[schemas.StatementPage]:
        if statement_filters == UNFILTERED and sort in (None, StatementSort.ID):
            stored = await statement_reader.speaker_page(actor_id, window)
            if stored is not None:  # the documents as stored, in the page's envelope
                encoded: Response[Any] = page_response(request, stored, EncodedStatementPage)
                return encoded
        search = checked_search(statement_filters.q)
        order = resolved_sort(sort, search)
        window = positioned_window(request, window, order, search)
        page = await statement_reader.actor_statements(actor_id, statement_filters, window, order)
        return statement_page_response(request, page, order, search)

    @post(
        "/{actor_id:int}/merge",
        operation_id="mergeActor",
        summary="Merge an actor into another",
        description=(
            "One person or body the machine made two actors of: this actor's statements, "
            "aliases (its name among them), Wikidata id if the other has none, and the "
            "claims it speaks move to `into`, and this actor is deleted. Its id then "
            "redirects to `into`. Answers with the actor that remains. " + _EDIT
        ),
        status_code=HTTP_200_OK,
        guards=[require_key(Scope.EDIT)],
        opt={KEY_SCOPE_OPT: Scope.EDIT},
        responses=problem_responses(400, 401, 403, 404, 413, 500),
    )
    async def merge_actor(
        self,
        request: Request[Any, Any, Any],
        actor_service: NamedDependency[ActorService],
        correction_service: NamedDependency[CorrectionService],
        actor_id: ActorIdPath,
        data: JSONBody[schemas.ActorMerge],
    ) -> schemas.Actor:
        principal = await principal_of(request)
        try:
            into = await correction_service.merge(actor_id, data, api_key_id=principal.key_id)
        except InvalidCorrectionError as exc:
            raise invalid_correction(exc) from exc
        return await actor_service.get(into)

    @post(
        "/{actor_id:int}/split",
        operation_id="splitActorAlias",
        summary="Split an alias off an actor",
        description=(
            "A name the machine gave the wrong actor: the statements whose speaker mention "
            "is `alias` (with any title before it), and the alias with its titled forms, "
            "move to the actor `into` or to a new actor (`name`, `kind`). Answers with "
            "that actor: `201` with its `Location` when new, else `200`. " + _EDIT
        ),
        status_code=HTTP_200_OK,
        guards=[require_key(Scope.EDIT)],
        opt={KEY_SCOPE_OPT: Scope.EDIT},
        responses={
            HTTP_201_CREATED: ResponseSpec(
                data_container=schemas.Actor,
                description="The alias went to a new actor, at `Location`.",
            ),
            **problem_responses(400, 401, 403, 404, 413, 500),
        },
    )
    async def split_actor_alias(
        self,
        request: Request[Any, Any, Any],
        actor_service: NamedDependency[ActorService],
        correction_service: NamedDependency[CorrectionService],
        actor_id: ActorIdPath,
        data: JSONBody[schemas.AliasSplit],
    ) -> Response[schemas.Actor]:
        principal = await principal_of(request)
        try:
            target, created = await correction_service.split(
                actor_id, data, api_key_id=principal.key_id
            )
        except InvalidCorrectionError as exc:
            raise invalid_correction(exc) from exc
        actor = await actor_service.get(target)
        if not created:
            return Response(actor)
        location = request.app.route_reverse(ACTOR_ROUTE, actor_id=target)
        return Response(actor, status_code=HTTP_201_CREATED, headers={"Location": location})
