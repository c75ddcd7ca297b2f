"""Read services: SQLAlchemy queries in, ``schemas`` structs out.

Controllers call services; services build ``select()`` queries over an ``AsyncSession``
and hand rows to ``converters``. ORM rows never leave this package. The writes are
``JobService.submit``, which queues a submitted article for the ingest worker, and the
editors' corrections of ``CorrectionService`` (api/services/corrections.py).
"""

from api.services.actors import ActorService
from api.services.articles import ArticleService
from api.services.claims import ClaimService
from api.services.corrections import CorrectionService, InvalidCorrectionError, MergedActorError
from api.services.document_rendering import install_document_rendering
from api.services.errors import NotFoundError
from api.services.export import (
    CSV_COLUMNS,
    EXPORT_BATCH_SIZE,
    StatementExport,
    export_jsonl,
    iter_statement_batches,
    iter_statements,
    write_jsonl,
)
from api.services.filters import StatementFilters
from api.services.health import HealthService
from api.services.jobs import JobService
from api.services.paging import Slice, SortKey, Window
from api.services.search import InvalidSearchError, SearchQuery, parse_search
from api.services.sources import SourceService
from api.services.statements import StatementService, StatementSort, default_sort

# Every process that writes statements imports this package (the pipeline, the CLI, the
# API's editors): each of its sessions renders the documents its writes made stale.
install_document_rendering()

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_BATCH_SIZE",
    "ActorService",
    "ArticleService",
    "ClaimService",
    "CorrectionService",
    "HealthService",
    "InvalidCorrectionError",
    "InvalidSearchError",
    "JobService",
    "MergedActorError",
    "NotFoundError",
    "SearchQuery",
    "Slice",
    "SortKey",
    "SourceService",
    "StatementExport",
    "StatementFilters",
    "StatementService",
    "StatementSort",
    "Window",
    "default_sort",
    "export_jsonl",
    "iter_statement_batches",
    "iter_statements",
    "parse_search",
    "write_jsonl",
]
