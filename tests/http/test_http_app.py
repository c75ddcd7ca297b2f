"""The app around the routes: /health, /docs, the committed spec, CORS, the env factory."""

from __future__ import annotations

import gc
import json
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path

import pytest
import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.app import app_from_env, create_app
from api.http.openapi import SPEC_PATH, generate_spec, write_spec
from api.settings import Settings
from api.storage.engine import async_session_factory, make_async_engine
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
PROBLEM = "application/problem+json"


async def test_health(client: Client, newsroom: Newsroom, database_url: str) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": make_url(database_url).get_backend_name(),
        "version": metadata.version("statements"),
        "statements": 6,
    }


@pytest.fixture
async def unreachable_sessions(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions for a database of the same backend that cannot be reached."""
    if make_url(database_url).get_backend_name() == "postgresql":
        # Port 1 refuses connections at once.
        engine = make_async_engine(
            "postgresql://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
        )
    else:
        missing_dir = tmp_path_factory.mktemp("gone") / "missing" / "statements.db"
        engine = make_async_engine(f"sqlite:///{missing_dir}")
    yield async_session_factory(engine)
    await engine.dispose()


async def test_health_is_503_when_database_is_unreachable(
    unreachable_sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(), session_maker=unreachable_sessions)
    with caplog.at_level(logging.WARNING):
        async with AsyncTestClient(app) as client:
            response = await client.get("/health")

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "https://statements.dev/problems/service-unavailable",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The database is not reachable.",
        "instance": "/health",
        "request_id": response.headers["x-request-id"],
    }
    assert response.headers["cache-control"] == "no-store"


async def test_docs_page_and_spec(client: Client) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-url="/docs/openapi.json"' in page.text  # the UI loads the served spec

    spec = await client.get("/docs/openapi.json")
    assert spec.status_code == 200
    document = spec.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Statements API"
    assert "/v1/statements" in document["paths"]
    assert "/health" in document["paths"]


async def test_served_spec_is_the_committed_one(client: Client) -> None:
    served = (await client.get("/docs/openapi.json")).json()
    assert served == json.loads(generate_spec())


def test_every_operation_is_documented() -> None:
    spec = json.loads(generate_spec())
    operations = [op for path in spec["paths"].values() for op in path.values()]
    # + GET /v1/claims/{id}/provenance.prov.json; + mergeActor, splitActorAlias and
    # reassignStatementSpeaker (editors' corrections)
    assert len(operations) == 21
    operation_ids = [op["operationId"] for op in operations]
    assert len(set(operation_ids)) == len(operation_ids)
    for op in operations:
        assert op["tags"] and op["summary"] and op["description"], op["operationId"]
        assert "500" in op["responses"], op["operationId"]
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == [PROBLEM], (op["operationId"], status)


def test_committed_openapi_spec_is_current() -> None:
    committed = SPEC_PATH.read_bytes() if SPEC_PATH.exists() else b""
    assert committed == generate_spec(), (
        f"{SPEC_PATH} is out of date with the code: run `statements openapi` and commit it"
    )


def test_generate_spec_is_deterministic() -> None:
    spec = generate_spec()
    assert spec == generate_spec()
    assert spec.endswith(b"}\n")
    assert spec.startswith(b'{\n  "components"')  # keys sorted, two-space indent


def test_write_spec_writes_generate_spec(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "openapi.json"
    write_spec(target)
    assert target.read_bytes() == generate_spec()


async def test_cors_when_origins_are_configured(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    origin = "https://desk.newsroom.example"
    app = create_app(Settings(cors_origins=(origin,)), session_maker=session_maker)
    async with AsyncTestClient(app) as client:
        response = await client.get("/v1/statements?limit=1", headers={"Origin": origin})
        preflight = await client.options(
            "/v1/statements",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "if-none-match, x-request-id",
                "X-Request-ID": "preflight-1",
            },
        )
        not_modified = await client.get(
            "/v1/statements?limit=1",
            headers={"Origin": origin, "If-None-Match": response.headers["etag"]},
        )
        stranger = await client.get("/v1/statements", headers={"Origin": "https://evil.example"})
        forbidden_header = await client.options(
            "/v1/statements",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "x-something-else",
            },
        )

    assert response.headers["access-control-allow-origin"] == origin
    # Scripts may read pagination, validators, request ids, download names and the
    # rate-limit headers (before rate limiting exists).
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert exposed >= {
        "etag",
        "link",
        "x-request-id",
        "content-disposition",
        "ratelimit",
        "ratelimit-policy",
        "retry-after",
    }
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert {"if-none-match", "x-request-id"} <= allowed
    assert preflight.headers["x-request-id"] == "preflight-1"
    # Revalidation works across origins, and the 304 is readable by the script.
    assert not_modified.status_code == 304
    assert not_modified.headers["access-control-allow-origin"] == origin
    assert "etag" in not_modified.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in stranger.headers
    assert forbidden_header.status_code == 400
    # Shared caches must key on Origin and Accept-Encoding, allowed origin or not.
    for varied in (response, not_modified, stranger):
        vary = {v.strip().lower() for v in varied.headers["vary"].split(",")}
        assert vary >= {"origin", "accept-encoding"}


async def test_a_kept_response_is_never_replayed_to_another_origin(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    origin = "https://desk.newsroom.example"
    app = create_app(Settings(cors_origins=(origin,)), session_maker=session_maker)
    path = f"/v1/actors/{newsroom.macron}/statements"
    async with AsyncTestClient(app) as client:
        first = await client.get(path, headers={"Origin": origin})
        stranger = await client.get(path, headers={"Origin": "https://evil.example"})
        no_origin = await client.get(path)
        again = await client.get(path, headers={"Origin": origin})

    assert first.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in stranger.headers
    assert "access-control-allow-origin" not in no_origin.headers
    assert again.headers["access-control-allow-origin"] == origin
    assert again.content == first.content == stranger.content


async def test_no_cors_headers_by_default(client: Client) -> None:
    response = await client.get("/health", headers={"Origin": "https://desk.newsroom.example"})
    assert "access-control-allow-origin" not in response.headers


@pytest.fixture
def restore_structlog() -> Iterator[None]:
    """app_from_env configures structlog and freezes the heap for the process; undo both."""
    yield
    structlog.reset_defaults()
    gc.unfreeze()


@pytest.mark.usefixtures("restore_structlog")
async def test_app_from_env_creates_its_engine_at_startup(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEMENTS_DATABASE_URL", database_url)
    app = app_from_env()
    async with AsyncTestClient(app) as client:
        response = await client.get("/health")

    assert response.status_code == 200
    assert response.json()["database"] == make_url(database_url).get_backend_name()
    # The server's startup objects are out of the garbage collector's full passes.
    assert gc.get_freeze_count() > 0


def test_exports_are_documented_operations() -> None:
    spec = json.loads(generate_spec())
    ndjson = spec["paths"]["/v1/statements/export.ndjson"]["get"]
    csv_op = spec["paths"]["/v1/statements/export.csv"]["get"]

    assert ndjson["operationId"] == "exportStatementsNdjson"
    assert csv_op["operationId"] == "exportStatementsCsv"
    assert list(ndjson["responses"]["200"]["content"]) == ["application/x-ndjson"]
    assert list(csv_op["responses"]["200"]["content"]) == ["text/csv"]
    for op in (ndjson, csv_op):
        names = {p["name"] for p in op["parameters"]}
        # The list's filters, and no pagination.
        assert names == {
            "q", "speaker", "source", "kind", "article", "since", "until",
            "speaker_kind", "outlet", "upstream", "claim", "published_since", "published_until",
        }  # fmt: skip
        assert "Content-Disposition" in op["responses"]["200"]["headers"]
    assert "speaker_name" in csv_op["description"]
    assert "request_id" in spec["components"]["schemas"]["Problem"]["required"]


def test_the_api_process_loads_no_pydantic() -> None:
    # spaCy installs pydantic beside the API; Litestar would load its pydantic plugins
    # whenever it can import it. A fresh interpreter: this one has imported it already.
    script = (
        "import sys\n"
        "from api.http.app import create_app\n"
        "from api.settings import Settings\n"
        "app = create_app(Settings(database_url='sqlite://'))\n"
        "assert app.openapi_schema.paths\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'spacy')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
