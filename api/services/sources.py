"""Read service for sources: outlets and credited upstream agencies, with their reach."""

from __future__ import annotations

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services import converters
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.storage.models import ArticleRow, SourceRow, StatementCreditRow, StatementRow


class SourceService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, window: Window) -> Slice[schemas.Source]:
        query = in_window(select(SourceRow), SourceRow.id, window)
        rows, has_more = split_window((await self._session.scalars(query)).all(), window)
        ids = [row.id for row in rows]
        article_counts = await self._article_counts(ids)
        statement_counts = await self._statement_counts(ids)
        items = [
            converters.source(
                row,
                article_count=article_counts.get(row.id, 0),
                statement_count=statement_counts.get(row.id, 0),
            )
            for row in rows
        ]
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def _article_counts(self, source_ids: list[int]) -> dict[int, int]:
        if not source_ids:
            return {}
        result = await self._session.execute(
            select(ArticleRow.source_id, func.count())
            .where(ArticleRow.source_id.in_(source_ids))
            .group_by(ArticleRow.source_id)
        )
        return {source_id: count for source_id, count in result if source_id is not None}

    async def _statement_counts(self, source_ids: list[int]) -> dict[int, int]:
        """Statements the source published or is credited for: ``?source=`` on statements.

        UNION (not UNION ALL) drops the pairs where an outlet credits itself, so each
        statement counts once per source.
        """
        if not source_ids:
            return {}
        pairs = union(
            select(StatementRow.id.label("statement_id"), ArticleRow.source_id.label("source_id"))
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .where(ArticleRow.source_id.in_(source_ids)),
            select(StatementCreditRow.statement_id, StatementCreditRow.source_id).where(
                StatementCreditRow.source_id.in_(source_ids)
            ),
        ).subquery()
        result = await self._session.execute(
            select(pairs.c.source_id, func.count()).group_by(pairs.c.source_id)
        )
        return {key: count for key, count in result}
