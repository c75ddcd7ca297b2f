"""Read article files, folders, feeds and URLs into RawArticle values.

Every bad input becomes an InputError and the iteration goes on: one broken file in a
batch of hundreds must not cost the other articles.

Dispatch is by suffix: text (.txt .text .md), HTML (.html .htm, api/pipeline/html.py),
JSON and NDJSON records (.json .ndjson .jsonl, api/pipeline/records.py), RSS and Atom
(.xml .rss .atom, api/pipeline/feeds.py); ``http://`` and ``https://`` arguments are
fetched (api/pipeline/fetch.py). A folder's manifest.json supplies metadata for the text
and HTML files beside it; feeds carry their own. A folder's actors.toml (a curated actor
file, api/pipeline/actor_seed.py) is no article: ``actor_files`` names it for the run to
load before the articles. A folder is searched for text and HTML
articles only: JSON and XML files in a folder are often something else (notes, sitemaps),
so record files and feeds are read when named on their own.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from api.pipeline.feeds import read_feed
from api.pipeline.fetch import Fetcher, FetchOptions
from api.pipeline.html import html_article
from api.pipeline.records import read_json_records, read_ndjson_records
from api.pipeline.types import InputError, RawArticle

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
NDJSON_SUFFIXES = frozenset({".ndjson", ".jsonl"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
# What a folder is searched for.
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# A URL that went through pathlib lost one slash ("https:/host/page"): accept both.
_URL = re.compile(r"(?P<scheme>https?):/+(?P<rest>\S+)", re.IGNORECASE)
MANIFEST_NAME = "manifest.json"
ACTORS_NAME = "actors.toml"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Text pasted from a page may carry a few stray control characters; a file where this
# share of the characters are controls is a binary file that happens to decode.
BINARY_CONTROL_SHARE = 0.3
# A text or HTML file is one article: above this size it is something else (a dump, a
# log, a database export) and is refused before it is read. Feeds may be larger.
MAX_ARTICLE_FILE_BYTES = 10 * 1024 * 1024


class ManifestEntry(msgspec.Struct, frozen=True):
    """What the feed supplied for one file; absent or null fields were not supplied."""

    file: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


class Manifest(msgspec.Struct, frozen=True):
    articles: list[ManifestEntry]


def read_manifest(path: Path) -> dict[str, ManifestEntry] | InputError:
    """Entries of a manifest by file name, or the one-line reason it cannot be used."""
    try:
        manifest = msgspec.json.decode(path.read_bytes(), type=Manifest)
    except OSError as exc:
        return InputError(item=str(path), reason=f"unreadable manifest: {exc.strerror}")
    except msgspec.DecodeError as exc:  # also covers ValidationError (wrong shape)
        return InputError(item=str(path), reason=f"malformed manifest: {exc}")
    entries: dict[str, ManifestEntry] = {}
    for entry in manifest.articles:
        if entry.file in entries:
            return InputError(
                item=str(path), reason=f"malformed manifest: {entry.file!r} is listed twice"
            )
        entries[entry.file] = entry
    return entries


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """How read_inputs treats URLs and feeds; the defaults read files as before."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    # Fetch feed entries that carry only a link (else each is an InputError).
    fetch_feed_links: bool = False
    # Called with the URL of each page that answered 304 Not Modified.
    on_unchanged: Callable[[str], None] | None = None


def as_url(item: Path | str) -> str | None:
    """The http(s) URL that ``item`` names, or None when it is a path."""
    match = _URL.fullmatch(str(item))
    return f"{match['scheme'].lower()}://{match['rest']}" if match else None


