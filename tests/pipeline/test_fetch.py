"""Fetching pages: every HTTP interaction mocked by pytest-httpx (no real network)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from api.pipeline.fetch import DEFAULT_CONTACT_URL, Fetcher, FetchOptions
from api.pipeline.types import InputError, RawArticle

URL = "https://news.test/harbour"
PAGE = """<!doctype html><html><head><title>Harbour Strike Ends</title>
<meta property="og:site_name" content="The Gazette">
<meta property="article:published_time" content="2026-01-07T10:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Harbour Strike Ends</h1>
<p>Dock workers returned on Monday after a three-week strike, the union said in a
statement published on its website late on Sunday night.</p>
<p>“We have a deal that respects our members,” said Jane Doe, the union’s general
secretary, speaking to reporters outside the port gates.</p>
</article></body></html>"""
HTML = {"Content-Type": "text/html; charset=utf-8"}


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def options(tmp_path: Path, sleeps: Sleeps) -> FetchOptions:
    return FetchOptions(cache_path=tmp_path / "cache.json", sleep=sleeps, max_bytes=10_000)


def fetch(options: FetchOptions, url: str = URL) -> RawArticle | InputError | None:
    with Fetcher(options) as fetcher:
        return fetcher.fetch_article(url)


def test_success_extracts_the_page_and_identifies_itself(
    httpx_mock: HTTPXMock, options: FetchOptions
) -> None:
    httpx_mock.add_response(url=URL, headers=HTML, text=PAGE)
    article = fetch(options)
    assert isinstance(article, RawArticle)
    assert article.origin == URL and article.url == URL
    assert (article.title, article.outlet) == ("Harbour Strike Ends", "The Gazette")
    assert article.published == "2026-01-07"
    assert "“We have a deal that respects our members,” said Jane Doe" in article.raw_text
    assert "Home" not in article.raw_text.split("\n")
    request = httpx_mock.get_request()
    assert request is not None
    agent = request.headers["User-Agent"]
    assert agent.startswith("statements-ingest/") and agent.endswith(f"(+{DEFAULT_CONTACT_URL})")


def test_contact_url_is_configurable(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(
        url=URL,
        headers=HTML,
        text=PAGE,
        match_headers={"User-Agent": "statements-ingest/0.1.0 (+https://desk.test/bots)"},
    )
    opts = FetchOptions(cache_path=None, contact_url="https://desk.test/bots")
    assert isinstance(fetch(opts), RawArticle)


def test_redirect_is_followed_and_the_final_url_kept(
    httpx_mock: HTTPXMock, options: FetchOptions
) -> None:
    final = "https://www.news.test/2026/harbour"
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": final})
    httpx_mock.add_response(url=final, headers=HTML, text=PAGE)
    article = fetch(options)
    assert isinstance(article, RawArticle)
    assert (article.origin, article.url) == (URL, final)


def test_404_is_an_input_error_without_retry(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=404)
    assert fetch(options) == InputError(item=URL, reason="HTTP 404 Not Found")
    assert sleeps == []


def test_500_then_success_retries_with_backoff(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=500)
    httpx_mock.add_response(url=URL, status_code=503)
    httpx_mock.add_response(url=URL, headers=HTML, text=PAGE)
    assert isinstance(fetch(options), RawArticle)
    assert sleeps == [1.0, 2.0]


def test_server_errors_give_up_after_the_last_attempt(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=502, is_reusable=True)
    assert fetch(options) == InputError(item=URL, reason="HTTP 502 Bad Gateway after 4 attempts")
    assert sleeps == [1.0, 2.0, 4.0]


def test_timeout_is_retried_then_reported(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=URL, is_reusable=True)
    error = fetch(options)
    assert isinstance(error, InputError) and error.item == URL
    assert error.reason.startswith("request timed out after 4 attempts")
    assert len(httpx_mock.get_requests()) == 4 and sleeps == [1.0, 2.0, 4.0]


def test_connection_error_then_success(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=URL)
    httpx_mock.add_response(url=URL, headers=HTML, text=PAGE)
    assert isinstance(fetch(options), RawArticle)
    assert sleeps == [1.0]


def test_429_waits_as_long_as_retry_after_says(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "7"})
    httpx_mock.add_response(url=URL, headers=HTML, text=PAGE)
    assert isinstance(fetch(options), RawArticle)
    assert sleeps == [7.0]


def test_429_with_a_long_retry_after_gives_up_at_once(
    httpx_mock: HTTPXMock, options: FetchOptions, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "3600"})
    error = fetch(options)
    assert isinstance(error, InputError)
    assert error.reason == "HTTP 429 Too Many Requests; server asks to wait 3600 s"
    assert sleeps == []


@pytest.mark.parametrize("declared", [True, False])
def test_oversized_body_is_cut_off(
    httpx_mock: HTTPXMock, options: FetchOptions, declared: bool
) -> None:
    body = PAGE.encode() + b"<p>" + b"x" * 20_000 + b"</p>"
    if declared:
        httpx_mock.add_response(url=URL, headers=HTML, content=body)
    else:  # chunked, no Content-Length: the stream itself is cut off
        httpx_mock.add_response(url=URL, headers=HTML, stream=httpx.ByteStream(body))
    assert fetch(options) == InputError(item=URL, reason="response larger than 10000 bytes")


def test_wrong_content_type(httpx_mock: HTTPXMock, options: FetchOptions) -> None:
    httpx_mock.add_response(url=URL, headers={"Content-Type": "application/pdf"}, content=b"%PDF")
    assert fetch(options) == InputError(
        item=URL, reason="unsupported content type 'application/pdf'"
    )


def test_plain_text_is_taken_as_it_is(httpx_mock: HTTPXMock, options: FetchOptions) -> None:
    httpx_mock.add_response(
        url=URL, headers={"Content-Type": "text/plain"}, content=b"Headline\n\nBody text."
    )
    assert fetch(options) == RawArticle(origin=URL, raw_text="Headline\n\nBody text.", url=URL)


CP1252_PAGE = PAGE.replace("<head>", "<head><meta charset=windows-1252>").encode("cp1252")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html; charset=windows-1252", PAGE.encode("cp1252")),  # from the header
        ("text/html", CP1252_PAGE),  # from the page's <meta>
    ],
)
def test_non_utf8_charset_is_decoded(
    httpx_mock: HTTPXMock, options: FetchOptions, content_type: str, body: bytes
) -> None:
    httpx_mock.add_response(url=URL, headers={"Content-Type": content_type}, content=body)
    article = fetch(options)
    assert isinstance(article, RawArticle)
    assert "“We have a deal that respects our members,” said Jane Doe" in article.raw_text
    assert "union’s general" in article.raw_text


def test_unknown_charset(httpx_mock: HTTPXMock, options: FetchOptions) -> None:
    httpx_mock.add_response(
        url=URL, headers={"Content-Type": "text/plain; charset=klingon"}, content=b"Hello"
    )
    assert fetch(options) == InputError(item=URL, reason="unknown charset 'klingon'")


def test_second_fetch_is_conditional_and_a_304_is_unchanged(
    httpx_mock: HTTPXMock, options: FetchOptions
) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Wed, 07 Jan 2026 10:00:00 GMT"}
    httpx_mock.add_response(url=URL, headers={**HTML, **validators}, text=PAGE)
    assert isinstance(fetch(options), RawArticle)
    assert options.cache_path is not None
    assert json.loads(options.cache_path.read_text()) == {
        URL: {"etag": '"v1"', "last_modified": "Wed, 07 Jan 2026 10:00:00 GMT"}
    }
    httpx_mock.add_response(
        url=URL,
        status_code=304,
        match_headers={
            "If-None-Match": '"v1"',
            "If-Modified-Since": "Wed, 07 Jan 2026 10:00:00 GMT",
        },
    )
    unchanged: list[str] = []
    with Fetcher(options, on_unchanged=unchanged.append) as fetcher:  # a new run
        assert fetcher.fetch_article(URL) is None
    assert unchanged == [URL]


def test_a_page_that_failed_is_not_remembered(httpx_mock: HTTPXMock, options: FetchOptions) -> None:
    empty = "<html><body><nav>Home</nav></body></html>"
    httpx_mock.add_response(url=URL, headers={**HTML, "ETag": '"v1"'}, text=empty)
    error = fetch(options)
    assert error == InputError(item=URL, reason="no main text found in the HTML page")
    assert options.cache_path is not None and not options.cache_path.exists()


def test_a_broken_cache_file_is_ignored(httpx_mock: HTTPXMock, options: FetchOptions) -> None:
    assert options.cache_path is not None
    options.cache_path.write_text("{not json")
    httpx_mock.add_response(url=URL, headers={**HTML, "ETag": '"v2"'}, text=PAGE)
    assert isinstance(fetch(options), RawArticle)
    assert json.loads(options.cache_path.read_text()) == {URL: {"etag": '"v2"'}}


def test_meta_charset_is_used_when_the_header_has_none(
    httpx_mock: HTTPXMock, options: FetchOptions
) -> None:
    greek = "Η Αθήνα είπε ότι οι διαπραγματεύσεις θα συνεχιστούν την επόμενη εβδομάδα στο λιμάνι."
    page = f"<html><head><meta charset='iso-8859-7'></head><body><p>{greek}</p></body></html>"
    httpx_mock.add_response(
        url=URL, headers={"Content-Type": "text/html"}, content=page.encode("iso-8859-7")
    )
    article = fetch(options)
    assert isinstance(article, RawArticle) and greek in article.raw_text
