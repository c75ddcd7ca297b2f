"""The tantivy index on its own (no database): what a search matches and in what order.

Texts are given folded, as ``api.services.text_index_sync`` hands them over.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.storage import text_index
from api.storage.text_index import (
    IndexedStatement,
    IndexTerm,
    TextIndexHandle,
    TextIndexReader,
    TextIndexUnavailable,
    TextIndexWriter,
)

WEIGHTS = (1.0, 0.5, 0.5)


def statement(
    statement_id: int, text: str, quotes: str = "", speaker: str = ""
) -> IndexedStatement:
    return IndexedStatement(statement_id, text, quotes, speaker)


def write(path: Path, *statements: IndexedStatement) -> None:
    writer = TextIndexWriter(path)
    try:
        writer.add(statements)
        writer.commit()
    finally:
        writer.close()


def ids(reader: TextIndexReader, *terms: IndexTerm, newest: int = 100) -> list[int]:
    return [statement_id for statement_id, _ in reader.best(terms, WEIGHTS, 50, newest)]


def word(*words: str, prefix: bool = False) -> IndexTerm:
    return IndexTerm(tuple(words), prefix)


@pytest.fixture
def reader(tmp_path: Path) -> TextIndexReader:
    write(
        tmp_path,
        statement(1, "the granary stays open", speaker="nadia ostrova"),
        statement(2, "the granary the granary the granary", speaker="ivo petrov"),
        statement(3, "ukraine needs guarantees", "security guarantees", "emmanuel macron"),
        statement(4, "ukrainian troops stand ready", speaker="volodymyr zelensky"),
        statement(5, "we stand by ukraine", "stand by ukraine", "keir starmer"),
        statement(6, "open doors stay open", speaker="granary workers"),
    )
    return TextIndexReader(tmp_path)


def test_every_term_must_occur_in_some_field(reader: TextIndexReader) -> None:
    assert sorted(ids(reader, word("granary"))) == [1, 2, 6]  # 6 through its speaker
    assert sorted(ids(reader, word("granary"), word("open"))) == [1, 6]
    assert ids(reader, word("granary"), word("ukraine")) == []
    assert ids(reader, word("macron"), word("guarantees")) == [3]


def test_more_occurrences_rank_higher_and_the_text_outweighs_the_speaker(
    reader: TextIndexReader,
) -> None:
    assert ids(reader, word("granary")) == [2, 1, 6]


def test_a_phrase_needs_its_words_next_to_each_other_in_order(reader: TextIndexReader) -> None:
    assert ids(reader, word("stand", "by", "ukraine")) == [5]
    assert ids(reader, word("ukraine", "by", "stand")) == []
    assert ids(reader, word("granary", "stays")) == [1]


def test_a_prefix_stands_for_the_words_that_start_with_it_each_ranked(
    reader: TextIndexReader,
) -> None:
    assert sorted(ids(reader, word("ukrain", prefix=True))) == [3, 4, 5]
    assert ids(reader, word("stand", "by", "ukr", prefix=True)) == [5]
    assert ids(reader, word("zzz", prefix=True)) == []
    scores = [score for _, score in reader.best([word("ukrain", prefix=True)], WEIGHTS, 10, 9)]
    assert len(set(scores)) > 1  # ranked by BM25, not a constant score


def test_common_terms_together_are_looked_for_among_the_newest_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, *(statement(i, f"common words here {i}") for i in range(1, 41)))
    reader = TextIndexReader(tmp_path)
    both = [word("common"), word("words")]
    assert sorted(ids(reader, *both, newest=40)) == list(range(1, 41))
    monkeypatch.setattr(text_index, "WINDOW_MATCHES", 10)
    assert sorted(ids(reader, *both, newest=40)) == list(range(31, 41))
    # One word alone has a bound of its own, wider: tantivy prunes it by score.
    assert len(ids(reader, word("common"), newest=40)) == 40
    monkeypatch.setattr(text_index, "WORD_WINDOW_MATCHES", 20)
    assert sorted(ids(reader, word("common"), newest=40)) == list(range(21, 41))
    assert ids(reader, word("here"), word("7"), newest=40) == [7]  # rare together: all


def test_a_replaced_statement_is_found_by_its_new_words_only(tmp_path: Path) -> None:
    write(tmp_path, statement(1, "old words"), statement(2, "other words"))
    writer = TextIndexWriter(tmp_path)
    try:
        writer.remove([1, 2])
        writer.add([statement(1, "new words")])
        writer.commit()
    finally:
        writer.close()
    reader = TextIndexReader(tmp_path)
    assert ids(reader, word("old")) == []
    assert ids(reader, word("new")) == [1]
    assert reader.size() == 1


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    writer = TextIndexWriter(tmp_path)
    try:
        with pytest.raises(TextIndexUnavailable, match="being written"):
            TextIndexWriter(tmp_path)
    finally:
        writer.close()
    TextIndexWriter(tmp_path).close()  # released


def test_a_reader_sees_a_later_commit_after_refresh(tmp_path: Path) -> None:
    write(tmp_path, statement(1, "first words"))
    reader = TextIndexReader(tmp_path)
    write(tmp_path, statement(2, "second words"))
    reader.refresh()
    assert sorted(ids(reader, word("words"))) == [1, 2]


def test_the_handle_looks_again_for_an_index_built_after_start(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    with pytest.raises(TextIndexUnavailable):
        TextIndexReader(folder)
    now = [100.0]
    handle = TextIndexHandle(folder, clock=lambda: now[0])
    assert handle.reader() is None
    write(folder, statement(1, "built later"))
    assert handle.reader() is None  # not looked for again at once
    now[0] += TextIndexHandle.RETRY_SECONDS
    reader = handle.reader()
    assert reader is not None and ids(reader, word("later")) == [1]
