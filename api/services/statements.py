"""Read service for statements: filtered pages, single statements, shared loading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

import schemas
from api.services import converters
from api.services.errors import NotFoundError
from api.services.filters import StatementFilters, statement_conditions
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.storage.models import ArticleRow, ClaimStatementRow, StatementRow


def statement_query() -> Select[StatementRow]:
    """SELECT statements with everything the Statement schema needs, minus article texts.

    Article, outlet and speaker are joined (many-to-one, so LIMIT stays correct); credits
    come in one batched SELECT ... IN. The article's full text is never part of a
    statement, and raiseload turns an accidental access into an error rather than a
    hidden query per row.
    """
    return select(StatementRow).options(
        joinedload(StatementRow.article).defer(ArticleRow.text, raiseload=True)
    )


def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


class StatementService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, filters: StatementFilters, window: Window) -> Slice[schemas.Statement]:
        conditions = statement_conditions(filters, dialect_name(self._session))
        query = in_window(statement_query().where(*conditions), StatementRow.id, window)
        rows, has_more = split_window(await self._scalars(query), window)
        items = await self.convert(rows)
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, statement_id: int) -> schemas.Statement:
        rows = await self._scalars(statement_query().where(StatementRow.id == statement_id))
        if not rows:
            raise NotFoundError("statement", statement_id)
        (item,) = await self.convert(rows)
        return item

    async def convert(self, rows: Sequence[StatementRow]) -> list[schemas.Statement]:
        """Statement structs for loaded rows, with their claim ids in one extra query."""
        claim_ids = await self._claim_ids([row.id for row in rows])
        return [converters.statement(row, claim_ids.get(row.id)) for row in rows]

    async def _claim_ids(self, statement_ids: list[int]) -> dict[int, int]:
        if not statement_ids:
            return {}
        result = await self._session.execute(
            select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_(statement_ids)
            )
        )
        return {statement_id: claim_id for statement_id, claim_id in result}

    async def _scalars(self, query: Select[Any]) -> Sequence[StatementRow]:
        return (await self._session.scalars(query)).all()
