"""RSS and Atom feeds (feedparser): one article per entry.

An entry with full content (RSS ``content:encoded``, Atom ``content``) becomes an
article from that content; a summary or description alone is a teaser, not the article.
An entry with only a link is fetched when a Fetcher is given, else reported. The entry's
link, title and publication date and the feed's title (the outlet) are supplied
metadata. Entries are named ``file[index]`` (from 0).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]

from api.pipeline.fetch import Fetcher
from api.pipeline.html import html_article
from api.pipeline.types import InputError, RawArticle

NO_TEXT = "entry has no text; fetch with --fetch"
_HTML_CONTENT = frozenset({"text/html", "application/xhtml+xml"})


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _iso(parsed: Any) -> str | None:
    """feedparser's UTC struct_time as an ISO datetime."""
    if not isinstance(parsed, time.struct_time):
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).isoformat()


def _content(entry: Any) -> tuple[str, bool] | None:
    """The entry's full content and whether it is HTML; None when it has none."""
    for part in entry.get("content") or ():
        value = _text(part.get("value"))
        if value:
            return value, part.get("type", "text/html") in _HTML_CONTENT
    return None


def entry_article(
    entry: Any, origin: str, outlet: str | None, fetcher: Fetcher | None
) -> RawArticle | InputError | None:
    """The article of one feed entry; None when a fetched link was unchanged (a 304)."""
    link = _text(entry.get("link"))
    title = _text(entry.get("title"))
    published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
    content = _content(entry)
    if content is not None:
        value, is_html = content
        if not is_html:
            return RawArticle(
                origin=origin,
                raw_text=value,
                url=link,
                outlet=outlet,
                title=title,
                published=published,
            )
        return html_article(
            value,
            origin=origin,
            url=link,
            title=title,
            outlet=outlet,
            published=published,
            fragment=True,
        )
    if link is None:
        return InputError(item=origin, reason="entry has neither content nor a link")
    if fetcher is None:
        return InputError(item=origin, reason=NO_TEXT)
    return fetcher.fetch_article(
        link, origin=origin, title=title, outlet=outlet, published=published
    )


def read_feed(path: Path, fetcher: Fetcher | None = None) -> Iterator[RawArticle | InputError]:
    """Articles of an RSS or Atom file; a broken entry never stops the others."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(item=str(path), reason=f"unreadable file: {exc.strerror or exc}")
        return
    # A stream, never a string: feedparser would treat a string as a URL or a path.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not an RSS or Atom feed: {problem}" if problem else "not an RSS or Atom feed"
        yield InputError(item=str(path), reason=reason)
        return
    if not parsed.entries:
        yield InputError(item=str(path), reason="feed has no entries")
        return
    outlet = _text(parsed.feed.get("title"))
    for index, entry in enumerate(parsed.entries):
        origin = f"{path}[{index}]"
        try:
            article = entry_article(entry, origin, outlet, fetcher)
        except Exception as exc:  # one odd entry must not cost the others
            article = InputError(item=origin, reason=f"unreadable entry: {exc}")
        if article is not None:
            yield article
