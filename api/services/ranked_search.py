"""Relevance order over a bounded set: the newest ``SEARCH_CANDIDATES`` matches, ranked.

Ranking every match does not scale: a common word matches most of a million
statements, and both engines then score each of them before the first page can be
sent (SQLite's ``bm25`` also counts every match of every term for its IDF). Measured on
a million synthetic statements, one such query took 0.6-0.8 s on SQLite. So a search in
relevance order first takes the newest matches, which both indexes hand out cheaply in
id order and can stop early (FTS5 walks its doclists backwards; PostgreSQL walks the
primary key backwards, or the GIN index when the words are rare), and ranks only those.
A newsroom searching a word that is everywhere wants the best of what is recent; a
rarer search has fewer matches than the bound and is ranked whole, exactly.

Scores stay "lower is better". PostgreSQL ranks the candidates with ``ts_rank`` as
before. SQLite ranks them with the BM25 that FTS5's ``bm25`` computes (same k1, b,
column weights and IDF formula), here in Python over the candidates' indexed columns,
with each term's document count bounded and kept (``DocumentCounts``): that count is
the one expensive part, and it barely moves between writes. Three approximations, all
small beside the bound itself: the number of statements is taken as the newest
statement id, the average length as the candidates' own, and a very common term's
count is estimated from the newest statements.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    column,
    func,
    literal_column,
    select,
)
from sqlalchemy import table as sql_table
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.search import FTS5_WEIGHTS, SearchQuery, Term, pg_match, pg_score
from api.services.search_index import FTS_TABLE
from api.storage.models import DataVersionRow, StatementRow, TextIndexQueueRow, TextIndexStateRow
from api.storage.text_index import IndexTerm, TextIndexHandle

SEARCH_CANDIDATES = 200
# FTS5's own bm25 constants (fts5_aux.c).
K1 = 1.2
B = 0.75
MIN_IDF = 1e-6
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class RankedHit:
    statement_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Ranking:
    hits: list[RankedHit]  # best first
    from_text_index: bool  # the best of all matches, anywhere in the archive


def fold(text: str | None) -> str:
    """Text case- and accent-folded as FTS5's ``unicode61 remove_diacritics 2`` folds it."""
    if not text:
        return ""
    if text.isascii():  # most statements: no diacritics to remove
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(term: Term) -> tuple[str, ...]:
    """A term's words as the indexes hold them: folded, split into letters and digits."""
    return tuple(word for raw in term.words for word in _TOKEN.findall(fold(raw)))


def length(folded: str) -> int:
    """Words in folded text. Counting runs of letters and digits exactly would cost as much
    as the rest of the ranking; spaces come within a few per cent of it, and the length
    only scales BM25's length normalisation."""
    return folded.count(" ") + 1 if folded else 0


@dataclass(frozen=True, slots=True)
class FoldedTerm:
    """A search term as a pattern over folded text: its words in order, next to each
    other (only separators between them), whole words, the last maybe a prefix."""

    pattern: re.Pattern[str]

    @classmethod
    def of(cls, term: Term) -> FoldedTerm:
        words = folded_words(term)
        body = r"[\W_]+".join(re.escape(word) for word in words or term.words)
        tail = r"[^\W_]*" if term.prefix else ""
        return cls(re.compile(rf"(?<![^\W_]){body}{tail}(?![^\W_])"))

    def frequency(self, folded: str) -> int:
        return len(self.pattern.findall(folded)) if folded else 0


@dataclass(frozen=True, slots=True)
class Stamp:
    data_version: int
    corpus_size: int  # the newest statement id: the number of statements, near enough


@dataclass(frozen=True, slots=True)
class _Count:
    value: int
    stamp: Stamp  # when it was counted


