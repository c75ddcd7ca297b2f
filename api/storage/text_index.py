"""A tantivy index of the statements, for relevance search over a large archive.

The database's own full-text indexes (FTS5, a GIN ``tsvector``) must score every match
of a query before they can hand out the best one: a word found in most of a million
statements costs tens of milliseconds however few results are wanted. tantivy ranks
with BM25 and skips whole blocks of postings that cannot reach the current top k
(block-max WAND), so a search costs about the same for a rare word and a common one.

The index is a derived copy, never the record: the database says what exists, and a
search answer is always re-read from it. Migration 0016 queues every statement whose
searchable text changes (``text_index_queue``) once the index is switched on
(``text_index_state``); ``api.services.text_index_sync`` applies the queue here.

What is indexed matches the database indexes (``api.services.search``): the statement
text, its quoted fragments and its speaker (canonical name and mention), each folded
by the caller (case and accents) and split into letter-and-digit words by tantivy's
default tokenizer. The caller folds the query's words the same way, so both sides agree
without relying on two implementations of accent folding.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

ID_FIELD = "statement_id"
TEXT_FIELDS = ("text", "quotes", "speaker")
# A single writer thread: the index is written by batch jobs next to spaCy, and one
# thread indexes tens of thousands of statements per second.
WRITER_HEAP_BYTES = 64_000_000
WRITER_THREADS = 1


class TextIndexUnavailable(RuntimeError):
    """The index folder is missing, unreadable, or locked by another writer."""


@dataclass(frozen=True, slots=True)
class IndexedStatement:
    """What the index holds of one statement: folded text per field."""

    statement_id: int
    text: str
    quotes: str
    speaker: str


@dataclass(frozen=True, slots=True)
class IndexTerm:
    """Folded words that must occur in this order, next to each other; the last word
    may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Signed: tantivy's Python binding deletes by an integer term as i64.
    builder.add_integer_field(ID_FIELD, stored=False, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="default")
    return builder.build()


SCHEMA = _schema()


def index_exists(path: Path) -> bool:
    return path.is_dir() and bool(tantivy.Index.exists(str(path)))


def open_index(path: Path, *, create: bool = False) -> tantivy.Index:
    """The index in ``path``; with ``create``, a new empty one when there is none."""
    if not create and not index_exists(path):
        raise TextIndexUnavailable(f"no search index in {path}")
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        return tantivy.Index(SCHEMA, path=str(path), reuse=True)
    except (OSError, ValueError) as exc:
        raise TextIndexUnavailable(f"cannot open the search index in {path}: {exc}") from exc


# A prefix stands for at most this many words, the most frequent that start with it:
# ``ukrain*`` means "Ukraine" and "Ukrainian", not the thousand words behind ``u*``.
PREFIX_EXPANSIONS = 64
# Terms that must all occur are matched by walking every statement that holds them
# all: tantivy prunes by score only for a single word or a choice of words. When two
# or three common words are expected together in more than this many statements, the
# search looks among the newest statements that hold about this many of them (the bound
# the database search makes with its newest matches, fifty times wider): two words in
# 20 % of a million statements would otherwise cost 20-40 ms.
WINDOW_MATCHES = 5_000
# One word alone is pruned by score, yet a word found in most statements (a stop word,
# in effect) still costs 4-6 ms at a million: block-max pruning gains little where
# nearly every statement scores alike. Beyond this many matches, the newest that hold
# about this many of them.
WORD_WINDOW_MATCHES = 50_000


def _expansions(searcher: tantivy.Searcher, field: str, prefix: str) -> list[tuple[str, int]]:
    return [
        (str(word), int(count))
        for word, count in searcher.terms_with_prefix(field, prefix, limit=PREFIX_EXPANSIONS)
    ]


def _field_query(searcher: tantivy.Searcher, field: str, term: IndexTerm) -> tantivy.Query:
    words: list[str | tuple[int, str]] = list(term.words)
    if term.prefix and len(words) == 1:
        # tantivy scores a prefix query as a constant; as the words it stands for, each
        # is ranked by BM25 like any other word.
        expansions = _expansions(searcher, field, term.words[0])
        if not expansions:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, _word_query(field, word)) for word, _ in expansions]
        )
    if term.prefix:
        return tantivy.Query.phrase_prefix_query(SCHEMA, field, words)
    if len(words) == 1:
        return _word_query(field, term.words[0])
    return tantivy.Query.phrase_query(SCHEMA, field, words)


def _word_query(field: str, word: str) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, field, word, index_option="freq")


def _term_query(
    searcher: tantivy.Searcher, term: IndexTerm, weights: Sequence[float]
) -> tantivy.Query:
    """The term in any field, each field's BM25 counted by its weight."""
    alternatives = []
    for field, weight in zip(TEXT_FIELDS, weights, strict=True):
        query = _field_query(searcher, field, term)
        if weight != 1.0:
            query = tantivy.Query.boost_query(query, weight)
        alternatives.append((tantivy.Occur.Should, query))
    return tantivy.Query.boolean_query(alternatives)


