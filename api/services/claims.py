"""Read service for claims: what several statements assert, and how it travelled."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services import converters
from api.services.diff import word_diff
from api.services.errors import NotFoundError
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.services.statements import StatementService, statement_query
from api.storage.models import ArticleRow, ClaimRow, ClaimStatementRow, SourceRow, StatementRow


def publication_order(row: StatementRow) -> tuple[bool, dt.date, int, int]:
    """Earliest publication first; undated articles last; article id, then id, break ties.

    Sorted in Python because SQLite and PostgreSQL disagree on where NULLs sort.
    """
    published = row.article.published_date
    return (published is None, published or dt.date.min, row.article_id, row.id)


class ClaimService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, window: Window) -> Slice[schemas.Claim]:
        query = in_window(select(ClaimRow), ClaimRow.id, window)
        rows, has_more = split_window((await self._session.scalars(query)).all(), window)
        items = await self._summaries(rows)
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, claim_id: int) -> schemas.ClaimDetail:
        """The claim and its supporting statements in publication order."""
        row = await self._claim_row(claim_id)
        (claim,) = await self._summaries([row])
        statements = await StatementService(self._session).convert(
            await self._statement_rows(claim_id)
        )
        return schemas.ClaimDetail(claim=claim, statements=statements)

    async def provenance(self, claim_id: int) -> schemas.Provenance:
        """Every appearance of the claim in publication order, diffed against its text."""
        row = await self._claim_row(claim_id)
        (claim,) = await self._summaries([row])
        appearances = [
            converters.appearance(statement, diff=word_diff(row.text, statement.text))
            for statement in await self._statement_rows(claim_id)
        ]
        upstream: dict[int, schemas.SourceRef] = {}
        for appearance in appearances:
            for credited in appearance.credited:
                # First-credited first: the order in which agencies entered the story.
                upstream.setdefault(credited.id, credited)
        return schemas.Provenance(
            claim=claim,
            first=appearances[0] if appearances else None,
            appearances=appearances,
            upstream=list(upstream.values()),
        )

    async def _claim_row(self, claim_id: int) -> ClaimRow:
        row = await self._session.get(ClaimRow, claim_id)
        if row is None:
            raise NotFoundError("claim", claim_id)
        return row

    async def _statement_rows(self, claim_id: int) -> list[StatementRow]:
        query = statement_query().where(
            StatementRow.id.in_(
                select(ClaimStatementRow.statement_id).where(ClaimStatementRow.claim_id == claim_id)
            )
        )
        rows = (await self._session.scalars(query)).all()
        return sorted(rows, key=publication_order)

    async def _summaries(self, rows: Sequence[ClaimRow]) -> list[schemas.Claim]:
        """Claim structs with counts, outlets and first dates for all rows in two queries."""
        ids = [row.id for row in rows]
        if not ids:
            return []
        stats = await self._session.execute(
            select(
                ClaimStatementRow.claim_id,
                func.count(StatementRow.id),
                func.min(ArticleRow.published_date),
            )
            .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .where(ClaimStatementRow.claim_id.in_(ids))
            .group_by(ClaimStatementRow.claim_id)
        )
        counts: dict[int, tuple[int, dt.date | None]] = {
            claim_id: (count, first) for claim_id, count, first in stats
        }
        outlets = await self._outlets(ids)
        return [
            converters.claim(
                row,
                statement_count=counts.get(row.id, (0, None))[0],
                outlets=converters.sorted_source_refs(outlets[row.id]),
                first_published_date=counts.get(row.id, (0, None))[1],
            )
            for row in rows
        ]

    async def _outlets(self, claim_ids: list[int]) -> defaultdict[int, list[SourceRow]]:
        result = await self._session.execute(
            select(ClaimStatementRow.claim_id, SourceRow)
            .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .where(ClaimStatementRow.claim_id.in_(claim_ids))
        )
        outlets: defaultdict[int, list[SourceRow]] = defaultdict(list)
        for claim_id, source in result:
            outlets[claim_id].append(source)
        return outlets
