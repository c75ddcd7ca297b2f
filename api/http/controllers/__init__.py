"""Thin controllers: parse and validate the request, call one service, shape the response."""

from api.http.controllers.actors import ActorController
from api.http.controllers.articles import ArticleController
from api.http.controllers.claims import ClaimController
from api.http.controllers.health import health
from api.http.controllers.jobs import JobController
from api.http.controllers.sources import SourceController
from api.http.controllers.statements import StatementController

__all__ = [
    "ActorController",
    "ArticleController",
    "ClaimController",
    "JobController",
    "SourceController",
    "StatementController",
    "health",
]
