"""Snippets cut from a statement's own text, for pages ranked by the text index.

The database engines cut snippets from their indexes (FTS5 ``snippet()``, PostgreSQL
``ts_headline``), which suits a page of neighbouring matches. A page ranked by the
tantivy index holds statements from anywhere in the archive: FTS5 then has to seek
every term's doclist once per statement, about 0.2 ms each for a common word, 10 ms for
a page of 50. The text is already at hand, so the snippet is cut here, by the rules
FTS5 follows, in the same raw form (hits between private-use marks, for
``api.services.search.highlight``):

- words are runs of letters and digits, case- and accent-folded as the index folds them;
- a term hits where its words occur in order, next to each other (the last one maybe a
  prefix);
- a text of at most ``SNIPPET_TOKENS`` words is given whole; a longer one is cut to the
  window of that many words holding the most distinct terms, then the most hits, with
  the hits as near its middle as they can be; without a hit in the text, its start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from api.services.ranked_search import fold, folded_words
from api.services.search import HIT_END, HIT_START, SNIPPET_TOKENS, SearchQuery, Term

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class _Hit:
    first: int  # word positions, inclusive
    last: int
    term: int


def _hits(words: Sequence[str], terms: Sequence[Term]) -> list[_Hit]:
    hits = []
    for index, term in enumerate(terms):
        wanted = list(folded_words(term))
        if not wanted:
            continue
        *head, last = wanted
        for start in range(len(words) - len(wanted) + 1):
            tail = words[start + len(head)]
            if words[start : start + len(head)] == head and (
                tail == last or (term.prefix and tail.startswith(last))
            ):
                hits.append(_Hit(start, start + len(head), index))
    return hits


def _window(hits: Sequence[_Hit], size: int, span: int) -> int:
    """The first word of the best window of ``span`` words among ``size``."""
    best: tuple[int, int, float] | None = None
    best_start = 0
    for start in range(size - span + 1):
        inside = [hit for hit in hits if hit.first >= start and hit.last < start + span]
        if not inside:
            continue
        middle = sum(hit.first + hit.last for hit in inside) / (2 * len(inside))
        score = (len({hit.term for hit in inside}), len(inside), -abs(start + span / 2 - middle))
        if best is None or score > best:
            best, best_start = score, start
    return best_start


def raw_snippet(text: str, search: SearchQuery, span: int = SNIPPET_TOKENS) -> str:
    """``text`` around the search's hits, with each hit between the raw marks."""
    tokens = list(_WORD.finditer(text))
    words = [fold(token.group()) for token in tokens]
    hits = _hits(words, search.terms)
    first = _window(hits, len(tokens), span) if len(tokens) > span else 0
    last = min(first + span, len(tokens)) - 1
    begin = tokens[first].start() if first > 0 else 0
    end = tokens[last].end() if last < len(tokens) - 1 else len(text)
    marks: dict[int, list[str]] = {}
    covered = -1
    for hit in sorted(hits, key=lambda hit: (hit.first, -hit.last)):
        if hit.first < first or hit.last > last or hit.first <= covered:
            continue  # outside the window, or inside a hit already marked
        marks.setdefault(tokens[hit.first].start(), []).append(HIT_START)
        marks.setdefault(tokens[hit.last].end(), []).insert(0, HIT_END)
        covered = hit.last
    pieces = []
    position = begin
    for offset in sorted(marks):
        pieces += [text[position:offset], *marks[offset]]
        position = offset
    pieces.append(text[position:end])
    return "".join(pieces)


def text_snippets(search: SearchQuery, texts: dict[int, str]) -> dict[int, str]:
    """The raw snippet of each statement's text, by statement id."""
    return {statement_id: raw_snippet(text, search) for statement_id, text in texts.items()}
