"""Articles submitted over HTTP, and the ingest jobs that turn them into statements."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.examples import ex

# Limits of a submission, in characters. The request body limit (413) applies as well.
MAX_TEXT_CHARS = 1_000_000
MAX_URL_CHARS = 2000  # articles.url
MAX_OUTLET_CHARS = 200  # sources.name
MAX_TITLE_CHARS = 1000  # articles.title
MAX_PUBLISHED_CHARS = 64


class JobStatus(enum.StrEnum):
    """Where a job is: waiting for a worker, in a worker's hands, stored, or given up."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobOutcome(enum.StrEnum):
    """What storing the article did."""

    INGESTED = "ingested"  # a new article, with its statements
    UNCHANGED = "unchanged"  # the same text was already stored (at the same URL)
    NEW_VERSION = "new_version"  # a changed text at a known URL: the next version
    DUPLICATE = "duplicate"  # a near-copy of a stored article: kept, without statements


class ArticleSubmission(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An article to ingest: its plain `text` or its page's `html`.

    At least one of `text` and `html` must be non-blank; when both are, `text` is used.
    `published` is an ISO 8601 date (`2026-01-08`) or date and time
    (`2026-01-08T14:52:00`, with an offset when known). Fields left out (or null) are
    read off the text where it says them (title, outlet, publication date).
    """

    text: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=MAX_TEXT_CHARS,
                examples=[x.CHARTER_TEXT],
                description="The article as plain text. Used when both `text` and `html` are sent.",
            ),
        ]
        | None
    ) = None
    html: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=MAX_TEXT_CHARS,
                examples=[x.CHARTER_HTML],
                description="The article's whole page: its main text is extracted from it.",
            ),
        ]
        | None
    ) = None
    url: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=MAX_URL_CHARS,
                pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$",
                examples=[x.CHARTER_URL],
                description=(
                    "Where the article is published (http or https). A changed text sent "
                    "again with the same URL is stored as the article's next version."
                ),
            ),
        ]
        | None
    ) = None
    outlet: (
        Annotated[
            str, msgspec.Meta(min_length=1, max_length=MAX_OUTLET_CHARS, examples=["Charter 97"])
        ]
        | None
    ) = None
    title: (
        Annotated[
            str, msgspec.Meta(min_length=1, max_length=MAX_TITLE_CHARS, examples=[x.CHARTER_TITLE])
        ]
        | None
    ) = None
    published: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=MAX_PUBLISHED_CHARS,
                examples=[x.CHARTER_PUBLISHED_AT, x.CHARTER_DATE],
                description=(
                    "Publication date, ISO 8601: a date (`2026-01-08`) or a date and time "
                    "(`2026-01-08T14:52:00`, with its offset when known)."
                ),
            ),
        ]
        | None
    ) = None


class IngestJob(msgspec.Struct, frozen=True, kw_only=True):
    """A submitted article on its way to statements.

    `queued` until a worker takes it, `running` while one works on it (a worker that
    stops leaves it to be taken again), then `done` (see `outcome` and `article_url`)
    or `failed` (see `error`).
    """

    id: Annotated[int, ex(42)]
    status: Annotated[JobStatus, ex("done", "queued")]
    outcome: Annotated[JobOutcome | None, ex("ingested", None)]
    article_id: Annotated[
        int | None,
        ex(5, None),
        msgspec.Meta(
            description=(
                "The stored article once done: the new article or version, the one already "
                "stored (`unchanged`), or the copy (`duplicate`, whose `duplicate_of` names "
                "the original)."
            )
        ),
    ]
    statement_count: Annotated[int, ex(11, 0)]
    attempts: Annotated[
        int, ex(1, 0), msgspec.Meta(description="How many times a worker took the job.")
    ]
    error: Annotated[
        str | None,
        ex(None, x.JOB_ERROR),
        msgspec.Meta(description="Why the last attempt failed, in one line; null otherwise."),
    ]
    created_at: Annotated[dt.datetime, ex(x.JOB_CREATED_AT)]
    started_at: Annotated[dt.datetime | None, ex(x.JOB_STARTED_AT, None)]
    finished_at: Annotated[dt.datetime | None, ex(x.INGESTED_AT, None)]
    article_url: Annotated[
        str | None,
        ex("/v1/articles/5", None),
        msgspec.Meta(description="Path of the stored article once done (`GET` it); else null."),
    ]
