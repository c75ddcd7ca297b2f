"""Service health: is the database answering, and what is deployed."""

from __future__ import annotations

from importlib import metadata

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services.statements import dialect_name
from api.storage.models import StatementRow

DISTRIBUTION = "statements"


def package_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


class HealthService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def check(self) -> schemas.Health:
        """Counting statements proves the database is reachable and migrated."""
        count = await self._session.scalar(select(func.count()).select_from(StatementRow))
        return schemas.Health(
            status="ok",
            database=dialect_name(self._session),
            version=package_version(),
            statements=count or 0,
        )
