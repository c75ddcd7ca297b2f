"""Service health."""

from __future__ import annotations

from typing import Annotated

import msgspec

from schemas.examples import ex


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """Service status, database backend, deployed version and statement count."""

    status: Annotated[str, ex("ok")]
    database: Annotated[str, ex("sqlite", "postgresql")]
    version: Annotated[str, ex("0.1.0")]
    statements: Annotated[int, ex(57)]
