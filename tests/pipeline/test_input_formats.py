"""HTML files, JSON/NDJSON records, RSS/Atom feeds and URLs through read_inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

from api.pipeline.clean import clean_article
from api.pipeline.feeds import NO_TEXT
from api.pipeline.fetch import FetchOptions
from api.pipeline.inputs import ReadOptions, as_url, read_inputs
from api.pipeline.types import InputError, RawArticle

BODY = (
    "<p>Dock workers returned on Monday after a three-week strike, the union said.</p>"
    "<p>“We have a deal that respects our members,” said Jane Doe, its general secretary.</p>"
)
PAGE = f"""<!doctype html><html><head><title>Harbour Strike Ends | The Gazette</title>
<meta property="og:title" content="Harbour Strike Ends">
<meta property="og:site_name" content="The Gazette">
<meta property="article:published_time" content="2026-01-07T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour Strike Ends</h1>{BODY}</article>
<footer>Subscribe to our newsletter</footer></body></html>"""
LINES = [
    "Dock workers returned on Monday after a three-week strike, the union said.",
    "“We have a deal that respects our members,” said Jane Doe, its general secretary.",
]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def names(items: list[RawArticle | InputError]) -> list[str]:
    return [item.origin if isinstance(item, RawArticle) else item.item for item in items]


# HTML files


def test_html_file_keeps_paragraphs_as_lines_and_takes_page_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE)
    [article] = read_inputs([path])
    assert isinstance(article, RawArticle) and article.origin == str(path)
    assert (article.title, article.outlet, article.published) == (
        "Harbour Strike Ends",
        "The Gazette",
        "2026-01-07",
    )
    lines = article.raw_text.split("\n")
    assert all(line in lines for line in LINES)
    assert "Subscribe to our newsletter" not in article.raw_text
    cleaned = clean_article(article)
    assert cleaned.text.split("\n\n")[0] == "Harbour Strike Ends"
    assert cleaned.text.split("\n\n")[1:] == LINES
    assert not (cleaned.title_inferred or cleaned.outlet_inferred or cleaned.published_inferred)


def test_manifest_wins_over_the_page_and_a_domain_is_not_a_site_name(tmp_path: Path) -> None:
    page = PAGE.replace('<meta property="og:site_name" content="The Gazette">', "")
    write(tmp_path / "a.htm", page)
    write(
        tmp_path / "manifest.json",
        '{"articles": [{"file": "a.htm", "url": "https://gazette.test/a", '
        '"title": "Strike over"}]}',
    )
    [article] = read_inputs([tmp_path])
    assert isinstance(article, RawArticle)
    assert (article.title, article.url, article.outlet) == (
        "Strike over",
        "https://gazette.test/a",
        None,  # trafilatura's guess from the domain is left to clean_article to infer
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02 not markup at all", "malformed HTML: not an HTML document"),
        (b"<html><body><nav>Home</nav></body></html>", "no main text found in the HTML page"),
    ],
)
def test_bad_html_file_names_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.html", content)
    assert list(read_inputs([path])) == [InputError(item=str(path), reason=reason)]


def test_folder_reads_html_but_not_record_files_or_feeds(tmp_path: Path) -> None:
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "b.txt", "Headline\n\nText.")
    write(tmp_path / "notes.json", "[]")
    write(tmp_path / "sitemap.xml", "<urlset/>")
    assert names(list(read_inputs([tmp_path]))) == [
        str(tmp_path / "a.html"),
        str(tmp_path / "b.txt"),
    ]


# JSON and NDJSON records


def test_json_array_with_a_broken_record(tmp_path: Path) -> None:
    records = [
        {"text": "Headline\n\nBody.", "url": "https://w.test/1", "outlet": "Wire"},
        {"title": 3, "text": "x"},
        {"html": PAGE, "title": "Given title"},
        {"url": "https://w.test/4"},
    ]
    path = write(tmp_path / "feed.json", json.dumps(records))
    items = list(read_inputs([path]))
    assert names(items) == [f"{path}[{i}]" for i in range(4)]
    first, broken, html, empty = items
    assert first == RawArticle(
        origin=f"{path}[0]", raw_text="Headline\n\nBody.", url="https://w.test/1", outlet="Wire"
    )
    assert isinstance(broken, InputError)
    assert broken.reason == "malformed record: Expected `str | null`, got `int` - at `$.title`"
    assert isinstance(html, RawArticle)
    assert (html.title, html.outlet) == ("Given title", "The Gazette")
    assert empty == InputError(
        item=f"{path}[3]", reason="record has no text (needs a non-empty text or html)"
    )


def test_json_wrapped_in_articles_object(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.json", '{"articles": [{"text": "Hello world."}]}')
    assert list(read_inputs([path])) == [RawArticle(origin=f"{path}[0]", raw_text="Hello world.")]


@pytest.mark.parametrize("content", ["{not json", '{"text": "a single object"}', "42"])
def test_malformed_json_file_is_one_error(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "feed.json", content)
    [error] = read_inputs([path])
    assert isinstance(error, InputError) and error.item == str(path)
    assert error.reason.startswith("malformed JSON feed: ")


def test_ndjson_names_broken_lines_and_reads_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.ndjson",
        '{"text": "One.", "published": "2026-01-07"}\n'
        "\n"
        '{"text": "Two.", oops}\n'
        '{"text": "Three.", "title": "T"}\n',
    )
    items = list(read_inputs([path]))
    assert names(items) == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert isinstance(items[0], RawArticle) and items[0].published == "2026-01-07"
    assert isinstance(items[1], InputError) and items[1].reason.startswith("malformed record")
    assert isinstance(items[2], RawArticle) and items[2].title == "T"


def test_empty_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", "\n\n")
    assert list(read_inputs([path])) == [
        InputError(item=str(path), reason="NDJSON feed has no records")
    ]


# RSS and Atom

RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Gazette</title>
<item><title>Harbour Strike Ends</title><link>https://gazette.test/a</link>
<pubDate>Wed, 07 Jan 2026 10:00:00 GMT</pubDate><description>Teaser only</description>
<content:encoded><![CDATA[{BODY}]]></content:encoded></item>
<item><title>Link only</title><link>https://gazette.test/b</link>
<description>Teaser only</description></item>
<item><title>Nothing at all</title></item>
</channel></rss>"""


