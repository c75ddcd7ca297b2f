"""Read service for actors (speakers) and the statements attributed to them.

An actor merged into another (api/services/corrections.py) is gone: asking for it raises
``MergedActorError`` naming the actor it became, which the HTTP layer turns into a
redirect.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services import converters
from api.services.corrections import MergedActorError, successor
from api.services.errors import NotFoundError
from api.services.filters import StatementFilters
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.services.statements import StatementService, StatementSort
from api.storage.models import ActorAliasRow, ActorRow, StatementRow


class ActorService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, q: str | None, window: Window) -> Slice[schemas.Actor]:
        """Actors whose name or any alias contains ``q`` (case-insensitive, literal)."""
        query = select(ActorRow)
        if q:
            query = query.where(
                or_(
                    ActorRow.name.icontains(q, autoescape=True),
                    ActorRow.aliases.any(ActorAliasRow.alias.icontains(q, autoescape=True)),
                )
            )
        rows, has_more = split_window(
            (await self._session.scalars(in_window(query, ActorRow.id, window))).all(), window
        )
        items = await self._convert(rows)
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, actor_id: int) -> schemas.Actor:
        row = await self._session.get(ActorRow, actor_id)
        if row is None:
            raise await self._missing(actor_id)
        (item,) = await self._convert([row])
        return item

    async def statements(
        self,
        actor_id: int,
        filters: StatementFilters,
        window: Window,
        sort: StatementSort = StatementSort.ID,
    ) -> Slice[schemas.Statement]:
        """The actor's statements, under the same filters, search and sorts as /v1/statements."""
        # Only existence matters here: no need to load the actor and its aliases.
        if await self._session.scalar(select(ActorRow.id).where(ActorRow.id == actor_id)) is None:
            raise await self._missing(actor_id)
        own = dataclasses.replace(filters, speaker_id=actor_id)
        return await StatementService(self._session).page(own, window, sort)

    async def _missing(self, actor_id: int) -> NotFoundError:
        """Not found, or merged into the actor this names."""
        into = await self._session.run_sync(successor, actor_id)
        if into is None:
            return NotFoundError("actor", actor_id)
        return MergedActorError(actor_id, into)

    async def _convert(self, rows: Sequence[ActorRow]) -> list[schemas.Actor]:
        ids = [row.id for row in rows]
        counts = await self._statement_counts(ids)
        roles = await self._roles(ids)
        return [
            converters.actor(row, statement_count=counts.get(row.id, 0), roles=roles[row.id])
            for row in rows
        ]

    async def _statement_counts(self, actor_ids: list[int]) -> dict[int, int]:
        if not actor_ids:
            return {}
        result = await self._session.execute(
            select(StatementRow.speaker_id, func.count())
            .where(StatementRow.speaker_id.in_(actor_ids))
            .group_by(StatementRow.speaker_id)
        )
        return {actor_id: count for actor_id, count in result if actor_id is not None}

    async def _roles(self, actor_ids: list[int]) -> defaultdict[int, list[str]]:
        """The distinct roles articles gave each actor ("French President"), sorted."""
        roles: defaultdict[int, list[str]] = defaultdict(list)
        if not actor_ids:
            return roles
        result = await self._session.execute(
            select(StatementRow.speaker_id, StatementRow.speaker_role)
            .where(StatementRow.speaker_id.in_(actor_ids), StatementRow.speaker_role.is_not(None))
            .distinct()
            .order_by(StatementRow.speaker_id, StatementRow.speaker_role)
        )
        for actor_id, role in result:
            if actor_id is not None and role is not None:
                roles[actor_id].append(role)
        return roles
