"""POST /v1/articles queues an ingest job; GET /v1/jobs/{id} tells where it is.

The HTTP process only stores the job: the worker (not run here) does the extraction, so
these tests set a finished job's fields directly where they need one.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.app import create_app
from api.services.keys import Scope, create_key
from api.settings import Settings
from api.storage.models import IngestJobRow
from tests.http.factories import INGESTED_AT, Factory

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
PROBLEM = "application/problem+json"

ARTICLE = {
    "text": '"We will stand by Ukraine for as long as it takes," Emmanuel Macron said on Tuesday.',
    "url": "https://news.example/guardian/allies-pledge",
    "outlet": "The Guardian",
    "title": "Allies pledge long-term support",
    "published": "2026-01-07T09:30:00+01:00",
}


async def make_key(session: AsyncSession, name: str, *scopes: Scope) -> tuple[int, str]:
    row, token = await session.run_sync(lambda s: create_key(s, name, list(scopes)))
    await session.commit()
    return row.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def ingest_key(async_session: AsyncSession) -> tuple[int, str]:
    return await make_key(async_session, "newsdesk bot", Scope.INGEST)


@pytest.fixture
async def ingest_token(ingest_key: tuple[int, str]) -> str:
    return ingest_key[1]


async def job_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(IngestJobRow)) or 0)


async def stored_job(session: AsyncSession, job_id: int) -> IngestJobRow:
    row = await session.get(IngestJobRow, job_id, populate_existing=True)
    assert row is not None
    return row


async def test_submitting_an_article_queues_a_job(
    client: Client, async_session: AsyncSession, ingest_key: tuple[int, str]
) -> None:
    key_id, token = ingest_key
    response = await client.post("/v1/articles", json=ARTICLE, headers=bearer(token))

    assert response.status_code == 202, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    job_id = body["id"]
    assert response.headers["location"] == f"/v1/jobs/{job_id}"
    assert response.headers["retry-after"] == "1"
    assert body == {
        "id": job_id,
        "status": "queued",
        "outcome": None,
        "article_id": None,
        "statement_count": 0,
        "attempts": 0,
        "error": None,
        "created_at": body["created_at"],
        "started_at": None,
        "finished_at": None,
        "article_url": None,
    }
    created = dt.datetime.fromisoformat(body["created_at"])
    assert created.utcoffset() == dt.timedelta(0)
    # Stored for the worker: the feed record, and the key it came with.
    row = await stored_job(async_session, job_id)
    assert row.status == "queued"
    assert row.payload == ARTICLE
    assert row.api_key_id == key_id
    assert row.article_id is None

    polled = await client.get(response.headers["location"], headers=bearer(token))
    assert polled.status_code == 200
    assert polled.json() == body
    assert polled.headers["retry-after"] == "1"
    # A job changes until it is finished: no cache may keep it.
    assert polled.headers["cache-control"] == "no-store"


async def test_the_payload_keeps_only_the_fields_sent(
    client: Client, async_session: AsyncSession, ingest_token: str
) -> None:
    html = "<html><body><article><p>Officials said talks would resume.</p></article></body></html>"
    response = await client.post(
        "/v1/articles",
        json={"text": None, "html": html, "url": None, "title": "Talks"},
        headers=bearer(ingest_token),
    )

    assert response.status_code == 202, response.text
    row = await stored_job(async_session, response.json()["id"])
    assert row.payload == {"html": html, "title": "Talks"}


@pytest.mark.parametrize("published", ["2026-01-08", "2026-01-08T14:52:00Z", " 2026-01-08T14:52 "])
async def test_iso_publication_dates_are_accepted(
    client: Client, ingest_token: str, published: str
) -> None:
    response = await client.post(
        "/v1/articles", json={"text": "Text.", "published": published}, headers=bearer(ingest_token)
    )
    assert response.status_code == 202, response.text


async def test_submitting_without_a_key_is_401_with_a_challenge(
    client: Client, async_session: AsyncSession
) -> None:
    response = await client.post("/v1/articles", json=ARTICLE)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "https://statements.dev/problems/unauthorized"
    assert await job_count(async_session) == 0
    assert (await client.get("/v1/jobs/1")).status_code == 401


async def test_a_key_without_the_ingest_scope_is_403(
    client: Client, async_session: AsyncSession
) -> None:
    _, reader = await make_key(async_session, "reader", Scope.READ)
    response = await client.post("/v1/articles", json=ARTICLE, headers=bearer(reader))

    assert response.status_code == 403
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "ingest" in response.json()["detail"]
    assert await job_count(async_session) == 0
    assert (await client.get("/v1/jobs/1", headers=bearer(reader))).status_code == 403


async def test_an_admin_key_may_submit(client: Client, async_session: AsyncSession) -> None:
    _, admin = await make_key(async_session, "admin", Scope.ADMIN)
    response = await client.post("/v1/articles", json=ARTICLE, headers=bearer(admin))
    assert response.status_code == 202


def problem_fields(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}


@pytest.mark.parametrize(
    "submission",
    [
        {"text": "  \n "},
        {"url": "https://news.example/a"},
        {"text": "", "html": "   "},
        {"text": None, "html": None},
    ],
)
async def test_a_submission_without_text_or_html_is_a_400_problem(
    client: Client, async_session: AsyncSession, ingest_token: str, submission: dict[str, Any]
) -> None:
    response = await client.post("/v1/articles", json=submission, headers=bearer(ingest_token))

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == "https://statements.dev/problems/invalid-request"
    assert problem_fields(body) == {"text", "html"}
    assert await job_count(async_session) == 0


@pytest.mark.parametrize("published", ["yesterday", "2026-13-01", "08/01/2026", "8 January 2026"])
async def test_an_unreadable_publication_date_is_a_400_naming_it(
    client: Client, async_session: AsyncSession, ingest_token: str, published: str
) -> None:
    response = await client.post(
        "/v1/articles", json={**ARTICLE, "published": published}, headers=bearer(ingest_token)
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert problem_fields(body) == {"published"}
    assert "published" in body["detail"]
    assert await job_count(async_session) == 0


@pytest.mark.parametrize(
    ("submission", "field"),
    [
        ({**ARTICLE, "url": "ftp://news.example/a"}, "url"),
        ({**ARTICLE, "title": ""}, "title"),
        ({**ARTICLE, "outlet": "x" * 201}, "outlet"),
        ({**ARTICLE, "text": 42}, "text"),
    ],
)
async def test_fields_out_of_their_bounds_are_400s(
    client: Client, ingest_token: str, submission: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/articles", json=submission, headers=bearer(ingest_token))

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert problem_fields(response.json()) == {field}


@pytest.mark.parametrize(
    "content", [b'{"txt": "a typo"}', b"[1, 2]", b"not json", b'{"text": "unterminated']
)
async def test_unknown_fields_and_malformed_bodies_are_400s(
    client: Client, async_session: AsyncSession, ingest_token: str, content: bytes
) -> None:
    response = await client.post(
        "/v1/articles",
        content=content,
        headers={**bearer(ingest_token), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert await job_count(async_session) == 0


async def test_an_oversized_body_is_a_413(
    session_maker: async_sessionmaker[AsyncSession], async_session: AsyncSession
) -> None:
    _, token = await make_key(async_session, "bot", Scope.INGEST)
    app = create_app(Settings(max_body_bytes=2000), session_maker=session_maker)
    async with AsyncTestClient(app) as small:
        response = await small.post(
            "/v1/articles", json={"text": "x" * 5000}, headers=bearer(token)
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    assert await job_count(async_session) == 0


async def test_an_unknown_job_is_a_404_problem(client: Client, ingest_token: str) -> None:
    response = await client.get("/v1/jobs/424242", headers=bearer(ingest_token))

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"] == "job 424242 does not exist"


async def test_a_done_job_links_its_article(
    client: Client, async_session: AsyncSession, ingest_token: str
) -> None:
    article = await Factory(async_session).article("Macron said the allies stand together.")
    job = IngestJobRow(
        status="done",
        payload={"text": article.text},
        outcome="new_version",
        article_id=article.id,
        statement_count=3,
        attempts=1,
        worker="worker-1",
        created_at=dt.datetime(2026, 1, 10, 11, 59, 58),
        started_at=dt.datetime(2026, 1, 10, 11, 59, 59),
        finished_at=INGESTED_AT,
    )
    async_session.add(job)
    await async_session.commit()

    response = await client.get(f"/v1/jobs/{job.id}", headers=bearer(ingest_token))

    assert response.status_code == 200
    assert "retry-after" not in response.headers
    assert response.json() == {
        "id": job.id,
        "status": "done",
        "outcome": "new_version",
        "article_id": article.id,
        "statement_count": 3,
        "attempts": 1,
        "error": None,
        "created_at": "2026-01-10T11:59:58Z",
        "started_at": "2026-01-10T11:59:59Z",
        "finished_at": "2026-01-10T12:00:00Z",
        "article_url": f"/v1/articles/{article.id}",
    }
    linked = await client.get(response.json()["article_url"])
    assert linked.status_code == 200
    assert linked.json()["id"] == article.id


async def test_a_failed_job_says_why_in_one_line(
    client: Client, async_session: AsyncSession, ingest_token: str
) -> None:
    job = IngestJobRow(
        status="failed",
        payload={"text": " "},
        attempts=3,
        finished_at=INGESTED_AT,
        error="\nOperationalError: the database went away\n[SQL: INSERT INTO articles ...]\n",
    )
    async_session.add(job)
    await async_session.commit()

    body = (await client.get(f"/v1/jobs/{job.id}", headers=bearer(ingest_token))).json()

    assert body["status"] == "failed"
    assert body["outcome"] is None
    assert body["article_url"] is None
    assert body["error"] == "OperationalError: the database went away"


async def test_ingest_keys_need_no_read_scope_when_reads_are_private(
    session_maker: async_sessionmaker[AsyncSession], async_session: AsyncSession
) -> None:
    _, ingester = await make_key(async_session, "ingester", Scope.INGEST)
    _, reader = await make_key(async_session, "reader", Scope.READ)
    app = create_app(Settings(reads_require_key=True), session_maker=session_maker)
    async with AsyncTestClient(app) as private:
        submitted = await private.post("/v1/articles", json=ARTICLE, headers=bearer(ingester))
        assert submitted.status_code == 202, submitted.text
        location = submitted.headers["location"]
        assert (await private.get(location, headers=bearer(ingester))).status_code == 200
        # The ingest scope writes; reading the articles still takes the read scope.
        assert (await private.get("/v1/articles", headers=bearer(ingester))).status_code == 403
        assert (await private.get("/v1/articles", headers=bearer(reader))).status_code == 200
        refused = await private.post("/v1/articles", json=ARTICLE, headers=bearer(reader))
        assert refused.status_code == 403
        assert (await private.get(location, headers=bearer(reader))).status_code == 403
        assert (await private.post("/v1/articles", json=ARTICLE)).status_code == 401


FORBIDDEN_PACKAGES = ("spacy", "thinc", "api.pipeline")


def forbidden(name: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in FORBIDDEN_PACKAGES)


class RefuseImports(importlib.abc.MetaPathFinder):
    """Fails, and records, any import of a forbidden package not imported yet."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if forbidden(fullname):
            self.attempts.append(fullname)
            raise ImportError(f"{fullname} was imported while handling a request")


