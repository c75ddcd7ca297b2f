"""Ranked full-text search over statements: the user's text, made safe for each engine.

What is searched: the statement text, its quoted fragments and its speaker (the actor's
name and the mention as the article wrote it). The index is built by migration 0003 and
kept in step by triggers (see ``api.services.search_index``).

The search language is deliberately small, and the same on both engines:

- words: every word must occur (AND), anywhere in the statement, case-insensitively;
- ``"exact words"``: the words in this order, next to each other (a phrase); an
  unbalanced quote runs to the end of the text;
- ``word*``: a prefix (``ukrain*`` finds "Ukraine" and "Ukrainian").

A word is a run of letters and digits; anything else (punctuation, ``-``, ``_``,
emoji, operators such as ``AND``/``OR``/``NOT``/``NEAR``, parentheses, quotes inside
words) only separates words or is searched as a plain word: nothing the user types is
ever interpreted as engine syntax. ``foo-bar`` is the phrase ``"foo bar"``. Control
and format characters are removed first. Text with no word at all is an
``InvalidSearchError`` (a 400); blank text is no search.

Each engine gets a query built only from those words:

- SQLite FTS5: every term becomes a double-quoted string (``"stand by ukraine"``,
  ``"ukrain" *``), so FTS5 operators and column filters can never appear; terms are
  ANDed by juxtaposition. Ranked by BM25 (text 1.0, quotes and speaker 0.5).
- PostgreSQL: plain words and phrases go, each double-quoted, through
  ``websearch_to_tsquery('simple', ...)`` (which never raises on its input); each
  prefix term becomes ``to_tsquery('simple', 'w1 <-> w2:*')`` from the same
  letters-and-digits words, so no tsquery operator can be smuggled in; the parts are
  ANDed with ``&&``. Ranked by ``ts_rank`` (normalised by document length).

Relevance ranks the newest matches only (``api.services.ranked_search``: why, and how).
Scores are "lower is better" on both engines (bm25 is negative; ``-ts_rank`` is used).

Snippets: the statement text around the hits, with each hit wrapped in
``<mark>…</mark>``. The snippet is an HTML fragment: the text is HTML-escaped (``&``,
``<``, ``>``), so the only tags in it are the marks. ``…`` marks text cut at either
end. When only the speaker (or a quote outside the text) matched, the snippet is the
start of the text without marks.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    Text,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.search_index import FTS_TABLE, VECTOR_COLUMN
from api.storage.models import StatementRow

MAX_WORDS = 32
# FTS5 snippet length in tokens; ts_headline's MaxWords/MinWords.
SNIPPET_TOKENS = 24
SNIPPET_MIN_WORDS = 12
# bm25 weights of the FTS5 columns text, quotes, speaker.
FTS5_WEIGHTS = (1.0, 0.5, 0.5)
PG_CONFIG = "simple"

# Private-use characters mark the hits in the engines' output; they are replaced by
# <mark> and </mark> after the rest of the snippet has been HTML-escaped.
HIT_START = "\ue000"
HIT_END = "\ue001"
MARK_START = "<mark>"
MARK_END = "</mark>"
ELLIPSIS = "…"

_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile(f"([{HIT_START}{HIT_END}])")
# A hit ending where the next one starts (FTS5 marks a phrase as one hit, PostgreSQL
# marks its words one by one): merged, so both engines mark "stand by Ukraine" alike.
_ADJACENT_HITS = re.compile(f"{HIT_END}(\\s+){HIT_START}")


class InvalidSearchError(ValueError):
    """The search text has nothing to search for, or too much."""


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must occur in this order, next to each other; the last maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        # Words are letters and digits only: no quote to escape, no operator to hide.
        return '"' + " ".join(self.words) + '"' + (" *" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def plain_terms(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.prefix)

    @property
    def prefix_terms(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.prefix)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: quoted terms, ANDed."""
        return " ".join(term.fts5() for term in self.terms)

    def fingerprint(self) -> bytes:
        """A short digest of the query, so a ranked cursor is only reused with its query."""
        return hashlib.blake2b(self.fts5().encode("utf-8"), digest_size=8).digest()


def _clean(text: str) -> str:
    """NFKC, with control, format, surrogate, private-use and unassigned characters as spaces."""
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c).startswith("C") else c for c in normalised)


def _bare_terms(segment: str) -> list[Term]:
    terms = []
    for raw in segment.split():
        matches = list(_WORD.finditer(raw))
        if not matches:
            continue
        last_end = matches[-1].end()
        prefix = raw[last_end : last_end + 1] == "*"
        terms.append(Term(tuple(m.group() for m in matches), prefix=prefix))
    return terms


def parse_search(q: str | None) -> SearchQuery | None:
    """The search in ``q``; None when ``q`` is absent or blank.

    Raises InvalidSearchError when ``q`` has characters but no word, or too many words.
    """
    if q is None:
        return None
    text = _clean(q)
    if not text.strip():
        return None
    terms: list[Term] = []
    # Even segments are outside quotes, odd ones inside; an unbalanced quote's phrase
    # simply runs to the end.
    for index, segment in enumerate(text.split('"')):
        if index % 2:
            words = tuple(_WORD.findall(segment))
            if words:
                terms.append(Term(words))
        else:
            terms.extend(_bare_terms(segment))
    if not terms:
        raise InvalidSearchError("no words to search for: use letters or digits")
    if sum(len(term.words) for term in terms) > MAX_WORDS:
        raise InvalidSearchError(f"too many words: at most {MAX_WORDS}")
    return SearchQuery(tuple(terms))


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """A statements query restricted to the search's hits (no rank, no snippet: those
    are computed for the rows of one page only, see ``ranked_search`` and
    ``page_snippets``)."""

    query: Select[Any]


