"""Typed request parameters shared by the controllers.

Types and bounds are declared here once, so a wrong type or an out-of-range value is
rejected by Litestar with a 400 that names the parameter, before any query runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar.exceptions import ValidationException
from litestar.params import PathParameter, QueryParameter

from api.services import StatementSort
from schemas import ActorKind, ArticleSubmission, StatementKind

# Ids are PostgreSQL INTEGERs: larger numbers cannot name a row, and sending them to the
# database would fail in the driver (a 500) instead of answering 404/400.
MAX_ID = 2_147_483_647
MAX_QUERY_LENGTH = 200

StatementIdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Statement id.")]
ActorIdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Actor id.")]
ArticleIdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Article id.")]
ClaimIdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Claim id.")]
JobIdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Ingest job id.")]

# The statement filters' q: full-text search (api.services.search says exactly how).
SearchQuery = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Full-text search in the statement text, its quoted words and the speaker's "
            "name (and the mention as written). Every word must occur, in any case; "
            '`"exact words"` is a phrase (those words, in that order); `word*` is a '
            "prefix. Words are letters and digits: punctuation only separates them "
            '(`foo-bar` is the phrase `"foo bar"`) and operators (`AND`, `OR`, `NOT`, '
            "`NEAR`) are ordinary words. No stemming: `troop` does not find `troops`, "
            "`troop*` does. Results are ranked (see `sort`) and each carries a "
            "`snippet`. A `q` with no letter or digit is a 400; a blank `q` is no search."
        ),
    ),
]
# The actor list's q: a plain substring of the name or an alias.
ActorNameQuery = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Case-insensitive substring of the name or an alias. Matched literally: `%` "
            "and `_` are ordinary characters."
        ),
    ),
]
StatementSortParam = Annotated[
    StatementSort | None,
    QueryParameter(
        description=(
            "Order: `relevance` (best match first, then id; needs `q`, and is the "
            "default with `q`), `date` (statement date, newest first, undated last, then "
            "id) or `id` (the default without `q`). A `next_cursor` only continues the "
            "order (and, for `relevance`, the `q`) it came from."
        ),
    ),
]
SpeakerFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="Only statements by this actor id."),
]
SourceFilter = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_ID,
        description=(
            "Only statements from articles of this source id (the outlet), or crediting "
            "it as an upstream source (e.g. a wire agency)."
        ),
    ),
]
OutletFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="Only articles published by this source id."),
]
ArticleFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="Only statements of this article id."),
]
KindFilter = Annotated[
    StatementKind | None,
    QueryParameter(description="Only statements of this kind."),
]
SinceFilter = Annotated[
    dt.date | None,
    QueryParameter(description="Earliest date, inclusive (ISO 8601, `YYYY-MM-DD`)."),
]
UntilFilter = Annotated[
    dt.date | None,
    QueryParameter(description="Latest date, inclusive (ISO 8601, `YYYY-MM-DD`)."),
]


SpeakerKindFilter = Annotated[
    ActorKind | None,
    QueryParameter(description="Only statements whose speaker is an actor of this kind."),
]
StatementOutletFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="Only statements published by this outlet id."),
]
UpstreamFilter = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_ID,
        description="Only statements crediting this upstream source id (a wire agency, say).",
    ),
]
ClaimFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="Only statements supporting this claim id."),
]
LatestOnlyFilter = Annotated[
    bool,
    QueryParameter(
        description=(
            "`true`: only the latest version of each article, leaving out versions a later "
            "text at the same URL has superseded."
        ),
    ),
]
PublishedSinceFilter = Annotated[
    dt.date | None,
    QueryParameter(description="Earliest publication date of the article, inclusive."),
]
PublishedUntilFilter = Annotated[
    dt.date | None,
    QueryParameter(description="Latest publication date of the article, inclusive."),
]


def check_date_range(since: dt.date | None, until: dt.date | None, *, field: str = "until") -> None:
    """An inverted range is a client mistake worth naming, not an empty page."""
    if since is not None and until is not None and since > until:
        start = field.replace("until", "since")
        raise ValidationException(
            detail=f"{field} is before {start}",
            extra=[{"key": field, "message": f"must not be before {start} ({since.isoformat()})"}],
        )


def is_iso_date_or_datetime(value: str) -> bool:
    """An ISO 8601 date or date and time, read as the ingest worker reads ``published``."""
    text = value.strip()
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False


def check_submission(submission: ArticleSubmission) -> None:
    """What the body's types cannot say: a text to read, and a date the worker can read."""
    errors: list[dict[str, str]] = []
    if not any(value and value.strip() for value in (submission.text, submission.html)):
        message = "send a non-blank `text` (plain text) or `html` (the page)"
        errors += [{"key": "text", "message": message}, {"key": "html", "message": message}]
    if submission.published is not None and not is_iso_date_or_datetime(submission.published):
        errors.append(
            {
                "key": "published",
                "message": "expected an ISO 8601 date (2026-01-08) or date and time "
                "(2026-01-08T14:52:00+01:00)",
            }
        )
    if errors:
        raise ValidationException(detail="invalid article submission", extra=errors)
