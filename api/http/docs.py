"""OpenAPI settings and the ``/docs`` page.

The spec is generated from the handlers and the ``schemas`` Structs (whose fields carry
the examples). ``/docs`` is Swagger UI, whose script, stylesheet and icon the app serves
itself from ``/docs/assets/`` (see ``api.http.assets``): the page works offline.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Tag

from api.http.assets import (
    SWAGGER_UI_CSS,
    SWAGGER_UI_FAVICON,
    SWAGGER_UI_JS,
    MissingDocsAssetsError,
    assets_router,
    swagger_ui_dir,
)
from api.http.problems import PROBLEM_SLUGS, PROBLEM_TYPE_BASE
from api.services.health import package_version

logger = logging.getLogger(__name__)

DOCS_PATH = "/docs"
ASSETS_PATH = "/assets"

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
    Tag(name="keys", description="API keys: which key a request was made with, and its scopes."),
    Tag(name="jobs", description="Ingest jobs: submitted articles on their way to statements."),
]


# Swagger UI's options (https://swagger.io/docs/open-source-tools/swagger-ui/usage/configuration/).
# No validatorUrl: the default badge would call swagger.io with the spec.
SWAGGER_UI_OPTIONS: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "deepLinking": True,
    "displayOperationId": True,
    "defaultModelsExpandDepth": 1,
    "showExtensions": True,
    "showCommonExtensions": True,
    "validatorUrl": None,
}


class OfflineSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI from the app's own ``/docs/assets/``, loading the served spec by URL.

    The spec's URL is the container's ``data-url`` attribute; Swagger UI fetches it
    rather than having the whole document inlined into the page. Without the viewer's
    files (an incomplete install) the API still serves, and ``/docs`` says what is missing.
    """

    def __init__(self, *, path: str = "/swagger") -> None:
        self.assets_dir: Path | None = None
        self.missing = ""
        try:
            self.assets_dir = swagger_ui_dir()
        except MissingDocsAssetsError as exc:
            logger.warning("/docs cannot show the API reference: %s", exc)
            self.missing = str(exc)
        # The folder's name carries Swagger UI's version: a new version is a new URL.
        version = self.assets_dir.name if self.assets_dir else "missing"
        self.assets_base = f"{DOCS_PATH}{ASSETS_PATH}/{version}"
        super().__init__(
            js_url=f"{self.assets_base}/{SWAGGER_UI_JS}",
            css_url=f"{self.assets_base}/{SWAGGER_UI_CSS}",
            path=path,
            favicon=(
                f'<link rel="icon" type="image/png" href="{self.assets_base}/{SWAGGER_UI_FAVICON}">'
            ),
        )

    def receive_router(self, router: Router) -> None:
        """Serve the viewer's files next to the page (``router`` is mounted at /docs)."""
        super().receive_router(router)
        if self.assets_dir is not None:
            router.register(assets_router(f"{ASSETS_PATH}/{self.assets_dir.name}", self.assets_dir))

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        spec_url = html.escape(self.get_openapi_json_route(request), quote=True)
        if self.assets_dir is None:
            return (
                f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f"<title>{title}</title></head><body><p>The API reference viewer is not "
                f"installed ({html.escape(self.missing)}). The spec is at "
                f'<a href="{spec_url}">{spec_url}</a>.</p></body></html>\n'
            ).encode()
        options = json.dumps(SWAGGER_UI_OPTIONS)
        page = f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    {self.favicon}
    <link rel="stylesheet" href="{self.css_url}">
    {self.style}
  </head>
  <body>
    <noscript>The API reference needs JavaScript; the spec itself is at
      <a href="{spec_url}">{spec_url}</a>.</noscript>
    <div id="swagger-ui" data-url="{spec_url}"></div>
    <script src="{self.js_url}"></script>
    <script>
      const root = document.getElementById("swagger-ui");
      window.ui = SwaggerUIBundle(Object.assign({options}, {{
        url: root.dataset.url,
        presets: [SwaggerUIBundle.presets.apis],
        layout: "BaseLayout",
      }}));
    </script>
  </body>
</html>
"""
        return page.encode()


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Statements API",
        version=package_version(),
        description=DESCRIPTION,
        tags=TAGS,
        path=DOCS_PATH,
        # Swagger UI at /docs (and /docs/swagger), its files under /docs/assets/; the spec
        # at /docs/openapi.json.
        render_plugins=[OfflineSwaggerRenderPlugin()],
        # Generated examples are random: they would make the committed spec unstable.
        create_examples=False,
    )
