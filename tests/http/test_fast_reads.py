"""The fast document reads (``api.http.fast_reads``): Litestar's answer, sent sooner.

Each parity test sends the same request to two apps over the same database, one with
the fast path and one without (``create_app(..., fast_reads=False)``), and compares the
raw ASGI answers: status, every header field (the request id's value aside when the
server made it up) and the body (decoded, for gzip: the coded bytes carry the
time they were coded). ``answered`` says which requests the fast path took.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import Message
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

import api.http.fast_reads as fast_reads_module
import schemas
from api.http.app import StatementsApp, create_app
from api.http.fast_reads import FastDocumentReads
from api.http.response_cache import BoundedMemoryStore
from api.services.statement_reader import StatementReader
from api.settings import Settings
from tests.http.factories import Newsroom
from tests.http.local_documents import SqliteLike

pytestmark = pytest.mark.anyio

GENERATED = re.compile(rb"[0-9a-f]{32}")
# No rate limit: with one, every read must pass it and the fast path stands aside.
FAST = Settings(cache_refresh_seconds=0, rate_limit_per_minute=0)
RawHeaders = list[tuple[bytes, bytes]]


@dataclass
class Answer:
    status: int
    headers: RawHeaders
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key == name), None)

    def comparable(self, *, generated_id: bool) -> tuple[int, RawHeaders, bytes]:
        """What must be equal between the two paths. Not the order of the header fields:
        it means nothing in HTTP, and Litestar's own differs once a response is kept."""
        headers = sorted(
            (bytes(key), b"<generated>" if key == b"x-request-id" and generated_id else value)
            for key, value in self.headers
        )
        coded = self.header(b"content-encoding") == b"gzip"
        return self.status, headers, gzip.decompress(self.body) if coded else self.body


