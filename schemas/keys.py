"""The API key a request was made with."""

from __future__ import annotations

from typing import Annotated

import msgspec

from schemas.examples import ex


class ApiKeyInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Who the bearer token belongs to; the secret itself is never returned."""

    id: Annotated[int, ex(2)]
    name: Annotated[str, ex("Newsdesk ingest bot")]
    scopes: Annotated[list[str], ex(["ingest", "read"], ["admin"])]
