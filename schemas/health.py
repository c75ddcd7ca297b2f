"""Service health."""

from __future__ import annotations

import msgspec


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str
    database: str
    version: str
    statements: int
