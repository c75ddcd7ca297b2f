"""ETag / Last-Modified of fetched pages, kept in a small JSON file between runs.

The file maps each requested URL to the validators its last successful fetch returned;
an unreadable or malformed file is treated as empty (the pages are fetched in full once
more) and is rewritten on save. Saving writes a temporary file and renames it, so an
interrupted run never leaves a half-written cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import msgspec
import structlog

log = structlog.get_logger("statements.fetch")


class Validators(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: httpx.Headers) -> Validators | None:
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        return cls(etag=etag, last_modified=modified) if etag or modified else None

    def request_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ValidatorCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Validators] = {}
        self._dirty = False
        if path is not None and path.is_file():
            try:
                self._entries = msgspec.json.decode(path.read_bytes(), type=dict[str, Validators])
            except (OSError, msgspec.DecodeError) as exc:
                log.warning("fetch.cache_unreadable", path=str(path), reason=str(exc))

    def headers(self, url: str) -> dict[str, str]:
        """Conditional request headers for ``url`` (none when it was never fetched)."""
        entry = self._entries.get(url)
        return entry.request_headers() if entry else {}

    def get(self, url: str) -> Validators | None:
        return self._entries.get(url)

    def remember(self, url: str, validators: Validators | None) -> None:
        if self._entries.get(url) == validators:
            return
        if validators is None:
            self._entries.pop(url, None)
        else:
            self._entries[url] = validators
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(msgspec.json.format(msgspec.json.encode(self._entries)))
            os.replace(temporary, self.path)
        except OSError as exc:
            log.warning("fetch.cache_not_saved", path=str(self.path), reason=str(exc))
            return
        self._dirty = False
