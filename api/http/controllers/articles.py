"""/v1/articles: the ingested articles statements point into."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

import schemas
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import (
    ArticleIdPath,
    OutletFilter,
    SinceFilter,
    UntilFilter,
    check_date_range,
)
from api.http.problems import problem_responses
from api.services import ArticleService, Window


class ArticleController(Controller):
    path = "/articles"
    tags = ["articles"]

    @get(
        "/",
        operation_id="listArticles",
        summary="List articles",
        description="Article summaries (no text) in id order, by outlet and publication date.",
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
    ) -> Response[schemas.ArticlePage]:
        check_date_range(since, until)
        page = await article_service.page(window, source_id=source, since=since, until=until)
        return page_response(request, page, schemas.ArticlePage)

    @get(
        "/{article_id:int}",
        operation_id="getArticle",
        summary="Get an article",
        description="One article with its stored text: every span offset points into `text`.",
        responses=problem_responses(400, 404, 500),
    )
    async def get_article(
        self, article_service: NamedDependency[ArticleService], article_id: ArticleIdPath
    ) -> schemas.Article:
        return await article_service.get(article_id)
