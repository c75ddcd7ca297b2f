"""Fetch article pages over HTTP(S), politely and within bounds.

Connect and read timeouts; retries with exponential backoff for 429, 5xx and network
errors (a Retry-After header, in seconds or as a date, is waited for, up to a cap);
redirects followed, the final URL becoming the article's url; the body streamed and cut
off past ``max_bytes``; only HTML and plain text accepted; the charset taken from the
Content-Type header, else from the page's ``<meta>``, else UTF-8 (HTML: windows-1252 when
that fails, as browsers do). Requests identify themselves as
``statements-ingest/<version> (+<contact_url>)``; the default contact URL is a
placeholder on the reserved ``.invalid`` domain: deployments set a real one.

Conditional requests: the ETag and Last-Modified of every page that became an article
are kept in a small JSON file (``FetchOptions.cache_path``, by default
``.statements-fetch-cache.json`` in the working directory; None keeps no cache), and sent
back as If-None-Match / If-Modified-Since; a 304 is reported through ``on_unchanged``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import httpx

from api.pipeline.fetch_cache import ValidatorCache, Validators
from api.pipeline.html import html_article
from api.pipeline.types import InputError, RawArticle

DEFAULT_CONTACT_URL = "https://statements.invalid/ingest-contact"
DEFAULT_CACHE_PATH = Path(".statements-fetch-cache.json")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# WHATWG's prescan looks for a charset declaration in the first 1024 bytes; pages with
# long heads put it later, so a little more is read.
_META_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _version() -> str:
    try:
        return metadata.version("statements")
    except metadata.PackageNotFoundError:
        return "0"


@dataclass(frozen=True, kw_only=True)
class FetchOptions:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_attempts: int = 4  # the first try and up to three retries
    backoff_seconds: float = 1.0  # waits 1, 2, 4 s ... between attempts
    max_retry_after: float = 120.0  # a longer Retry-After gives up instead of waiting
    max_bytes: int = 5_000_000
    max_redirects: int = 10
    contact_url: str = DEFAULT_CONTACT_URL
    cache_path: Path | None = DEFAULT_CACHE_PATH
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    @property
    def user_agent(self) -> str:
        return f"statements-ingest/{_version()} (+{self.contact_url})"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    media_type: str
    text: str
    validators: Validators | None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _charset(declared: str | None, media_type: str, body: bytes) -> str | None:
    """The charset to decode ``body`` with; None: try UTF-8, then the type's fallback."""
    if declared:
        return declared
    if media_type in HTML_TYPES and (found := _META_CHARSET.search(body[:_META_PRESCAN_BYTES])):
        return found.group(1).decode("ascii", "replace")
    return None


def decode_body(body: bytes, declared: str | None, media_type: str) -> str:
    """The text of a response; ValueError with a one-line reason when it cannot be read."""
    charset = _charset(declared, media_type, body)
    if charset is None:
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            if media_type not in HTML_TYPES:
                raise ValueError("text is not UTF-8 and declares no charset") from None
            charset = "windows-1252"
    try:
        codecs.lookup(charset)
        return body.decode(charset)
    except LookupError:
        raise ValueError(f"unknown charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"invalid {charset} at byte offset {exc.start}") from None


class Fetcher:
    """One HTTP client for a run; close it (or use ``with``) to save the validator cache."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        on_unchanged: Callable[[str], None] | None = None,
    ) -> None:
        self.options = options or FetchOptions()
        self.on_unchanged = on_unchanged
        self.cache = ValidatorCache(self.options.cache_path)
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout),
            follow_redirects=True,
            max_redirects=self.options.max_redirects,
            headers={"User-Agent": self.options.user_agent},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        self.cache.save()

    def fetch(self, url: str) -> Fetched | InputError | None:
        """The page at ``url``; None when unchanged since the cached fetch (a 304)."""
        opts = self.options
        for attempt in range(1, opts.max_attempts + 1):
            backoff = opts.backoff_seconds * 2 ** (attempt - 1)
            try:
                with self.client.stream("GET", url, headers=self.cache.headers(url)) as response:
                    if response.status_code in RETRY_STATUSES:
                        status = f"HTTP {response.status_code} {response.reason_phrase}"
                        wait = _retry_after(response.headers.get("Retry-After"))
                        if wait is not None and wait > opts.max_retry_after:
                            return InputError(
                                item=url, reason=f"{status}; server asks to wait {wait:.0f} s"
                            )
                        if attempt == opts.max_attempts:
                            return InputError(item=url, reason=f"{status} after {attempt} attempts")
                        opts.sleep(backoff if wait is None else wait)
                        continue
                    return self._read(url, response)
            except _RETRYABLE_ERRORS as exc:
                if attempt == opts.max_attempts:
                    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
                    return InputError(
                        item=url, reason=f"request {kind} after {attempt} attempts: {exc!r}"
                    )
                opts.sleep(backoff)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                return InputError(item=url, reason=f"request failed: {exc}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, url: str, response: httpx.Response) -> Fetched | InputError | None:
        if response.status_code == 304:
            if self.on_unchanged is not None:
                self.on_unchanged(url)
            return None
        if response.status_code != 200:
            return InputError(
                item=url, reason=f"HTTP {response.status_code} {response.reason_phrase}"
            )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type not in HTML_TYPES | TEXT_TYPES:
            return InputError(
                item=url, reason=f"unsupported content type {media_type or '(none)'!r}"
            )
        cap = self.options.max_bytes
        too_big = InputError(item=url, reason=f"response larger than {cap} bytes")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            return too_big
        body = bytearray()
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > cap:
                return too_big
        try:
            text = decode_body(bytes(body), response.charset_encoding, media_type)
        except ValueError as exc:
            return InputError(item=url, reason=str(exc))
        validators = Validators.from_headers(response.headers)
        return Fetched(
            url=str(response.url), media_type=media_type, text=text, validators=validators
        )

    def fetch_article(
        self,
        url: str,
        *,
        origin: str | None = None,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
    ) -> RawArticle | InputError | None:
        """The article at ``url`` (supplied metadata wins); None when unchanged."""
        fetched = self.fetch(url)
        if not isinstance(fetched, Fetched):
            return fetched
        name = origin or url
        article: RawArticle | InputError
        if fetched.media_type in HTML_TYPES:
            article = html_article(
                fetched.text,
                origin=name,
                url=fetched.url,
                title=title,
                outlet=outlet,
                published=published,
            )
        elif not fetched.text.strip():
            article = InputError(item=name, reason="empty response")
        else:
            article = RawArticle(
                origin=name,
                raw_text=fetched.text,
                url=fetched.url,
                outlet=outlet,
                title=title,
                published=published,
            )
        # Only a page that became an article is remembered: a page that failed is fetched
        # in full again next time rather than reported unchanged.
        if isinstance(article, RawArticle):
            self.cache.remember(url, fetched.validators)
        return article