def find_article_files(folder: Path) -> list[Path]:
    """Article files under ``folder``, recursively, sorted, hidden files and folders skipped."""
    found: list[Path] = []
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(
            Path(current) / name
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        )
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def _mostly_control_characters(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    return controls > BINARY_CONTROL_SHARE * len(text)


def decode_article(data: bytes) -> str:
    """The text of an article file; ValueError with a one-line reason when it has none."""
    if data.startswith(_UTF16_BOMS):
        raise ValueError("UTF-16 text; articles must be UTF-8")
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    body = data.removeprefix(_UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)  # an offset into the file, BOM included
        raise ValueError(
            f"invalid UTF-8 at byte offset {offset} (byte 0x{body[exc.start]:02x})"
        ) from None
    if not text.strip():
        raise ValueError("empty file" if not text else "file contains only whitespace")
    if _mostly_control_characters(text):
        raise ValueError("binary file (mostly control characters)")
    return text


def read_article_bytes(path: Path) -> bytes | InputError:
    """The bytes of one article file, unless it is unreadable or too large to be one."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_FILE_BYTES:
            return InputError(
                item=str(path),
                reason=f"file is {size / 1024 / 1024:.1f} MB, over the "
                f"{MAX_ARTICLE_FILE_BYTES // 1024 // 1024} MB one article may have",
            )
        return path.read_bytes()
    except OSError as exc:
        return InputError(item=str(path), reason=f"unreadable file: {exc.strerror or exc}")


def read_html_file(path: Path, entry: ManifestEntry | None) -> RawArticle | InputError:
    data = read_article_bytes(path)
    if isinstance(data, InputError):
        return data
    if not data.strip():
        return InputError(item=str(path), reason="empty file")
    return html_article(
        data,
        origin=str(path),
        url=entry.url if entry else None,
        title=entry.title if entry else None,
        outlet=entry.outlet if entry else None,
        published=entry.published if entry else None,
    )


def read_article(path: Path, entry: ManifestEntry | None) -> RawArticle | InputError:
    data = read_article_bytes(path)
    if isinstance(data, InputError):
        return data
    try:
        text = decode_article(data)
    except ValueError as exc:
        return InputError(item=str(path), reason=str(exc))
    if entry is None:
        return RawArticle(origin=str(path), raw_text=text)
    return RawArticle(
        origin=str(path),
        raw_text=text,
        url=entry.url,
        outlet=entry.outlet,
        title=entry.title,
        published=entry.published,
    )


class _Manifests:
    """Each folder's manifest, read once per run; a broken one is reported once."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[str, ManifestEntry] | InputError | None] = {}

    def load(self, folder: Path) -> InputError | None:
        """Read the folder's manifest if not done yet; its error, the first time only."""
        if folder in self._by_folder:
            return None
        path = folder / MANIFEST_NAME
        loaded = read_manifest(path) if path.is_file() else None
        self._by_folder[folder] = loaded
        return loaded if isinstance(loaded, InputError) else None

    def entry_for(self, path: Path) -> ManifestEntry | None:
        entries = self._by_folder.get(path.parent)
        return entries.get(path.name) if isinstance(entries, dict) else None


def _read_file(
    path: Path, manifests: _Manifests, fetcher: Callable[[], Fetcher] | None
) -> Iterator[RawArticle | InputError]:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        yield from read_json_records(path)
        return
    if suffix in NDJSON_SUFFIXES:
        yield from read_ndjson_records(path)
        return
    if suffix in FEED_SUFFIXES:
        yield from read_feed(path, fetcher() if fetcher else None)
        return
    if error := manifests.load(path.parent):
        yield error
    entry = manifests.entry_for(path)
    if suffix in HTML_SUFFIXES:
        yield read_html_file(path, entry)
    else:
        yield read_article(path, entry)


def actor_files(paths: Sequence[Path | str]) -> list[Path]:
    """The curated actor files among ``paths``: a folder's own actors.toml, or one named."""
    found: list[Path] = []
    for item in paths:
        if as_url(item) is not None:
            continue
        path = Path(item)
        candidate = path / ACTORS_NAME if path.is_dir() else path
        if candidate.name == ACTORS_NAME and candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found


def read_inputs(
    paths: Sequence[Path | str], options: ReadOptions | None = None
) -> Iterator[RawArticle | InputError]:
    """Articles from files, folders and URLs, in order; an InputError for each bad input."""
    opts = options or ReadOptions()
    manifests = _Manifests()
    with ExitStack() as stack:
        fetchers: list[Fetcher] = []

        def fetcher() -> Fetcher:
            """One client for the run, made on first use (files alone never open one)."""
            if not fetchers:
                made = Fetcher(opts.fetch, on_unchanged=opts.on_unchanged)
                fetchers.append(stack.enter_context(made))
            return fetchers[0]

        feed_fetcher = fetcher if opts.fetch_feed_links else None
        for item in paths:
            if (url := as_url(item)) is not None:
                if (article := fetcher().fetch_article(url)) is not None:
                    yield article
                continue
            path = Path(item)
            if path.is_dir():
                if error := manifests.load(path):  # reported even when no article uses it
                    yield error
                for file in find_article_files(path):
                    yield from _read_file(file, manifests, feed_fetcher)
            elif not path.exists():
                yield InputError(item=str(path), reason="no such file or folder")
            elif path.name == ACTORS_NAME:
                continue  # not an article: the run loads it first (actor_files)
            elif path.name == MANIFEST_NAME:
                yield InputError(
                    item=str(path),
                    reason="a manifest supplies metadata for its folder; it is not an article",
                )
            else:
                yield from _read_file(path, manifests, feed_fetcher)
