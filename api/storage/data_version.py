"""The data version: a number that moves whenever anything the API serves changes.

Triggers (migration 0007) add one to it in every transaction that writes a served
table, so comparing two readings tells whether a response rendered in between may be
out of date, without knowing which rows changed or who changed them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import DataVersionRow


async def read_data_version(session: AsyncSession) -> int | None:
    """The current version, or None when the database has no version row (not migrated)."""
    version: int | None = await session.scalar(
        select(DataVersionRow.version).where(DataVersionRow.id == 1)
    )
    return version
