"""Read service for statements: filtered, searched and sorted pages; single statements."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

import schemas
from api.services import converters
from api.services.errors import NotFoundError
from api.services.filters import StatementFilters, statement_conditions
from api.services.paging import Slice, SortKey, Window, in_window, make_slice, split_window
from api.services.ranked_search import ranked_hits
from api.services.search import (
    SearchQuery,
    apply_search,
    highlight,
    page_snippets,
    parse_search,
)
from api.services.snippets import text_snippets
from api.services.statement_documents import decode_statement
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimStatementRow,
    StatementDocumentRow,
    StatementRow,
)
from api.storage.text_index import TextIndexHandle


class StatementSort(enum.StrEnum):
    """The order of a statement listing."""

    RELEVANCE = "relevance"  # best match first (needs a search), then id
    DATE = "date"  # statement date, newest first, undated last; then id
    ID = "id"  # id order: the order statements were stored in


def default_sort(search: SearchQuery | None) -> StatementSort:
    """Relevance when searching, id order otherwise."""
    return StatementSort.RELEVANCE if search is not None else StatementSort.ID


def statement_query() -> Select[StatementRow]:
    """SELECT statements with everything the Statement schema needs, minus article texts.

    Article, outlet and speaker are joined (many-to-one, so LIMIT stays correct); credits
    come in one batched SELECT ... IN. The article's full text is never part of a
    statement, and raiseload turns an accidental access into an error rather than a
    hidden query per row.
    """
    return select(StatementRow).options(
        joinedload(StatementRow.article).defer(ArticleRow.text, raiseload=True),
        # A statement names its speaker; the aliases are the actor page's, and loading
        # them was one more query for every statement read.
        joinedload(StatementRow.speaker).raiseload(ActorRow.aliases),
    )


def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _by_id(query: Select[Any], window: Window) -> Select[Any]:
    return in_window(query, StatementRow.id, window)


def _by_date(query: Select[Any], window: Window) -> Select[Any]:
    """Newest first, undated last, ties by id; after the (date, id) of ``window``."""
    date = StatementRow.statement_date
    if window.after_id is not None:
        if window.after_key is None:
            query = query.where(date.is_(None), StatementRow.id > window.after_id)
        elif isinstance(window.after_key, int):
            after = dt.date.fromordinal(window.after_key)
            query = query.where(
                or_(
                    date < after,
                    and_(date == after, StatementRow.id > window.after_id),
                    date.is_(None),
                )
            )
        else:
            raise ValueError("a date window needs the date ordinal it continues after")
    return query.order_by(date.desc().nulls_last(), StatementRow.id).limit(window.limit + 1)


def _date_key(date: dt.date | None) -> SortKey:
    return date.toordinal() if date is not None else None


def page_query() -> Select[int, dt.date | None, bytes | None]:
    """A listing's columns: the id and date it is ordered by, and the stored document."""
    return select(
        StatementRow.id, StatementRow.statement_date, StatementDocumentRow.body
    ).outerjoin(StatementDocumentRow, StatementDocumentRow.statement_id == StatementRow.id)


