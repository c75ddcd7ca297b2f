"""Read service for articles: summaries in lists, the full stored text one at a time.

An article row is one version of the text stored at its URL (``version``, with
``previous_version_id`` naming the version it revises) and may be a near-duplicate copy
of another article (``duplicate_of_id``). The detail lists every version at its URL and
the copies of it, each in one query whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer, load_only, raiseload

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
        latest_only: bool = False,
    ) -> Slice[schemas.ArticleSummary]:
        """Articles of one outlet and/or published within inclusive date bounds.

        ``latest_only`` leaves out superseded versions: rows another row revises.
        """
        # Summaries never carry the text or the signature; don't haul them out of the database.
        query = select(ArticleRow).options(
            defer(ArticleRow.text, raiseload=True), defer(ArticleRow.minhash, raiseload=True)
        )
        if source_id is not None:
            query = query.where(ArticleRow.source_id == source_id)
        if since is not None:
            query = query.where(ArticleRow.published_date >= since)
        if until is not None:
            query = query.where(ArticleRow.published_date <= until)
        if latest_only:
            newer = aliased(ArticleRow)
            query = query.where(~exists().where(newer.previous_version_id == ArticleRow.id))
        rows, has_more = split_window(
            (await self._session.scalars(in_window(query, ArticleRow.id, window))).all(), window
        )
        counts = await self._statement_counts([row.id for row in rows])
        items = [
            converters.article_summary(row, statement_count=counts.get(row.id, 0)) for row in rows
        ]
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, article_id: int) -> schemas.Article:
        row = await self._session.get(ArticleRow, article_id)
        if row is None:
            raise NotFoundError("article", article_id)
        versions = await self._versions(row)
        # The article is one of its versions: one count query serves both.
        counts = await self._statement_counts([version.id for version in versions])
        return converters.article(
            row,
            statement_count=counts.get(row.id, 0),
            versions=[
                converters.article_version(version, statement_count=counts.get(version.id, 0))
                for version in versions
            ],
            duplicates=[converters.article_duplicate(copy) for copy in await self._copies(row)],
        )

    async def _versions(self, row: ArticleRow) -> Sequence[ArticleRow]:
        """Every version at the article's URL in version order; just the article without one."""
        if row.url is None:
            return [row]
        query = (
            select(ArticleRow)
            .options(
                load_only(
                    ArticleRow.id,
                    ArticleRow.version,
                    ArticleRow.content_hash,
                    ArticleRow.ingested_at,
                    raiseload=True,
                ),
                raiseload(ArticleRow.source),
            )
            .where(ArticleRow.url == row.url)
            .order_by(ArticleRow.version, ArticleRow.id)
        )
        return (await self._session.scalars(query)).all()

    async def _copies(self, row: ArticleRow) -> Sequence[ArticleRow]:
        """The near-duplicate copies of the article (with their outlets), in id order."""
        query = (
            select(ArticleRow)
            .options(
                load_only(
                    ArticleRow.id,
                    ArticleRow.url,
                    ArticleRow.source_id,
                    ArticleRow.duplicate_similarity,
                    raiseload=True,
                )
            )
            .where(ArticleRow.duplicate_of_id == row.id)
            .order_by(ArticleRow.id)
        )
        return (await self._session.scalars(query)).all()

    async def _statement_counts(self, article_ids: Sequence[int]) -> dict[int, int]:
        if not article_ids:
            return {}
        result = await self._session.execute(
            select(StatementRow.article_id, func.count())
            .where(StatementRow.article_id.in_(article_ids))
            .group_by(StatementRow.article_id)
        )
        return {key: count for key, count in result}