def apply_search(query: Select[Any], search: SearchQuery, dialect: str) -> SearchMatch:
    """Restrict ``query`` (over StatementRow) to the search's hits."""
    if dialect == "postgresql":
        vector, tsquery = pg_match(search)
        return SearchMatch(query.where(vector.bool_op("@@")(tsquery)))
    fts = table(FTS_TABLE, column("rowid", Integer))
    hits = select(fts.c.rowid).where(_fts_match(search))
    return SearchMatch(query.where(StatementRow.id.in_(hits)))


def _fts_match(search: SearchQuery) -> ColumnElement[bool]:
    # MATCH and the auxiliary functions take the table itself as their first operand.
    return literal_column(FTS_TABLE).op("MATCH")(search.fts5())


def _config() -> ColumnElement[Any]:
    return cast(PG_CONFIG, postgresql.REGCONFIG)


def _tsquery(search: SearchQuery) -> ColumnElement[Any]:
    parts: list[ColumnElement[Any]] = []
    plain = search.plain_terms
    if plain:
        phrases = " ".join('"' + " ".join(term.words) + '"' for term in plain)
        parts.append(func.websearch_to_tsquery(_config(), phrases, type_=postgresql.TSQUERY))
    for term in search.prefix_terms:
        *head, last = term.words
        text = " <-> ".join([*head, f"{last}:*"])
        parts.append(func.to_tsquery(_config(), text, type_=postgresql.TSQUERY))
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&", return_type=postgresql.TSQUERY)(part)
    return combined


def pg_match(search: SearchQuery) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """PostgreSQL's ``search_vector`` column and the search as a tsquery."""
    vector = literal_column(f"{StatementRow.__tablename__}.{VECTOR_COLUMN}", postgresql.TSVECTOR)
    return vector, _tsquery(search)


def pg_score(search: SearchQuery) -> ColumnElement[float]:
    """``-ts_rank`` (normalised by length): lower is better, as bm25."""
    vector, tsquery = pg_match(search)
    # ts_rank is a real; as a double it survives the cursor's round trip exactly.
    rank = type_coerce(func.ts_rank(vector, tsquery, 1), Float)
    return (-rank).cast(postgresql.DOUBLE_PRECISION)


async def page_snippets(
    session: AsyncSession, search: SearchQuery, statement_ids: Sequence[int], dialect: str
) -> dict[int, str]:
    """The engine's raw snippet of each statement of one page (for ``highlight``).

    For a page of neighbouring matches; a page ranked by the text index is cut from the
    texts themselves (``api.services.snippets``).
    """
    if not statement_ids:
        return {}
    if dialect == "postgresql":
        _, tsquery = pg_match(search)
        options = (
            f'StartSel="{HIT_START}", StopSel="{HIT_END}", '
            f"MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_MIN_WORDS}"
        )
        snippet = func.ts_headline(_config(), StatementRow.text, tsquery, options, type_=Text)
        query = select(StatementRow.id, snippet).where(StatementRow.id.in_(statement_ids))
    else:
        fts = table(FTS_TABLE, column("rowid", Integer))
        fts_ref: ColumnElement[Any] = literal_column(FTS_TABLE)
        snippet = func.snippet(fts_ref, 0, HIT_START, HIT_END, "", SNIPPET_TOKENS)
        # FTS5 reads only the range's stretch of each doclist. Handed the IN list itself
        # it runs the search once per id, ten times slower: ``rowid + 0`` keeps the list
        # a plain filter over the range's rows.
        query = select(fts.c.rowid, snippet).where(
            _fts_match(search),
            fts.c.rowid.between(min(statement_ids), max(statement_ids)),
            (fts.c.rowid + 0).in_(statement_ids),
        )
    return {int(row[0]): row[1] for row in await session.execute(query)}


def highlight(raw: str | None, text: str) -> str | None:
    """The engine's snippet of ``text`` as safe HTML with <mark> hits and … at cuts."""
    if raw is None:
        return None
    raw = _ADJACENT_HITS.sub(lambda m: m.group(1), raw)
    plain = _MARKS.sub("", raw)
    parts: list[str] = []
    open_hit = False
    for piece in _MARKS.split(raw):
        if piece == HIT_START:
            if not open_hit:
                parts.append(MARK_START)
                open_hit = True
        elif piece == HIT_END:
            if open_hit:
                parts.append(MARK_END)
                open_hit = False
        elif piece:
            parts.append(html.escape(piece, quote=False))
    if open_hit:
        parts.append(MARK_END)
    body = "".join(parts)
    start = text.find(plain) if plain else -1
    if start == -1:
        return body
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if start + len(plain) < len(text) else ""
    return lead + body + tail
