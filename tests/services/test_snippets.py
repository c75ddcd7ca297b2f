"""Snippets cut from the statement's text (pages ranked by the text index), against the
snippets FTS5 cuts from its own index."""

from __future__ import annotations

import sqlite3

import pytest

from api.services.search import SNIPPET_TOKENS, highlight, parse_search
from api.services.snippets import raw_snippet

LONG = (
    "Ministers met for hours on Tuesday and discussed grain, fuel, rail links and the "
    "winter ahead, and then the talks turned to the harbour, which must reopen before "
    "the ice comes, as every delegation agreed at the end of a long day of meetings "
    "that left most questions about money and timing open for the next round of talks."
)


def snippet(text: str, q: str) -> str | None:
    search = parse_search(q)
    assert search is not None
    return highlight(raw_snippet(text, search), text)


def fts5_snippet(text: str, q: str) -> str | None:
    search = parse_search(q)
    assert search is not None
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t(text) VALUES (?)", (text,))
    row = db.execute(
        "SELECT snippet(t, 0, char(57344), char(57345), '', ?) FROM t WHERE t MATCH ?",
        (SNIPPET_TOKENS, search.fts5()),
    ).fetchone()
    return highlight(row[0], text) if row else None


@pytest.mark.parametrize(
    ("text", "q"),
    [
        ("The ukulele band played on.", "ukulele"),
        ("Europe will stand by Ukraine whatever happens.", '"stand by ukraine"'),
        ("Ukrainian troops and Ukraine's allies.", "ukrain*"),
        ("The Élysée said so; the ELYSEE agreed.", "elysee"),
        ('Tariffs < 10% & "fair" trade are the goal.', "tariffs"),
        ("Stand by, then stand by Ukraine.", "stand-by-ukr*"),
        ("The lighthouse lighthouse stays dark.", "lighthouse"),
        ("Grain and fuel, grain again.", "grain fuel"),
    ],
)
def test_short_texts_are_marked_as_fts5_marks_them(text: str, q: str) -> None:
    assert snippet(text, q) == fts5_snippet(text, q)


def test_a_long_text_is_cut_around_its_hit() -> None:
    cut = snippet(LONG, "harbour")
    assert cut is not None and cut.startswith("…") and cut.endswith("…")
    plain = cut.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert plain in LONG and len(plain.split()) == SNIPPET_TOKENS
    words = plain.split()
    position = next(i for i, word in enumerate(words) if word.startswith("harbour"))
    assert 6 <= position <= 18  # the hit near the middle, not at an edge


def test_the_window_holds_the_most_distinct_terms() -> None:
    cut = snippet(LONG, "talks money")
    assert cut is not None
    assert "<mark>money</mark>" in cut and "<mark>talks</mark>." in cut


def test_without_a_hit_in_the_text_its_start_unmarked() -> None:
    assert snippet("Security guarantees come first.", "zelensky") == (
        "Security guarantees come first."
    )
    cut = snippet(LONG, "zelensky")
    assert cut is not None and cut.startswith("Ministers met") and cut.endswith("…")
    assert "<mark>" not in cut
