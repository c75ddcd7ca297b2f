"""Service health."""

from __future__ import annotations

import msgspec


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """Service status, database backend, deployed version and statement count."""

    status: str
    database: str
    version: str
    statements: int