async def exchange(
    app: Litestar,
    path: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
    *,
    method: str = "GET",
    query: bytes = b"",
    root_path: str = "",
) -> Answer:
    """One request as an ASGI server sends it, and the answer exactly as it is sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": root_path,
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]  # a plain dict scope
    start, *bodies = sent
    assert start["type"] == "http.response.start"
    assert [m["type"] for m in bodies] == ["http.response.body"]
    return Answer(start["status"], list(start["headers"]), bodies[0].get("body", b""))


def fast_reads(app: Litestar) -> FastDocumentReads:
    assert isinstance(app, StatementsApp)
    assert app.fast_reads is not None
    return app.fast_reads


@dataclass
class Pair:
    fast: Litestar
    full: Litestar
    taken: bool = False  # whether the fast path took the last request sent to both

    @property
    def answered(self) -> int:
        return fast_reads(self.fast).answered

    async def both(
        self,
        path: str,
        headers: Sequence[tuple[bytes, bytes]] = (),
        *,
        method: str = "GET",
        query: bytes = b"",
        root_path: str = "",
    ) -> tuple[Answer, Answer]:
        before = self.answered
        fast = await exchange(
            self.fast, path, headers, method=method, query=query, root_path=root_path
        )
        self.taken = self.answered == before + 1
        full = await exchange(
            self.full, path, headers, method=method, query=query, root_path=root_path
        )
        return fast, full

    async def same(
        self, path: str, headers: Sequence[tuple[bytes, bytes]] = (), *, generated_id: bool = True
    ) -> Answer:
        """Both answers, which must be the same; the fast one."""
        fast, full = await self.both(path, headers)
        assert fast.comparable(generated_id=generated_id) == full.comparable(
            generated_id=generated_id
        )
        if generated_id:
            assert GENERATED.fullmatch(fast.header(b"x-request-id") or b"")
            assert fast.header(b"x-request-id") != full.header(b"x-request-id")
        return fast


async def _pair(
    session_maker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[Pair]:
    fast = create_app(settings, session_maker=session_maker)
    full = create_app(settings, session_maker=session_maker, fast_reads=False)
    assert isinstance(full, StatementsApp)
    assert full.fast_reads is None
    async with AsyncTestClient(fast), AsyncTestClient(full):
        yield Pair(fast, full)


@pytest.fixture
async def pair(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[Pair]:
    async for each in _pair(session_maker, FAST):
        yield each


@pytest.fixture
async def large(db_connection: AsyncConnection, newsroom: Newsroom) -> int:
    """A statement whose document is large enough to be sent gzip-coded."""
    body = json.dumps({"id": newsroom.s4, "text": "stand by Ukraine " * 200}).encode()
    await db_connection.execute(
        text("UPDATE statement_documents SET body = :body WHERE statement_id = :id"),
        {"body": body, "id": newsroom.s4},
    )
    return newsroom.s4


async def test_a_statement_read_is_answered_as_litestar_answers_it(
    pair: Pair, newsroom: Newsroom
) -> None:
    for statement_id in newsroom.statements_in_id_order:
        answer = await pair.same(f"/v1/statements/{statement_id}")
        assert pair.taken
        assert answer.status == 200
        assert answer.header(b"content-type") == b"application/json"
        assert answer.header(b"cache-control") == b"public, max-age=60"
        assert answer.header(b"vary") == b"Accept-Encoding"
    assert pair.answered == len(newsroom.statements_in_id_order)


@pytest.mark.parametrize("request_id", [b"trace-42", b"0" * 128, b"req-2026.01.08_Z"])
async def test_a_valid_request_id_is_echoed(
    pair: Pair, newsroom: Newsroom, request_id: bytes
) -> None:
    answer = await pair.same(
        f"/v1/statements/{newsroom.s1}", [(b"x-request-id", request_id)], generated_id=False
    )
    assert pair.taken
    assert answer.header(b"x-request-id") == request_id


@pytest.mark.parametrize("request_id", [b"", b"not valid!", b"x" * 129, "naïve".encode()])
async def test_an_invalid_request_id_is_replaced(
    pair: Pair, newsroom: Newsroom, request_id: bytes
) -> None:
    await pair.same(f"/v1/statements/{newsroom.s1}", [(b"x-request-id", request_id)])
    assert pair.taken


async def test_credentials_make_the_answer_private(pair: Pair, newsroom: Newsroom) -> None:
    answer = await pair.same(f"/v1/statements/{newsroom.s2}", [(b"authorization", b"Bearer x")])
    assert pair.taken
    assert answer.header(b"cache-control") == b"private, max-age=60"


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ("{etag}", 304),
        ('"other", {etag}', 304),
        ("W/{etag}", 304),
        ("*", 304),
        ('"other"', 200),
        ("not a tag", 200),
    ],
)
async def test_if_none_match(
    pair: Pair, newsroom: Newsroom, if_none_match: str, status: int
) -> None:
    path = f"/v1/statements/{newsroom.s3}"
    etag = (await pair.same(path)).header(b"etag")
    assert etag is not None
    value = if_none_match.format(etag=etag.decode()).encode()
    answer = await pair.same(path, [(b"if-none-match", value)])
    assert pair.taken
    assert answer.status == status
    if status == 304:
        assert answer.body == b""
        assert sorted(key for key, _ in answer.headers) == [
            b"cache-control",
            b"etag",
            b"vary",
            b"x-request-id",
        ]


async def test_if_none_match_over_several_fields(pair: Pair, newsroom: Newsroom) -> None:
    path = f"/v1/statements/{newsroom.s3}"
    etag = (await pair.same(path)).header(b"etag")
    assert etag is not None
    fields = [(b"if-none-match", b'"other"'), (b"If-None-Match", etag)]
    assert (await pair.same(path, fields)).status == 304
    assert pair.taken


async def test_gzip_is_not_worth_it_for_a_small_document(pair: Pair, newsroom: Newsroom) -> None:
    answer = await pair.same(f"/v1/statements/{newsroom.s1}", [(b"accept-encoding", b"gzip, br")])
    assert pair.taken
    assert answer.header(b"content-encoding") is None
    assert (answer.header(b"etag") or b"").startswith(b'"')


@pytest.mark.parametrize("accept", [b"gzip", b"deflate, gzip;q=0.5, br"])
async def test_a_large_document_is_sent_gzip_coded_with_a_weak_tag(
    pair: Pair, large: int, accept: bytes
) -> None:
    path = f"/v1/statements/{large}"
    fast, full = await pair.both(path, [(b"accept-encoding", accept)])
    assert pair.taken
    assert fast.comparable(generated_id=True) == full.comparable(generated_id=True)
    assert fast.header(b"content-encoding") == b"gzip"
    assert (fast.header(b"etag") or b"").startswith(b'W/"')
    assert fast.header(b"content-length") == str(len(fast.body)).encode()
    # The same coder and level; only the time stamped in the header may differ.
    assert fast.body[:4] + fast.body[8:] == full.body[:4] + full.body[8:]

    identity = await pair.same(path)
    assert identity.header(b"content-encoding") is None
    assert (identity.header(b"etag") or b"").startswith(b'"')

    weak_tag = fast.header(b"etag") or b""
    revalidated = await pair.same(
        path, [(b"accept-encoding", accept), (b"if-none-match", weak_tag)]
    )
    assert pair.taken
    assert revalidated.status == 304
    # Weak comparison: the identity answer's strong tag names the same bytes.
    assert (await pair.same(path, [(b"if-none-match", weak_tag)])).status == 304


async def test_header_names_in_any_case(pair: Pair, large: int) -> None:
    headers = [(b"Accept-Encoding", b"gzip"), (b"Authorization", b"Bearer x")]
    answer = await pair.same(f"/v1/statements/{large}", headers)
    assert pair.taken
    assert answer.header(b"content-encoding") == b"gzip"
    assert answer.header(b"cache-control") == b"private, max-age=60"


@pytest.mark.parametrize(
    ("path", "method", "query", "root_path"),
    [
        ("/v1/statements/{s1}", "HEAD", b"", ""),  # a 405 in Litestar 2: not ours to change
        ("/v1/statements/{s1}", "OPTIONS", b"", ""),
        ("/v1/statements/{s1}", "DELETE", b"", ""),
        ("/v1/statements/{s1}", "GET", b"fields=id", ""),
        ("/v1/statements/{s1}", "GET", b"", "/api"),
        ("/v1/statements/0{s1}", "GET", b"", ""),
        ("/v1/statements/{s1}/", "GET", b"", ""),
        ("/v1/statements/0", "GET", b"", ""),
        ("/v1/statements/-1", "GET", b"", ""),
        ("/v1/statements/+1", "GET", b"", ""),
        ("/v1/statements/1e3", "GET", b"", ""),
        ("/v1/statements/\u0661", "GET", b"", ""),  # an Arabic-Indic one: a digit to str
        ("/v1/statements/2147483648", "GET", b"", ""),
        ("/v1/statements/99999999999999999999", "GET", b"", ""),
        ("/v1/statements/999999", "GET", b"", ""),  # no such statement: the 404 problem
        ("/v1/statements", "GET", b"", ""),
        ("/v1/statements/abc", "GET", b"", ""),
        ("/v2/statements/{s1}", "GET", b"", ""),
    ],
)
async def test_what_it_cannot_answer_goes_the_whole_way(
    pair: Pair, newsroom: Newsroom, path: str, method: str, query: bytes, root_path: str
) -> None:
    target = path.format(s1=newsroom.s1)
    fast, full = await pair.both(target, method=method, query=query, root_path=root_path)
    assert not pair.taken
    assert pair.answered == 0
    assert fast.status == full.status
    assert sorted(key for key, _ in fast.headers) == sorted(key for key, _ in full.headers)


async def test_a_provenance_read_is_answered_as_litestar_answers_it(
    pair: Pair, newsroom: Newsroom
) -> None:
    for claim_id in (newsroom.c1, newsroom.c2):
        path = f"/v1/claims/{claim_id}/provenance"
        answer = await pair.same(path)
        assert pair.taken
        assert answer.status == 200
        assert json.loads(answer.body)["claim"]["id"] == claim_id
        coded = await pair.same(path, [(b"accept-encoding", b"gzip")])
        assert pair.taken
        etag = coded.header(b"etag") or b""
        assert (await pair.same(path, [(b"if-none-match", etag)])).status == 304
        assert pair.taken
    assert pair.answered == 6


@pytest.mark.parametrize(
    "path",
    [
        "/v1/claims/{c1}/provenance.prov.json",
        "/v1/claims/{c1}",
        "/v1/claims/{c1}/provenance/",
        "/v1/claims/0{c1}/provenance",
        "/v1/claims//provenance",
        "/v1/claims/x/provenance",
        "/v1/claims/424242/provenance",  # no such claim: the 404 problem
    ],
)
async def test_other_claim_reads_go_the_whole_way(
    pair: Pair, newsroom: Newsroom, path: str
) -> None:
    fast, full = await pair.both(path.format(c1=newsroom.c1))
    assert not pair.taken
    assert fast.status == full.status


async def test_a_merged_claim_redirects_as_litestar_redirects(
    pair: Pair, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    await db_connection.exec_driver_sql(
        "INSERT INTO claim_merges (claim_id, into_id, created_at) "
        f"VALUES (424243, {newsroom.c1}, CURRENT_TIMESTAMP)"
    )
    fast, full = await pair.both("/v1/claims/424243/provenance")
    assert not pair.taken
    assert fast.status == full.status == 308
    assert fast.header(b"location") == full.header(b"location")


async def test_an_actor_page_is_answered_as_litestar_answers_it(
    pair: Pair, newsroom: Newsroom
) -> None:
    for actor_id in (newsroom.macron, newsroom.zelensky, newsroom.kremlin):
        path = f"/v1/actors/{actor_id}/statements"
        answer = await pair.same(path)
        assert pair.taken
        assert answer.status == 200
        assert json.loads(answer.body)["items"]
        etag = answer.header(b"etag") or b""
        assert (await pair.same(path, [(b"if-none-match", etag)])).status == 304
        assert pair.taken


async def test_an_actor_page_with_more_links_to_the_next(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    settings = Settings(cache_refresh_seconds=0, rate_limit_per_minute=0, default_page_size=1)
    async for pair in _pair(session_maker, settings):
        path = f"/v1/actors/{newsroom.macron}/statements"
        answer = await pair.same(path)
        assert pair.taken
        link = (answer.header(b"link") or b"").decode()
        assert link.startswith(f"<{path}?cursor=") and link.endswith('>; rel="next"')
        assert json.loads(answer.body)["has_more"] is True
        next_path, _, query = link[1 : link.index(">")].partition("?")
        fast, full = await pair.both(next_path, query=query.encode())
        assert not pair.taken  # later pages carry a cursor: the whole way
        assert fast.comparable(generated_id=True) == full.comparable(generated_id=True)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v1/actors/{macron}/statements", b"limit=1"),
        ("/v1/actors/{macron}/statements", b"sort=date"),
        ("/v1/actors/{macron}/statements", b"kind=direct"),
        ("/v1/actors/{macron}", b""),
        ("/v1/actors/{macron}/statements/", b""),
        ("/v1/actors/0{macron}/statements", b""),
        ("/v1/actors/424242/statements", b""),  # no such actor: the 404 problem
    ],
)
async def test_other_actor_reads_go_the_whole_way(
    pair: Pair, newsroom: Newsroom, path: str, query: bytes
) -> None:
    same_id = [(b"x-request-id", b"actor-read")]  # problems carry it in their body too
    fast, full = await pair.both(path.format(macron=newsroom.macron), same_id, query=query)
    assert not pair.taken
    assert fast.comparable(generated_id=False) == full.comparable(generated_id=False)


async def test_a_missing_statement_is_litestars_404_problem(pair: Pair) -> None:
    fast, _full = await pair.both("/v1/statements/424242", [(b"x-request-id", b"lost")])
    assert not pair.taken
    assert fast.status == 404
    assert fast.header(b"content-type") == b"application/problem+json"
    assert fast.header(b"cache-control") == b"no-store"
    assert json.loads(fast.body)["request_id"] == "lost"


async def test_a_statement_without_document_is_rendered_by_the_controller(
    pair: Pair, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    path = f"/v1/statements/{newsroom.s3}"
    stored = await pair.same(path)
    # Below the ORM (no writer renders them again), and past what is kept in memory.
    await db_connection.exec_driver_sql("UPDATE statement_documents SET body = NULL")
    await db_connection.exec_driver_sql("UPDATE data_version SET version = version + 1")
    rendered = await pair.same(path)
    assert not pair.taken
    assert rendered.body == stored.body
    await db_connection.exec_driver_sql("DELETE FROM statement_documents")
    await pair.same(f"/v1/statements/{newsroom.s6}")
    assert not pair.taken
    assert pair.answered == 1


async def test_a_failing_reader_leaves_the_answer_to_litestar(
    pair: Pair, newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: StatementReader, statement_id: int) -> bytes | schemas.Statement:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(StatementReader, "get", broken)
    fast, full = await pair.both(f"/v1/statements/{newsroom.s1}")
    assert not pair.taken
    assert fast.status == full.status == 500
    assert fast.header(b"content-type") == b"application/problem+json"


@pytest.mark.parametrize(
    "settings",
    [
        Settings(cache_refresh_seconds=0, rate_limit_per_minute=0, reads_require_key=True),
        Settings(cache_refresh_seconds=0, rate_limit_per_minute=600),
    ],
    ids=["read-key", "rate-limit"],
)
async def test_not_installed_when_every_read_must_pass_a_layer(
    session_maker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    app = create_app(settings, session_maker=session_maker)
    assert isinstance(app, StatementsApp)
    assert app.fast_reads is None


async def test_a_read_key_is_still_required(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    settings = Settings(cache_refresh_seconds=0, rate_limit_per_minute=0, reads_require_key=True)
    app = create_app(settings, session_maker=session_maker)
    async with AsyncTestClient(app):
        answer = await exchange(app, f"/v1/statements/{newsroom.s1}")
    assert answer.status == 401


async def test_cors_requests_go_the_whole_way(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    settings = Settings(
        cache_refresh_seconds=0, rate_limit_per_minute=0, cors_origins=["https://desk.example"]
    )
    async for pair in _pair(session_maker, settings):
        path = f"/v1/statements/{newsroom.s1}"
        plain = await pair.same(path)
        assert pair.taken  # no Origin: CORS leaves the answer alone, but for Vary
        assert plain.header(b"vary") == b"Accept-Encoding, Origin"
        # Not compared field by field: Litestar's answers here depend on what its
        # response cache kept from earlier requests (which the fast path never fills).
        allowed, _ = await pair.both(path, [(b"origin", b"https://desk.example")])
        assert not pair.taken
        assert allowed.status == 200
        assert allowed.header(b"access-control-allow-origin") == b"https://desk.example"
        other, _ = await pair.both(path, [(b"origin", b"https://elsewhere.example")])
        assert not pair.taken
        assert other.status == 200


async def test_gzip_answers_complete_vary_with_cors_configured(
    session_maker: async_sessionmaker[AsyncSession], large: int
) -> None:
    settings = Settings(
        cache_refresh_seconds=0, rate_limit_per_minute=0, cors_origins=["https://desk.example"]
    )
    async for pair in _pair(session_maker, settings):
        answer = await pair.same(f"/v1/statements/{large}", [(b"accept-encoding", b"gzip")])
        assert pair.taken
        assert answer.header(b"vary") == b"Accept-Encoding, Origin"


async def test_kept_under_the_data_version_as_the_response_cache_keeps(
    pair: Pair, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    path = f"/v1/statements/{newsroom.s2}"
    first = await pair.same(path)
    store = pair.fast.stores.get("responses")
    assert isinstance(store, BoundedMemoryStore)
    assert store.entries == 1
    # Below the ORM, with the data version put back: a kept document is still served.
    version = (await db_connection.exec_driver_sql("SELECT version FROM data_version")).scalar()
    await db_connection.execute(
        text("UPDATE statement_documents SET body = :body WHERE statement_id = :id"),
        {"body": b'{"changed": true}', "id": newsroom.s2},
    )
    await db_connection.execute(text("UPDATE data_version SET version = :v"), {"v": version})
    kept = await pair.same(path)
    assert kept.body == first.body
    assert pair.taken
    # Once the version moves, the store is emptied and the document read again.
    await db_connection.exec_driver_sql("UPDATE data_version SET version = version + 1")
    fresh = await pair.same(path)
    assert fresh.body == b'{"changed": true}'
    assert fresh.header(b"etag") != first.header(b"etag")


async def test_a_kept_answer_keeps_its_digest_and_gzip_coding(
    pair: Pair, large: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = fast_reads(pair.fast)
    coded: list[int] = []
    original = reads._gzip

    def counting_gzip(body: bytes) -> bytes:
        coded.append(len(body))
        return original(body)

    monkeypatch.setattr(reads, "_gzip", counting_gzip)
    hashed: list[int] = []

    def counting_sha256(data: bytes) -> Any:
        hashed.append(len(data))
        return hashlib.sha256(data)

    # The fast path's hashlib only: the full application hashes every answer it sends.
    monkeypatch.setattr(fast_reads_module, "hashlib", SimpleNamespace(sha256=counting_sha256))
    path, gzip = f"/v1/statements/{large}", [(b"accept-encoding", b"gzip")]
    answers = []
    for _ in range(3):
        fast, full = await pair.both(path, gzip)
        assert pair.taken
        assert fast.comparable(generated_id=True) == full.comparable(generated_id=True)
        assert fast.body[:4] + fast.body[8:] == full.body[:4] + full.body[8:]
        answers.append(fast)
    # Coded and hashed once, when first read; the later answers come from the store.
    assert len(coded) == 1
    assert answers[1].body == answers[2].body == answers[0].body
    identity = await pair.same(path)
    assert identity.header(b"etag") == (answers[0].header(b"etag") or b"")[2:]
    assert hashed == [len(identity.body)]  # four answers, one digest


async def test_no_memory_no_keeping(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    settings = Settings(cache_refresh_seconds=0, rate_limit_per_minute=0, response_cache_mb=0)
    async for pair in _pair(session_maker, settings):
        await pair.same(f"/v1/statements/{newsroom.s1}")
        assert pair.taken
        store = pair.fast.stores.get("responses")
        assert isinstance(store, BoundedMemoryStore)
        assert store.entries == 0


async def test_a_local_document_is_served_but_not_kept(pair: Pair, newsroom: Newsroom) -> None:
    await pair.same(f"/v1/statements/{newsroom.s1}")  # builds the reader
    reader = pair.fast.state["statement_reader"]
    reader._documents = SqliteLike(reader._documents)
    store = pair.fast.stores.get("responses")
    assert isinstance(store, BoundedMemoryStore)
    kept = store.entries
    await pair.same(f"/v1/statements/{newsroom.s2}")
    assert pair.taken
    assert store.entries == kept


async def test_a_local_actor_page_is_kept(pair: Pair, newsroom: Newsroom) -> None:
    await pair.same(f"/v1/statements/{newsroom.s1}")  # builds the reader
    reader = pair.fast.state["statement_reader"]
    reader._documents = SqliteLike(reader._documents)
    store = pair.fast.stores.get("responses")
    assert isinstance(store, BoundedMemoryStore)
    kept = store.entries
    path = f"/v1/actors/{newsroom.macron}/statements"
    first = await pair.same(path)
    assert pair.taken
    assert store.entries == kept + 1  # twenty rows and their documents: worth keeping
    assert (await pair.same(path)).body == first.body
    assert pair.taken


def log_each_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``StatementReader.get`` logs one line inside the request's log context."""
    original_get = StatementReader.get

    async def logging_get(self: StatementReader, statement_id: int) -> bytes | schemas.Statement:
        structlog.get_logger("test").info("inside the read", statement_id=statement_id)
        return await original_get(self, statement_id)

    monkeypatch.setattr(StatementReader, "get", logging_get)