def test_rss_entries_with_content_link_only_and_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.rss", RSS)
    full, link_only, nothing = read_inputs([path])
    assert full == RawArticle(
        origin=f"{path}[0]",
        raw_text="\n".join(LINES),
        url="https://gazette.test/a",
        outlet="The Gazette",
        title="Harbour Strike Ends",
        published="2026-01-07T10:00:00+00:00",
    )
    assert link_only == InputError(item=f"{path}[1]", reason=NO_TEXT)
    assert nothing == InputError(item=f"{path}[2]", reason="entry has neither content nor a link")


def test_link_only_entries_are_fetched_when_asked(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url="https://gazette.test/b", headers={"Content-Type": "text/html"}, text=PAGE
    )
    path = write(tmp_path / "feed.xml", RSS)
    options = ReadOptions(fetch=FetchOptions(cache_path=None), fetch_feed_links=True)
    items = list(read_inputs([path], options))
    fetched = items[1]
    assert isinstance(fetched, RawArticle) and fetched.origin == f"{path}[1]"
    assert (fetched.title, fetched.url, fetched.outlet) == (
        "Link only",  # the feed's title wins over the page's
        "https://gazette.test/b",
        "The Gazette",
    )
    assert LINES[1] in fetched.raw_text


def test_atom_entry(tmp_path: Path) -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><entry><title>T</title>'
        '<link href="https://w.test/x"/><updated>2026-01-07T10:00:00Z</updated>'
        f'<content type="html">{BODY.replace("<", "&lt;")}</content></entry></feed>'
    )
    path = write(tmp_path / "wire.atom", atom)
    [entry] = read_inputs([path])
    assert isinstance(entry, RawArticle)
    assert (entry.outlet, entry.published) == ("Wire", "2026-01-07T10:00:00+00:00")
    assert entry.raw_text.split("\n") == LINES


@pytest.mark.parametrize("content", ["not a feed at all", ""])
def test_not_a_feed(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "feed.xml", content)
    [error] = read_inputs([path])
    assert isinstance(error, InputError) and error.item == str(path)
    assert error.reason.startswith("not an RSS or Atom feed")


# URLs


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("https://news.test/a?b=1", "https://news.test/a?b=1"),
        (Path("https://news.test/a"), "https://news.test/a"),  # pathlib ate a slash
        ("HTTP://news.test/", "http://news.test/"),
        (Path("seeds/https.txt"), None),
        ("ftp://news.test/a", None),
    ],
)
def test_as_url(given: Path | str, url: str | None) -> None:
    assert as_url(given) == url


def test_urls_among_files_keep_the_batch_going(
    tmp_path: Path, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default validator cache lives in the working directory
    httpx_mock.add_response(
        url="https://news.test/a", headers={"Content-Type": "text/html", "ETag": '"1"'}, text=PAGE
    )
    httpx_mock.add_response(url="https://news.test/gone", status_code=404)
    text = write(tmp_path / "b.txt", "Headline\n\nText.")
    items = list(read_inputs([Path("https://news.test/a"), "https://news.test/gone", text]))
    assert names(items) == ["https://news.test/a", "https://news.test/gone", str(text)]
    assert [type(item).__name__ for item in items] == ["RawArticle", "InputError", "RawArticle"]
    assert json.loads((tmp_path / ".statements-fetch-cache.json").read_text()) == {
        "https://news.test/a": {"etag": '"1"'}
    }


def test_a_304_is_reported_through_the_options_and_yields_nothing(
    tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    cache = write(tmp_path / "cache.json", '{"https://news.test/a": {"etag": "\\"1\\""}}')
    httpx_mock.add_response(
        url="https://news.test/a", status_code=304, match_headers={"If-None-Match": '"1"'}
    )
    unchanged: list[str] = []
    options = ReadOptions(fetch=FetchOptions(cache_path=cache), on_unchanged=unchanged.append)
    assert list(read_inputs(["https://news.test/a"], options)) == []
    assert unchanged == ["https://news.test/a"]
