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
`errors`.
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
