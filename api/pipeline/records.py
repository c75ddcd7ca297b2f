"""JSON and NDJSON article feeds: one article per record.

A record carries ``text`` (plain text, as in a .txt file) or ``html`` (a whole page,
extracted by api/pipeline/html.py), and optionally ``url``, ``outlet``, ``published`` and
``title``; unknown fields are ignored. When both ``text`` and ``html`` are present the
text is used. A JSON file is an array of records or ``{"articles": [records]}``; an
NDJSON file (.ndjson, .jsonl) has one record per line, blank lines skipped.

A broken record is one InputError named ``file[index]`` (JSON, from 0) or ``file:line``
(NDJSON, from 1); the other records of the file are still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec

from api.pipeline.html import html_article
from api.pipeline.types import InputError, RawArticle

_UTF8_BOM = b"\xef\xbb\xbf"


class FeedRecord(msgspec.Struct, frozen=True, kw_only=True):
    text: str | None = None
    html: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None


class _Wrapped(msgspec.Struct, frozen=True):
    articles: list[msgspec.Raw]


_RECORD_DECODER = msgspec.json.Decoder(FeedRecord)
_FILE_DECODER = msgspec.json.Decoder(list[msgspec.Raw] | _Wrapped)


def record_article(raw: bytes | msgspec.Raw, origin: str) -> RawArticle | InputError:
    """The article of one JSON record, or why it is not one."""
    try:
        record = _RECORD_DECODER.decode(raw)
    except msgspec.DecodeError as exc:  # also ValidationError: a field of the wrong type
        return InputError(item=origin, reason=f"malformed record: {exc}")
    if record.text is not None and record.text.strip():
        return RawArticle(
            origin=origin,
            raw_text=record.text,
            url=record.url,
            outlet=record.outlet,
            title=record.title,
            published=record.published,
        )
    if record.html is not None and record.html.strip():
        return html_article(
            record.html,
            origin=origin,
            url=record.url,
            title=record.title,
            outlet=record.outlet,
            published=record.published,
        )
    return InputError(item=origin, reason="record has no text (needs a non-empty text or html)")


def _read_bytes(path: Path) -> bytes | InputError:
    try:
        return path.read_bytes().removeprefix(_UTF8_BOM)
    except OSError as exc:
        return InputError(item=str(path), reason=f"unreadable file: {exc.strerror or exc}")


def read_json_records(path: Path) -> Iterator[RawArticle | InputError]:
    """Articles of a JSON array of records (or ``{"articles": [...]}``)."""
    data = _read_bytes(path)
    if isinstance(data, InputError):
        yield data
        return
    try:
        decoded = _FILE_DECODER.decode(data)
    except msgspec.DecodeError as exc:
        yield InputError(item=str(path), reason=f"malformed JSON feed: {exc}")
        return
    records = decoded.articles if isinstance(decoded, _Wrapped) else decoded
    if not records:
        yield InputError(item=str(path), reason="JSON feed has no records")
    for index, raw in enumerate(records):
        yield record_article(raw, f"{path}[{index}]")


def read_ndjson_records(path: Path) -> Iterator[RawArticle | InputError]:
    """Articles of an NDJSON file, one record per non-blank line."""
    data = _read_bytes(path)
    if isinstance(data, InputError):
        yield data
        return
    found = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        found = True
        yield record_article(line, f"{path}:{number}")
    if not found:
        yield InputError(item=str(path), reason="NDJSON feed has no records")