class DocumentCounts:
    """Per term, how many statements match it, for BM25's IDF.

    Counting every match of a word found in most of a million statements takes tens of
    milliseconds, and it is the IDF's only input that needs it. So a count is bounded
    and kept: at most ``COUNT_CAP`` matches are counted; a term with more is estimated
    from its share of the newest ``COUNT_CAP`` statements (a common word's IDF is small
    and flat, an estimate within a few per cent moves it little). An exact count is
    kept while the data version stands still; a capped one until the corpus has grown
    by ``1/REUSE_GROWTH`` (a newsroom's writes would otherwise throw the expensive
    counts away every few seconds).
    """

    COUNT_CAP = 20_000
    REUSE_GROWTH = 64

    def __init__(self, max_entries: int = 50_000) -> None:
        self.max_entries = max_entries
        self._counts: OrderedDict[tuple[str, str], _Count] = OrderedDict()

    async def stamp(self, session: AsyncSession) -> Stamp:
        version = select(DataVersionRow.version).where(DataVersionRow.id == 1).scalar_subquery()
        newest = select(func.max(StatementRow.id)).scalar_subquery()
        row = (await session.execute(select(version, newest))).one()
        return Stamp(int(row[0] or 0), int(row[1] or 0))

    def _holds(self, count: _Count, now: Stamp) -> bool:
        if count.stamp.data_version == now.data_version:
            return True
        grown = now.corpus_size - count.stamp.corpus_size
        return count.value >= self.COUNT_CAP and grown * self.REUSE_GROWTH <= now.corpus_size

    async def count(self, session: AsyncSession, term: Term, stamp: Stamp) -> int:
        key = (str(session.get_bind().engine.url), term.fts5())
        cached = self._counts.get(key)
        if cached is not None and self._holds(cached, stamp):
            self._counts.move_to_end(key)
            return cached.value
        value = await self._count(session, term, stamp.corpus_size)
        self._counts[key] = _Count(value, stamp)
        self._counts.move_to_end(key)
        if len(self._counts) > self.max_entries:
            self._counts.popitem(last=False)
        return value

    async def _count(self, session: AsyncSession, term: Term, corpus_size: int) -> int:
        fts = sql_table(FTS_TABLE, column("rowid", Integer))
        match = literal_column(FTS_TABLE).op("MATCH")(term.fts5())
        matches = select(fts.c.rowid).where(match)
        capped = select(func.count()).select_from(matches.limit(self.COUNT_CAP).subquery())
        counted = int(await session.scalar(capped) or 0)
        if counted < self.COUNT_CAP or corpus_size <= self.COUNT_CAP:
            return counted
        newest = matches.where(fts.c.rowid > corpus_size - self.COUNT_CAP).subquery()
        in_newest = int(await session.scalar(select(func.count()).select_from(newest)) or 0)
        return max(self.COUNT_CAP, round(in_newest * corpus_size / self.COUNT_CAP))


DOCUMENT_COUNTS = DocumentCounts()


def bm25(
    terms: Sequence[FoldedTerm],
    columns: Sequence[str],
    idf: Sequence[float],
    average_length: float,
) -> float:
    """FTS5's bm25 of one row (negated: lower is better), from its folded columns."""
    words = sum(length(text) for text in columns)
    norm = K1 * (1 - B + B * words / average_length) if average_length else K1
    score = 0.0
    for term, weight_idf in zip(terms, idf, strict=True):
        frequency = sum(
            weight * term.frequency(text)
            for weight, text in zip(FTS5_WEIGHTS, columns, strict=True)
        )
        score += weight_idf * frequency * (K1 + 1) / (frequency + norm)
    return -score


