"""Read service for articles: summaries in lists, the full stored text one at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

import schemas
from api.services import converters
from api.services.errors import NotFoundError
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.storage.models import ArticleRow, StatementRow


class ArticleService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(
        self,
        window: Window,
        *,
        source_id: int | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Slice[schemas.ArticleSummary]:
        """Articles of one outlet and/or published within inclusive date bounds."""
        # Summaries never carry the text; don't haul it out of the database.
        query = select(ArticleRow).options(defer(ArticleRow.text, raiseload=True))
        if source_id is not None:
            query = query.where(ArticleRow.source_id == source_id)
        if since is not None:
            query = query.where(ArticleRow.published_date >= since)
        if until is not None:
            query = query.where(ArticleRow.published_date <= until)
        rows, has_more = split_window(
            (await self._session.scalars(in_window(query, ArticleRow.id, window))).all(), window
        )
        counts = await self._statement_counts(rows)
        items = [
            converters.article_summary(row, statement_count=counts.get(row.id, 0)) for row in rows
        ]
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, article_id: int) -> schemas.Article:
        row = await self._session.get(ArticleRow, article_id)
        if row is None:
            raise NotFoundError("article", article_id)
        counts = await self._statement_counts([row])
        return converters.article(row, statement_count=counts.get(row.id, 0))

    async def _statement_counts(self, rows: Sequence[ArticleRow]) -> dict[int, int]:
        if not rows:
            return {}
        result = await self._session.execute(
            select(StatementRow.article_id, func.count())
            .where(StatementRow.article_id.in_([row.id for row in rows]))
            .group_by(StatementRow.article_id)
        )
        return {key: count for key, count in result}
