"""/v1/sources: outlets and the upstream agencies they credit."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

import schemas
from api.http.pagination import LINK_HEADER, page_response
from api.http.problems import problem_responses
from api.http.response_cache import CACHED
from api.services import SourceService, Window


class SourceController(Controller):
    path = "/sources"
    tags = ["sources"]

    @get(
        "/",
        operation_id="listSources",
        cache=CACHED,
        summary="List sources",
        description=(
            "Sources in id order. `statement_count` counts the statements a source "
            "published or is credited for, as `listStatements?source=` returns them."
        ),
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 500),
    )
    async def list_sources(
        self,
        request: Request[Any, Any, Any],
        source_service: NamedDependency[SourceService],
        window: NamedDependency[Window],
    ) -> Response[schemas.SourcePage]:
        page = await source_service.page(window)
        return page_response(request, page, schemas.SourcePage)