def _term_matches(searcher: tantivy.Searcher, term: IndexTerm) -> int:
    """About how many statements' text holds the term (at most its rarest word's count)."""
    counts = [searcher.doc_freq(TEXT_FIELDS[0], word) for word in term.words[:-1]]
    last = term.words[-1]
    if term.prefix:
        counts.append(sum(count for _, count in _expansions(searcher, TEXT_FIELDS[0], last)))
    else:
        counts.append(searcher.doc_freq(TEXT_FIELDS[0], last))
    return min(counts)


def expected_matches(searcher: tantivy.Searcher, terms: Sequence[IndexTerm], size: int) -> float:
    """Statements expected to hold every term, were the terms independent."""
    expected = float(size)
    for term in terms:
        expected *= _term_matches(searcher, term) / max(size, 1)
    return expected


def build_query(
    searcher: tantivy.Searcher,
    terms: Sequence[IndexTerm],
    weights: Sequence[float],
    newest_id: int,
) -> tantivy.Query:
    """Every term must occur in some field; among the newest statements only when the
    terms are common (see ``WINDOW_MATCHES`` and ``WORD_WINDOW_MATCHES``)."""
    size = int(searcher.num_docs)
    expected = expected_matches(searcher, terms, size)
    if len(terms) == 1 and not terms[0].prefix and len(terms[0].words) == 1:
        query = _term_query(searcher, terms[0], weights)
        bound = WORD_WINDOW_MATCHES
    else:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, _term_query(searcher, term, weights)) for term in terms]
        )
        bound = WINDOW_MATCHES
    if expected <= bound:
        return query
    window = max(int(newest_id * bound / expected), 1)
    newest = tantivy.Query.range_query(
        SCHEMA, ID_FIELD, tantivy.FieldType.Integer, newest_id - window + 1, None
    )
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, newest)])


class TextIndexReader:
    """Searches an index another process writes; ``refresh`` sees its latest commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._index = open_index(path)

    def refresh(self) -> None:
        self._index.reload()

    def best(
        self, terms: Sequence[IndexTerm], weights: Sequence[float], limit: int, newest_id: int
    ) -> list[tuple[int, float]]:
        """The ``limit`` best (statement id, BM25 score) pairs, best first: statements
        where every term occurs, in any of the fields (weighted as ``weights``).
        ``newest_id`` is the database's newest statement id (see ``WINDOW_MATCHES``)."""
        searcher = self._index.searcher()
        query = build_query(searcher, terms, weights, newest_id)
        hits = searcher.search(query, limit=limit, count=False).hits
        if not hits:
            return []
        ids = searcher.fast_field_values(ID_FIELD, [address for _, address in hits])
        return [
            (int(statement_id), float(score))
            for (score, _), statement_id in zip(hits, ids, strict=True)
            if statement_id is not None
        ]

    def size(self) -> int:
        return int(self._index.searcher().num_docs)


class TextIndexWriter:
    """The index's single writer (tantivy locks the folder against a second one)."""

    def __init__(self, path: Path) -> None:
        self._index = open_index(path, create=True)
        try:
            self._writer = self._index.writer(WRITER_HEAP_BYTES, WRITER_THREADS)
        except ValueError as exc:
            raise TextIndexUnavailable(f"the search index in {path} is being written") from exc

    def size(self) -> int:
        """Documents in the index as last committed."""
        self._index.reload()
        return int(self._index.searcher().num_docs)

    def clear(self) -> None:
        self._writer.delete_all_documents()

    def remove(self, statement_ids: Iterable[int]) -> None:
        for statement_id in statement_ids:
            self._writer.delete_documents_by_term(ID_FIELD, statement_id)

    def add(self, statements: Iterable[IndexedStatement]) -> None:
        for statement in statements:
            document = tantivy.Document()
            document.add_integer(ID_FIELD, statement.statement_id)
            document.add_text("text", statement.text)
            document.add_text("quotes", statement.quotes)
            document.add_text("speaker", statement.speaker)
            self._writer.add_document(document)

    def commit(self) -> None:
        self._writer.commit()

    def close(self) -> None:
        """Release the lock (after a commit, or dropping what was not committed)."""
        self._writer.rollback()
        self._writer.wait_merging_threads()


class TextIndexHandle:
    """The API's index: opened on first use, and looked for again every few seconds
    while the folder holds none yet (``statements index`` may build it after start)."""

    RETRY_SECONDS = 5.0

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._clock = clock
        self._reader: TextIndexReader | None = None
        self._next_attempt = 0.0

    def reader(self) -> TextIndexReader | None:
        if self._reader is None and self._clock() >= self._next_attempt:
            try:
                self._reader = TextIndexReader(self.path)
            except TextIndexUnavailable:
                self._next_attempt = self._clock() + self.RETRY_SECONDS
        return self._reader
