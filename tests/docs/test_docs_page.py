"""``/docs`` works offline: the page loads only what the app serves, and it renders.

The in-process tests check the page and its assets over Litestar's test client. The
``browser`` test starts the real server on loopback and loads ``/docs`` in headless
Chromium with every host name unresolvable, so the viewer can only render from files
the app served, then reads the rendered DOM for every operation id of the spec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.http.app import create_app
from api.http.assets import REQUIRED_FILES, MissingDocsAssetsError, swagger_ui_dir
from api.http.docs import DOCS_PATH, OfflineSwaggerRenderPlugin
from api.settings import Settings
from tests.contract.live import LiveServer

SPEC_URL = f"{DOCS_PATH}/openapi.json"
OPERATION_ID_CLASS = "opblock-summary-operation-id"
CHROMIUM_TIMEOUT = 120


class _Page(HTMLParser):
    """URLs a page loads, and the text of elements carrying a given class."""

    def __init__(self, text_class: str = "") -> None:
        super().__init__()
        self.urls: list[str] = []
        self.data_urls: list[str] = []
        self.texts: list[str] = []
        self._text_class = text_class
        self._depth = 0  # > 0 while inside an element carrying text_class

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in {"script", "img", "iframe"} and values.get("src"):
            self.urls.append(values["src"])
        if tag == "link" and values.get("href"):
            self.urls.append(values["href"])
        if "data-url" in values:
            self.data_urls.append(values["data-url"])
        if self._depth:
            self._depth += 1
        elif self._text_class and self._text_class in values.get("class", "").split():
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


def parse(html: str, text_class: str = "") -> _Page:
    page = _Page(text_class)
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    # The docs need no data; the database is never opened.
    database = tmp_path_factory.mktemp("docs") / "unused.db"
    app = create_app(Settings(database_url=f"sqlite:///{database}"))
    with TestClient(app) as test_client:
        yield test_client


def test_docs_page_loads_only_same_origin_files(client: TestClient[Litestar]) -> None:
    for path in (DOCS_PATH, f"{DOCS_PATH}/swagger"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        page = parse(response.text)
        assert page.data_urls == [SPEC_URL]  # Swagger UI fetches the served spec
        assert page.urls, "the page loads no script or stylesheet"
        for url in page.urls:
            assert url.startswith(f"{DOCS_PATH}/assets/"), f"{path} loads {url}"
        assert "//" not in response.text.replace("<!--", ""), "an absolute URL is in the page"


def test_viewer_assets_are_the_packaged_files(client: TestClient[Litestar]) -> None:
    plugin = OfflineSwaggerRenderPlugin()
    page = parse(client.get(DOCS_PATH).text)
    assert {plugin.js_url, plugin.css_url} <= set(page.urls)
    directory = swagger_ui_dir()
    for name in REQUIRED_FILES:
        response = client.get(f"{plugin.assets_base}/{name}")
        assert response.status_code == 200, name
        assert response.content == (directory / name).read_bytes()
        assert "immutable" in response.headers["cache-control"]
    assert client.get(plugin.js_url).headers["content-type"].startswith("text/javascript")
    assert client.get(plugin.css_url).headers["content-type"].startswith("text/css")
    missing = client.get(f"{plugin.assets_base}/nothing-here.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_assets_are_not_in_the_spec(client: TestClient[Litestar]) -> None:
    paths = client.get(SPEC_URL).json()["paths"]
    assert not [path for path in paths if path.startswith(DOCS_PATH)]


CHROMIUM = (
    os.environ.get("STATEMENTS_TEST_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
# Locally a missing Chromium skips the browser test (before its server starts); under CI
# the test runs and fails.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Chromium is not installed (apt-get install chromium)",
)


def chromium() -> str:
    if CHROMIUM is None:
        pytest.fail("Chromium is required under CI: apt-get install -y chromium")
    return CHROMIUM


def rendered_dom(url: str, profile: Path) -> str:
    """The DOM of ``url`` once its scripts have run, with every host name unresolvable."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        # Offline for real: every host but the server's loopback address fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=20000",
        "--dump-dom",
        url,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@pytest.mark.browser
@needs_chromium
def test_docs_render_offline_in_chromium(live_server: LiveServer, tmp_path: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{live_server.base_url}{SPEC_URL}", timeout=10) as response:
        spec = json.loads(response.read())
    operation_ids = {
        operation["operationId"] for item in spec["paths"].values() for operation in item.values()
    }
    assert len(operation_ids) >= 14

    dom = rendered_dom(f"{live_server.base_url}{DOCS_PATH}", tmp_path / "profile")

    assert "Failed to load API definition" not in dom
    rendered = {text.strip() for text in parse(dom, OPERATION_ID_CLASS).texts}
    assert rendered >= operation_ids, (
        f"not rendered: {sorted(operation_ids - rendered)}\nserver log:\n{live_server.log()}"
    )
    titles = [text.strip() for text in parse(dom, "title").texts]
    assert any(title.startswith(spec["info"]["title"]) for title in titles), titles


def test_without_the_viewer_files_the_api_still_serves(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def missing() -> Path:
        raise MissingDocsAssetsError("swagger_ui_bundle is not installed")

    monkeypatch.setattr("api.http.docs.swagger_ui_dir", missing)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    with TestClient(app) as client:
        page = client.get(DOCS_PATH)
        spec = client.get(SPEC_URL)

    assert page.status_code == 200
    assert "swagger_ui_bundle is not installed" in page.text
    assert parse(page.text).urls == []
    assert spec.status_code == 200
