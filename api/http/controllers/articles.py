"""/v1/articles: the ingested articles statements point into, and submitting new ones."""

from __future__ import annotations

from typing import Any

from litestar import Controller, HttpMethod, Request, Response, get, post, route
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

import schemas
from api.http.auth import principal_of, require_key
from api.http.controllers.jobs import JOB_RESPONSE_HEADERS, job_response
from api.http.dependencies import ARTICLE_ROUTE, KEY_SCOPE_OPT
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import (
    ArticleIdPath,
    LatestOnlyFilter,
    OutletFilter,
    SinceFilter,
    UntilFilter,
    check_date_range,
    check_submission,
)
from api.http.problems import problem_responses
from api.http.response_cache import CACHED
from api.services import ArticleService, JobService, Window
from api.services.keys import Scope


def allow_response(request: Request[Any, Any, Any]) -> Response[None]:
    """What Litestar's own OPTIONS answer is: 204 with every method of the route in ``Allow``."""
    methods = request.app.route_handler_method_map[request.scope["path_template"]]
    return Response(
        None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": ", ".join(sorted(methods))}
    )


class ArticleController(Controller):
    path = "/articles"
    tags = ["articles"]

    # Declared first, so that it is registered first: Litestar 2 makes an OPTIONS handler
    # for a path when its first handler is registered, and that one's ``Allow`` only ever
    # lists that first handler's methods (litestar-org/litestar#4169, fixed in Litestar 3).
    @route("/", http_method=[HttpMethod.OPTIONS], include_in_schema=False)
    async def articles_options(self, request: Request[Any, Any, Any]) -> Response[None]:
        return allow_response(request)

    @get(
        "/",
        operation_id="listArticles",
        cache=CACHED,
        summary="List articles",
        description=(
            "Article summaries (no text) in id order, by outlet and publication date. Each "
            "is one version of the text at its URL (`version`); `latest_only=true` leaves "
            "out the versions a later one superseded."
        ),
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 500),
    )
    async def list_articles(
        self,
        request: Request[Any, Any, Any],
        article_service: NamedDependency[ArticleService],
        window: NamedDependency[Window],
        source: OutletFilter = None,
        since: SinceFilter = None,
        until: UntilFilter = None,
        latest_only: LatestOnlyFilter = False,
    ) -> Response[schemas.ArticlePage]:
        check_date_range(since, until)
        page = await article_service.page(
            window, source_id=source, since=since, until=until, latest_only=latest_only
        )
        return page_response(request, page, schemas.ArticlePage)

    @get(
        "/{article_id:int}",
        operation_id="getArticle",
        cache=CACHED,
        name=ARTICLE_ROUTE,
        summary="Get an article",
        description=(
            "One article with its stored text: every span offset points into `text`. "
            "`versions` lists every version stored at its URL and `duplicates` the "
            "near-duplicate copies of it."
        ),
        responses=problem_responses(400, 404, 500),
    )
    async def get_article(
        self, article_service: NamedDependency[ArticleService], article_id: ArticleIdPath
    ) -> schemas.Article:
        return await article_service.get(article_id)

    @post(
        "/",
        operation_id="submitArticle",
        summary="Submit an article",
        description=(
            "Queues an article for ingestion and answers `202 Accepted` with the job, whose "
            "URL is in `Location`: poll it (`getJob`) until it is `done` or `failed`. "
            "Statements are extracted by the ingest worker, not during this request. Needs "
            "an API key with the `ingest` scope.\n\n"
            "Send the article's `text` or its page's `html` (at least one, not blank; `text` "
            "wins when both are sent) and what you know of `url`, `outlet`, `title` and "
            "`published`: fields left out are read off the text where it says them. Unknown "
            "fields are refused (400), as are bodies over the server's size limit (413)."
        ),
        status_code=HTTP_202_ACCEPTED,
        guards=[require_key(Scope.INGEST)],
        opt={KEY_SCOPE_OPT: Scope.INGEST},
        response_description="The article is queued: the job, as `getJob` returns it.",
        response_headers=JOB_RESPONSE_HEADERS,
        responses=problem_responses(400, 401, 403, 413, 500),
    )
    async def submit_article(
        self,
        request: Request[Any, Any, Any],
        job_service: NamedDependency[JobService],
        data: JSONBody[schemas.ArticleSubmission],
    ) -> Response[schemas.IngestJob]:
        check_submission(data)
        principal = await principal_of(request)
        job = await job_service.submit(data, api_key_id=principal.key_id)
        return job_response(request, job, status_code=HTTP_202_ACCEPTED)
