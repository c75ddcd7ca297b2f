"""The docs viewer's static files, served by the app itself: ``/docs`` needs no CDN.

Swagger UI's distribution files come from the ``swagger-ui-bundle-v2`` wheel (import name
``swagger_ui_bundle``), a pinned Python dependency like any other, so the Quick start
stays pip-only and the page works offline. The files are served under a path carrying
Swagger UI's version, so browsers may cache them for a year: a new version is a new URL.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

ASSET_PACKAGE = "swagger_ui_bundle"
# Everything the page loads; the wheel also ships source maps and a demo index.html.
SWAGGER_UI_JS = "swagger-ui-bundle.js"
SWAGGER_UI_CSS = "swagger-ui.css"
SWAGGER_UI_FAVICON = "favicon-32x32.png"
REQUIRED_FILES = (SWAGGER_UI_JS, SWAGGER_UI_CSS, SWAGGER_UI_FAVICON)
ASSETS_CACHE_CONTROL = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)
ASSETS_ROUTE_NAME = "docs-assets"


class MissingDocsAssetsError(RuntimeError):
    """The Swagger UI files are not installed: the dependencies are incomplete."""


def swagger_ui_dir() -> Path:
    """The installed ``swagger-ui-<version>`` folder of the ``swagger_ui_bundle`` package."""
    try:
        vendor = Path(str(resources.files(ASSET_PACKAGE).joinpath("vendor")))
    except ModuleNotFoundError as exc:
        raise MissingDocsAssetsError(
            f"{ASSET_PACKAGE} is not installed: install the locked requirements "
            "(requirements/lock.txt) to serve /docs"
        ) from exc
    candidates = sorted(
        folder
        for folder in vendor.glob("swagger-ui-*")
        if all((folder / name).is_file() for name in REQUIRED_FILES)
    )
    if not candidates:
        raise MissingDocsAssetsError(
            f"no Swagger UI distribution with {REQUIRED_FILES} in {vendor}"
        )
    return candidates[-1]


def assets_router(path: str, directory: Path) -> Router:
    """GET and HEAD for the files of ``directory`` under ``path``, cacheable for a year."""
    return create_static_files_router(
        path=path,
        directories=[directory],
        name=ASSETS_ROUTE_NAME,
        cache_control=ASSETS_CACHE_CONTROL,
        include_in_schema=False,
    )