class StatementService:
    def __init__(self, session: AsyncSession, text_index: TextIndexHandle | None = None) -> None:
        self._session = session
        self._text_index = text_index

    async def page(
        self,
        filters: StatementFilters,
        window: Window,
        sort: StatementSort = StatementSort.ID,
    ) -> Slice[schemas.Statement]:
        """One page of the statements matching ``filters``, in ``sort`` order.

        ``filters.q`` is parsed with ``parse_search`` (InvalidSearchError when it has
        nothing to search for). With a search every item carries its snippet, whatever
        the order. The HTTP layer picks the order (``default_sort``: relevance when
        searching); exports keep the id order.
        """
        search = parse_search(filters.q)
        dialect = dialect_name(self._session)
        if sort is StatementSort.RELEVANCE:
            if search is None:
                raise ValueError("sorting by relevance needs a search")
            return await self._ranked_page(filters, search, window)
        query: Select[*tuple[Any, ...]] = page_query().where(*statement_conditions(filters))
        if search is not None:
            query = apply_search(query, search, dialect).query
        query = _by_date(query, window) if sort is StatementSort.DATE else _by_id(query, window)
        result = (await self._session.execute(query)).all()
        entries, has_more = split_window(result, window)
        items = await self._items([(entry.id, entry.body) for entry in entries], search)
        if not entries:
            return make_slice(items, has_more, None)
        last = entries[-1]
        key = _date_key(last.statement_date) if sort is StatementSort.DATE else None
        return make_slice(items, has_more, last.id, key)

    async def _ranked_page(
        self, filters: StatementFilters, search: SearchQuery, window: Window
    ) -> Slice[schemas.Statement]:
        """Best first: of all matches with the text index, else of the newest
        (``api.services.ranked_search``)."""
        ranking = await ranked_hits(
            self._session,
            search,
            statement_conditions(filters),
            dialect_name(self._session),
            self._text_index,
        )
        hits = ranking.hits
        if window.after_id is not None:
            if not isinstance(window.after_key, float):
                raise ValueError("a relevance window needs the score it continues after")
            after = (window.after_key, window.after_id)
            hits = [hit for hit in hits if (hit.score, hit.statement_id) > after]
        page, has_more = split_window(hits, window)
        ids = [hit.statement_id for hit in page]
        stored = await self._session.execute(
            select(StatementDocumentRow.statement_id, StatementDocumentRow.body).where(
                StatementDocumentRow.statement_id.in_(ids)
            )
        )
        bodies = {statement_id: body for statement_id, body in stored}
        entries = [(i, bodies.get(i)) for i in ids]
        items = await self._items(entries, search, scattered=ranking.from_text_index)
        if not page:
            return make_slice(items, has_more, None)
        return make_slice(items, has_more, page[-1].statement_id, page[-1].score)

    async def _items(
        self,
        entries: Sequence[tuple[int, bytes | None]],
        search: SearchQuery | None,
        *,
        scattered: bool = False,
    ) -> list[schemas.Statement]:
        """The statements of ``entries`` (id, stored document) in their order.

        A document is decoded (microseconds); a statement without one is loaded from
        the tables. With a search, each gets its snippet: from the engine for neighbouring
        matches, cut from the text when ``scattered`` (ranked by the text index).
        """
        items = {i: decode_statement(body) for i, body in entries if body is not None}
        missing = [i for i, body in entries if body is None]
        if missing:
            loaded = await self._session.scalars(
                statement_query().where(StatementRow.id.in_(missing))
            )
            rows = loaded.all()
            items.update(zip((row.id for row in rows), await self.convert(rows), strict=True))
        found = [items[i] for i, _ in entries if i in items]  # skips rows deleted meanwhile
        if search is None or not found:
            return found
        if scattered:
            raw = text_snippets(search, {item.id: item.text for item in found})
        else:
            dialect = dialect_name(self._session)
            raw = await page_snippets(self._session, search, [item.id for item in found], dialect)
        return [
            msgspec.structs.replace(item, snippet=highlight(raw.get(item.id), item.text))
            for item in found
        ]

    async def get(self, statement_id: int) -> schemas.Statement:
        """One statement in one query: its credits and its claim joined in (a statement
        is in at most one claim), where a page loads them in a query each for all rows."""
        query = (
            statement_query()
            .options(joinedload(StatementRow.credits))
            .add_columns(ClaimStatementRow.claim_id)
            .outerjoin(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
            .where(StatementRow.id == statement_id)
        )
        row = (await self._session.execute(query)).unique().first()
        if row is None:
            raise NotFoundError("statement", statement_id)
        return converters.statement(row[0], row[1])

    async def convert(
        self, rows: Sequence[StatementRow], snippets: Sequence[str | None] | None = None
    ) -> list[schemas.Statement]:
        """Statement structs for loaded rows, with their claim ids in one extra query.

        ``snippets`` are the search engine's raw snippets, one per row (with a search).
        """
        claim_ids = await self._claim_ids([row.id for row in rows])
        if snippets is None:
            snippets = [None] * len(rows)
        return [
            converters.statement(row, claim_ids.get(row.id), snippet=highlight(raw, row.text))
            for row, raw in zip(rows, snippets, strict=True)
        ]

    async def _claim_ids(self, statement_ids: list[int]) -> dict[int, int]:
        if not statement_ids:
            return {}
        result = await self._session.execute(
            select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_(statement_ids)
            )
        )
        return {statement_id: claim_id for statement_id, claim_id in result}
