"""OpenAPI settings: the spec is generated from the handlers and ``schemas`` Structs."""

from __future__ import annotations

from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Tag

from api.http.problems import PROBLEM_SLUGS, PROBLEM_TYPE_BASE
from api.services.health import package_version

DOCS_PATH = "/docs"

_PROBLEM_TYPES = "\n".join(
    f"- `{PROBLEM_TYPE_BASE}{slug}` ({status})" for status, slug in sorted(PROBLEM_SLUGS.items())
)

DESCRIPTION = f"""\
Who said what, when, where it was reported and how it travelled.

**Pagination.** Lists are ordered by id and paginated with opaque cursors: pass a page's
`next_cursor` as `cursor` to get the next one. `has_more` says whether there is one, and
the `Link` header (`rel="next"`) carries its URL.

**Errors** are RFC 9457 problem documents (`application/problem+json`) whose `instance`
is the request path. Problem types:

{_PROBLEM_TYPES}

Any other status uses `about:blank`. Validation problems name each offending parameter in
`errors`. Every problem carries `request_id`, the response's `X-Request-ID`.

**Caching.** Successful reads carry `Cache-Control: public, max-age=60` and an `ETag`
(a hash of the body; weak, `W/"…"`, when the body is gzip-coded). Send it back in
`If-None-Match` (one tag or several, weak or strong, or `*`) to get `304 Not Modified`
with no body while the data is unchanged. Errors and `/health` are `no-store`.

**Compression.** Bodies of 1 KiB or more, and the streamed exports, are gzip-coded when
the request's `Accept-Encoding` allows it.

**Request ids.** Send `X-Request-ID` (1-128 characters of `A-Z a-z 0-9 . _ -`) to have
it used for your request; otherwise, or when it is not valid, the server makes one. It
comes back in the `X-Request-ID` response header and is on the server's log lines.

**Exports.** `/v1/statements/export.ndjson` and `/v1/statements/export.csv` take the
filters of `listStatements` and stream every matching statement, without pagination.
"""

TAGS = [
    Tag(name="statements", description="Attributed statements with offsets into articles."),
    Tag(name="actors", description="Speakers: people, organisations, governments, groups."),
    Tag(name="articles", description="Ingested articles and their stored text."),
    Tag(name="sources", description="Outlets and the upstream agencies they credit."),
    Tag(name="claims", description="What several statements assert, and its provenance."),
    Tag(name="health", description="Service status."),
]


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Statements API",
        version=package_version(),
        description=DESCRIPTION,
        tags=TAGS,
        path=DOCS_PATH,
        # Scalar is served at /docs (and /docs/scalar); the spec at /docs/openapi.json.
        render_plugins=[ScalarRenderPlugin()],
        # Generated examples are random: they would make the committed spec unstable.
        create_examples=False,
    )
