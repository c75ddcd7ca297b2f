"""One typed settings object, read from the environment (``STATEMENTS_*``)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

ENV_PREFIX = "STATEMENTS_"
DEFAULT_DATABASE_URL = "sqlite:///statements.db"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # Readers come from frontend apps on other origins; an empty list disables CORS.
    cors_origins: tuple[str, ...] = ()
    default_page_size: int = 50
    max_page_size: int = 500
    spacy_batch_size: int = 32
    # Reads are public unless the deployment says otherwise; writes always need a key.
    reads_require_key: bool = False
    # Requests per minute per API key (or per client address); 0 turns limiting off.
    rate_limit_per_minute: int = 600
    # Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = 1_000_000
    # Where site owners can reach the operator, sent in the fetcher's User-Agent.
    fetch_contact_url: str | None = None
    # Webhooks: URLs told when new statements land (comma-separated), and the shared
    # secret their notices are signed with (HMAC-SHA256).
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str | None = None
    # How long a worker may hold a job before another worker may take it over.
    worker_lease_seconds: int = 300
    # Memory for rendered responses (api/http/response_cache.py); 0 turns the cache off.
    response_cache_mb: int = 8
    # Database connections each API process keeps for reads through sessions (searches,
    # filtered pages, writes). On SQLite each one is a thread with its own page cache;
    # a request waits for a free one rather than opening more.
    database_pool_size: int = 4
    # How stale a cached response may be after another process writes (seconds).
    cache_refresh_seconds: float = 1.0
    # Folder of the tantivy search index (``statements index`` builds it; writers keep
    # it current). Unset: searches rank with the database's own full-text index.
    search_index_path: str | None = None


def load_settings(
    overrides: Mapping[str, object] | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings from ``STATEMENTS_*`` variables, then explicit overrides (CLI flags)."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for name in (f.name for f in msgspec.structs.fields(Settings)):
        value = env.get(ENV_PREFIX + name.upper())
        if value is None or value == "":
            continue
        if name in ("cors_origins", "webhook_urls"):
            raw[name] = tuple(part.strip() for part in value.split(",") if part.strip())
        else:
            raw[name] = value
    raw.update({key: value for key, value in (overrides or {}).items() if value is not None})
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid setting: {exc}") from exc
