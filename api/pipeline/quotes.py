"""Quotation spans in article text, found on characters before any parsing.

Quote marks are paired per paragraph: curly double (“ ”), straight double ("), doubled
apostrophes (''), and single quotes (‘ ’ or ') when they are not apostrophes. Single
quotes nested inside a double quote belong to it. A double quote left open at the end
of a paragraph runs to the paragraph's end (the convention for quotes spanning several
paragraphs).
"""

from __future__ import annotations

import re

import msgspec

# Two apostrophes for a double quote mark: the New York Times archive writes them so.
DOUBLED = "''"
_PARAGRAPH = re.compile(r"[^\n]+")
_OPENERS_BEFORE = " \t\n([{—–-/"


class QuoteSpan(msgspec.Struct, frozen=True):
    """``outer`` includes the marks; ``inner`` is the verbatim quoted words."""

    outer_start: int
    inner_start: int
    inner_end: int
    outer_end: int


def find_quotes(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    for paragraph in _PARAGRAPH.finditer(text):
        spans.extend(_paragraph_quotes(text, paragraph.start(), paragraph.end()))
    return spans


def _is_opening_single(text: str, i: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPENERS_BEFORE + '"“' and after.isalnum()


def _is_closing_single(text: str, i: int, end: int) -> bool:
    before = text[i - 1]
    after = text[i + 1] if i + 1 < end else " "
    # "Russia's" and "leaders'" are apostrophes: a closing quote is followed by a
    # boundary and the quote it closes was opened (checked by the caller).
    return not before.isspace() and (after.isspace() or after in '.,;:!?)”"—–')


def _paragraph_quotes(text: str, start: int, end: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    i = start
    while i < end:
        ch = text[i]
        if text.startswith(DOUBLED, i) and _is_opening_double(text, i, start):
            close = text.find(DOUBLED, i + 2, end)
            if close == -1:
                spans.append(_make(text, i, i + 2, end, end))
                break
            spans.append(_make(text, i, i + 2, close, close + 2))
            i = close + 2
            continue
        if ch == "“" or (ch == '"' and _is_opening_double(text, i, start)):
            closer = "”" if ch == "“" else '"'
            close = text.find(closer, i + 1, end)
            if close == -1:
                # Mixed marks: “..." or "...” (an outlet's typesetting, or a copy-edit).
                close = text.find('"' if ch == "“" else "”", i + 1, end)
            if close == -1:
                spans.append(_make(text, i, i + 1, end, end))
                break
            spans.append(_make(text, i, i + 1, close, close + 1))
            i = close + 1
            continue
        if ch in "‘'" and _is_opening_single(text, i, start):
            close = _find_single_close(text, i + 1, end, "’" if ch == "‘" else "'")
            if close != -1:
                spans.append(_make(text, i, i + 1, close, close + 1))
                i = close + 1
                continue
        i += 1
    return [span for span in spans if span.inner_end > span.inner_start]


def _is_opening_double(text: str, i: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    return before in _OPENERS_BEFORE or before in "‘'"


def _find_single_close(text: str, i: int, end: int, closer: str) -> int:
    while i < end:
        if text[i] == closer and _is_closing_single(text, i, end):
            return i
        if text[i] in '“"':
            return -1  # a double quote starts: this single mark was an apostrophe
        i += 1
    return -1


def _make(
    text: str, outer_start: int, inner_start: int, inner_end: int, outer_end: int
) -> QuoteSpan:
    # Trim spaces inside the marks and the comma that stands in for a full stop
    # ("... concrete content,” he said): the quoted words stay verbatim.
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    return QuoteSpan(outer_start, inner_start, inner_end, outer_end)


def is_heading_quote(text: str, span: QuoteSpan) -> bool:
    """A paragraph that is only a short quote without a full stop is a section heading."""
    line_start = text.rfind("\n", 0, span.outer_start) + 1
    line_end = text.find("\n", span.outer_end)
    line_end = len(text) if line_end == -1 else line_end
    if text[line_start : span.outer_start].strip() or text[span.outer_end : line_end].strip():
        return False
    words = text[span.inner_start : span.inner_end].split()
    return len(words) <= 6 and text[span.inner_end - 1] not in ".!?"