async def test_handling_a_submission_imports_neither_spacy_nor_the_pipeline(
    client: Client, ingest_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: other tests of the session may have imported spaCy already, so the
    loaded modules are hidden (an import of them fails) and new imports are refused."""
    refuse = RefuseImports()
    monkeypatch.setattr(sys, "meta_path", [refuse, *sys.meta_path])
    for name in [name for name in sys.modules if forbidden(name)]:
        monkeypatch.setitem(sys.modules, name, None)

    submitted = await client.post("/v1/articles", json=ARTICLE, headers=bearer(ingest_token))
    polled = await client.get(submitted.headers["location"], headers=bearer(ingest_token))

    assert refuse.attempts == []
    assert submitted.status_code == 202, submitted.text
    assert polled.status_code == 200, polled.text


async def test_options_on_articles_lists_every_method(client: Client) -> None:
    """GET and POST share /v1/articles; Litestar 2's own OPTIONS handler only knew GET."""
    response = await client.options("/v1/articles")

    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, POST"
    refused = await client.put("/v1/articles")
    assert refused.status_code == 405
    # In no set order: the router lists the methods of a set.
    assert set(refused.headers["allow"].split(", ")) == {"GET", "OPTIONS", "POST"}
    # A job's OPTIONS, like any route's, needs no key.
    jobs = await client.options("/v1/jobs/1")
    assert jobs.status_code == 204
    assert jobs.headers["allow"] == "GET, OPTIONS"