@pytest.fixture
def default_structlog() -> Iterator[None]:
    """structlog as an unconfigured process has it: a CLI test run earlier may have left a
    filtering logger at "warning", under which the info lines below are never made."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    yield
    structlog.configure(**saved)


async def test_log_lines_carry_the_request_id(
    pair: Pair,
    newsroom: Newsroom,
    monkeypatch: pytest.MonkeyPatch,
    default_structlog: None,
) -> None:
    log_each_read(monkeypatch)
    monkeypatch.setattr("api.logs._threshold", 0)  # info on, as configure_logging("info")
    path = f"/v1/statements/{newsroom.s1}"
    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as logs:
        await exchange(pair.fast, path, [(b"x-request-id", b"log-fast")])
        assert pair.answered == 1
        await exchange(pair.full, path, [(b"x-request-id", b"log-full")])

    def lines(request_id: str) -> list[dict[str, object]]:
        return [
            {k: v for k, v in entry.items() if k != "duration_ms"}
            for entry in logs
            if entry.get("request_id") == request_id
        ]

    fast, full = lines("log-fast"), lines("log-full")
    assert [entry["event"] for entry in fast] == ["inside the read", "http.request"]
    assert [{**entry, "request_id": "log-full"} for entry in fast] == full
    assert fast[-1] == {
        "event": "http.request",
        "method": "GET",
        "path": path,
        "status": 200,
        "request_id": "log-fast",
        "log_level": "info",
    }
    assert all(entry.get("request_id") for entry in logs)
    assert "request_id" not in structlog.contextvars.get_contextvars()


async def test_a_request_left_to_litestar_keeps_the_id_it_was_given(
    pair: Pair,
    newsroom: Newsroom,
    monkeypatch: pytest.MonkeyPatch,
    default_structlog: None,
) -> None:
    log_each_read(monkeypatch)
    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as logs:
        missing = await exchange(pair.fast, "/v1/statements/424242")
    assert pair.answered == 0
    assert missing.status == 404
    request_id = (missing.header(b"x-request-id") or b"").decode()
    assert GENERATED.fullmatch(request_id.encode())
    assert json.loads(missing.body)["request_id"] == request_id
    reads = [entry for entry in logs if entry["event"] == "inside the read"]
    assert len(reads) == 2  # the fast path's attempt, then the controller's
    assert {entry["request_id"] for entry in reads} == {request_id}