async def _sqlite_ranked(
    session: AsyncSession, search: SearchQuery, conditions: Sequence[ColumnElement[bool]]
) -> list[RankedHit]:
    fts = sql_table(
        FTS_TABLE,
        column("rowid", Integer),
        column("text", Text),
        column("quotes", Text),
        column("speaker", Text),
    )
    match = literal_column(FTS_TABLE).op("MATCH")(search.fts5())
    query = select(fts.c.rowid, fts.c.text, fts.c.quotes, fts.c.speaker).where(match)
    if conditions:
        query = query.join(StatementRow, StatementRow.id == fts.c.rowid).where(*conditions)
    query = query.order_by(fts.c.rowid.desc()).limit(SEARCH_CANDIDATES)
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    stamp = await DOCUMENT_COUNTS.stamp(session)
    total = max(stamp.corpus_size, 1)
    idf = []
    for term in search.terms:
        matched = await DOCUMENT_COUNTS.count(session, term, stamp)
        idf.append(max(math.log((total - matched + 0.5) / (matched + 0.5)), MIN_IDF))
    folded = [FoldedTerm.of(term) for term in search.terms]
    tokenised = [[fold(row[1]), fold(row[2]), fold(row[3])] for row in rows]
    average = sum(sum(length(c) for c in cols) for cols in tokenised) / len(tokenised)
    hits = [
        RankedHit(int(row[0]), bm25(folded, cols, idf, average))
        for row, cols in zip(rows, tokenised, strict=True)
    ]
    return sorted(hits, key=lambda hit: (hit.score, hit.statement_id))


async def _postgresql_ranked(
    session: AsyncSession, search: SearchQuery, conditions: Sequence[ColumnElement[bool]]
) -> list[RankedHit]:
    vector, tsquery = pg_match(search)
    candidates = (
        select(StatementRow.id)
        .where(vector.bool_op("@@")(tsquery), *conditions)
        .order_by(StatementRow.id.desc())
        .limit(SEARCH_CANDIDATES)
        .subquery("candidates")
    )
    query = select(StatementRow.id, pg_score(search)).join(
        candidates, candidates.c.id == StatementRow.id
    )
    rows: Sequence[Any] = (await session.execute(query)).all()
    hits = [RankedHit(int(row[0]), float(row[1])) for row in rows]
    return sorted(hits, key=lambda hit: (hit.score, hit.statement_id))


def index_terms(search: SearchQuery) -> list[IndexTerm]:
    """The search's terms folded as the text index folds what it indexes."""
    terms = []
    for term in search.terms:
        words = folded_words(term)
        if words:
            terms.append(IndexTerm(words, term.prefix))
    return terms


async def _indexed_newest_id(session: AsyncSession) -> int | None:
    """The newest statement id when the text index holds every statement as it now
    is (switched on, nothing queued); None when the database must answer."""
    row = (
        await session.execute(
            select(
                select(TextIndexStateRow.id).exists(),
                select(TextIndexQueueRow.statement_id).exists(),
                select(func.max(StatementRow.id)).scalar_subquery(),
            )
        )
    ).one()
    switched_on, queued, newest = row
    if not switched_on or queued:
        return None
    return int(newest or 0)


async def ranked_hits(
    session: AsyncSession,
    search: SearchQuery,
    conditions: Sequence[ColumnElement[bool]],
    dialect: str,
    text_index: TextIndexHandle | None = None,
) -> Ranking:
    """The best ``SEARCH_CANDIDATES`` statements matching the search and the filters,
    best first (ties by id).

    With a text index that holds every statement as it now is, and no filter, the best
    of all matches (``api.storage.text_index``); otherwise the newest matches, ranked.
    """
    reader = text_index.reader() if text_index is not None and not conditions else None
    if reader is not None:
        newest_id = await _indexed_newest_id(session)
        if newest_id is not None:
            reader.refresh()  # after the queue was seen empty: its commit is in
            terms = index_terms(search)
            best = reader.best(terms, FTS5_WEIGHTS, SEARCH_CANDIDATES, newest_id) if terms else []
            hits = [RankedHit(statement_id, -score) for statement_id, score in best]
            return Ranking(sorted(hits, key=lambda hit: (hit.score, hit.statement_id)), True)
    if dialect == "postgresql":
        return Ranking(await _postgresql_ranked(session, search, conditions), False)
    return Ranking(await _sqlite_ranked(session, search, conditions), False)
