"""The API contract: msgspec Structs, the single source of the OpenAPI spec."""

from schemas.catalog import (
    Actor,
    ActorPage,
    Article,
    ArticleDuplicate,
    ArticlePage,
    ArticleSummary,
    ArticleVersion,
    InferredFields,
    Source,
    SourcePage,
)
from schemas.claims import Appearance, Claim, ClaimDetail, ClaimPage, DiffOp, Provenance, WordDiff
from schemas.common import (
    ActorKind,
    ActorRef,
    FieldError,
    Problem,
    SourceKind,
    SourceRef,
    Span,
    StatementKind,
)
from schemas.health import Health
from schemas.jobs import ArticleSubmission, IngestJob, JobOutcome, JobStatus
from schemas.statements import ArticleRef, Statement, StatementPage

__all__ = [
    "Actor",
    "ActorKind",
    "ActorPage",
    "ActorRef",
    "Appearance",
    "Article",
    "ArticleDuplicate",
    "ArticlePage",
    "ArticleRef",
    "ArticleSubmission",
    "ArticleSummary",
    "ArticleVersion",
    "Claim",
    "ClaimDetail",
    "ClaimPage",
    "DiffOp",
    "FieldError",
    "Health",
    "InferredFields",
    "IngestJob",
    "JobOutcome",
    "JobStatus",
    "Problem",
    "Provenance",
    "Source",
    "SourceKind",
    "SourcePage",
    "SourceRef",
    "Span",
    "Statement",
    "StatementKind",
    "StatementPage",
    "WordDiff",
]
