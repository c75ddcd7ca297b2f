"""The API key a request was made with."""

from __future__ import annotations

import msgspec


class ApiKeyInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Who the bearer token belongs to; the secret itself is never returned."""

    id: int
    name: str
    scopes: list[str]
