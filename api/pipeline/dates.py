"""When a statement was made: a day-precise date near its cue, resolved against publication.

Rules, and why:

* Only the sentence(s) holding the cue are searched (the sentence holding the content when
  there is no cue): a date in a neighbouring sentence belongs to another event.
* The statement's own content is skipped: a date inside the quote ("we will meet on
  Friday") is what the speaker talks about, not when they spoke.
* Candidates are spaCy DATE entities plus the day-precise expressions found by the pattern
  below, which also catches what the tagger misses or labels TIME ("last night"). A match
  inside another kind of entity ("the Sunday Times", "Super Tuesday") or a paper's title
  ("the Mail on Sunday") is a name, and "Tuesday's vote" dates the vote, so neither counts.
* The candidate whose head chain reaches the cue in the fewest steps wins: syntax says what
  "said" is modified by. If that candidate is vague ("said last week", "in 2017") the
  answer is None rather than some other date of the sentence. With nothing attached, the
  day-precise candidate nearest the cue (or content) is taken.
* Only day-precise expressions resolve: weekdays, today/yesterday/tonight/last night/this
  morning, explicit dates. News speaks of the past, so a weekday is the latest such day on
  or before publication, and a year-less date takes the publication year unless that lands
  over a month after it (then the previous year). A date after publication is rejected,
  except a full date with its year, which says exactly what it means; without a publication
  date only those resolve.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import NamedTuple

import dateparser
import msgspec
from spacy.tokens import Doc

_WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DAY = r"[1-3]?\d(?:st|nd|rd|th)?"
_PART = r"morning|afternoon|evening|night"
# Names are matched capitalised only ("may", "march" are words); the leading "on" is part
# of the expression as written. Each alternative has a named group, the part dateparser reads.
_EXPRESSION = re.compile(
    rf"""\b(?:(?i:on)\s+)?(?:
      (?:(?:{_WEEKDAY}),?\s+)?(?P<explicit>
        (?:{_MONTH})\s+{_DAY}(?:,?\s+(?P<year1>\d{{4}}))?
        |(?:the\s+)?{_DAY}\s+(?:of\s+)?(?:{_MONTH})(?:,?\s+(?P<year2>\d{{4}}))?
        |(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))
      |(?:(?i:early|late)\s+)?(?P<weekday>{_WEEKDAY})(?:\s+(?i:{_PART}))?
      |(?P<deictic>(?i:(?:(?:early|late|earlier)\s+)?(?:today|yesterday)(?:\s+(?:{_PART}))?
        |tonight|last\s+night|this\s+(?:morning|afternoon|evening)))
    )(?!\w|['’]s\b)""",
    re.VERBOSE,
)
_TITLES = re.compile(r"\b(?:Mail|Independent)\s+on\s+Sunday\b")
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL"}
_LATEST_YEARLESS = dt.timedelta(days=31)


class StatementDate(msgspec.Struct, frozen=True, kw_only=True):
    """The day a statement was made; ``doc.text[start:end] == text``."""

    date: dt.date
    text: str  # the expression exactly as written, e.g. "on Tuesday"
    start: int
    end: int


class _Candidate(NamedTuple):
    start: int
    end: int
    match: re.Match[str] | None  # None: a DATE entity with no day-precise expression


class DocDates:
    """What every statement of one Doc searches, read from the Doc once.

    ``doc.ents`` and ``doc.sents`` build new Span objects on every call; an article has
    dozens of statements, and rebuilding them per statement cost more than the search.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # built anew from the tokens on every access: once, not per statement
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self.names = [(start, end) for start, end, label in ents if label not in _NOT_NAMES]
        self.date_ents = [(start, end) for start, end, label in ents if label == "DATE"]
        self.sents: list[tuple[int, int]] | None = None  # None: the Doc is not split
        if doc.has_annotation("SENT_START"):
            self.sents = [(s.start_char, s.end_char) for s in doc.sents]
        self.sent_ends = [end for _, end in self.sents or ()]

    def region(self, span: tuple[int, int]) -> tuple[int, int]:
        """Character bounds of the sentences overlapping ``span`` (the whole Doc if unsplit)."""
        if self.sents is None:
            return 0, len(self.text)
        # Sentences are in order and do not overlap: the first that ends after the span
        # starts, then every one that starts before the span ends.
        first = bisect.bisect_right(self.sent_ends, span[0])
        last = first
        while last < len(self.sents) and self.sents[last][0] < span[1]:
            last += 1
        if last == first:
            return span
        return self.sents[first][0], self.sents[last - 1][1]

    def statement_date(
        self,
        *,
        cue_start: int | None,
        cue_end: int | None,
        content_start: int,
        content_end: int,
        published: dt.date | None,
    ) -> StatementDate | None:
        """The date the statement was made, or None when the text gives no day for it."""
        doc, text = self.doc, self.text
        if isinstance(published, dt.datetime):
            published = published.date()
        cue = (cue_start, cue_end) if cue_start is not None and cue_end is not None else None
        anchor = cue or (content_start, content_end)
        lo, hi = self.region(anchor if cue else (content_start, content_start + 1))

        def usable(start: int, end: int) -> bool:
            outside_content = end <= content_start or start >= content_end
            return lo <= start and end <= hi and outside_content

        blocked = self.names + [m.span() for m in _TITLES.finditer(text, lo, hi)]
        found = [
            _Candidate(m.start(), m.end(), m)
            for m in _EXPRESSION.finditer(text, lo, hi)
            if usable(*m.span()) and not _overlaps_any(m.span(), blocked)
        ]
        found += [
            _Candidate(start, end, None)
            for start, end in self.date_ents
            if usable(start, end)
            and not _overlaps_any((start, end), blocked)
            and not _overlaps_any((start, end), [(c.start, c.end) for c in found])
        ]

        def distance(c: _Candidate) -> int:
            return max(0, anchor[0] - c.end, c.start - anchor[1])

        attached = [(h, distance(c), c) for c in found if (h := _hops(doc, c, cue)) is not None]
        if attached:
            best: _Candidate | None = min(attached, key=lambda t: (t[0], t[1], t[2].start))[2]
        else:
            best = min((c for c in found if c.match), key=distance, default=None)
        if best is None or best.match is None:
            return None
        day = _resolve(best.match, published)
        if day is None:
            return None
        return StatementDate(date=day, text=best.match.group(), start=best.start, end=best.end)


def statement_date(
    doc: Doc,
    *,
    cue_start: int | None,
    cue_end: int | None,
    content_start: int,
    content_end: int,
    published: dt.date | None,
) -> StatementDate | None:
    """The date one statement was made (for several of one Doc, use one ``DocDates``)."""
    return DocDates(doc).statement_date(
        cue_start=cue_start,
        cue_end=cue_end,
        content_start=content_start,
        content_end=content_end,
        published=published,
    )


def _overlaps_any(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _hops(doc: Doc, candidate: _Candidate, cue: tuple[int, int] | None) -> int | None:
    """Fewest head steps from a token of the candidate up to a cue token, if any reach it."""
    if cue is None:
        return None
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None:
        return None
    reached: list[int] = []
    for token in span:
        node = token
        for steps in range(len(doc)):  # bounded: a malformed tree cannot loop forever
            if node.idx < cue[1] and node.idx + len(node) > cue[0]:
                reached.append(steps)
                break
            if node.head.i == node.i:
                break
            node = node.head
    return min(reached, default=None)


def _resolve(match: re.Match[str], published: dt.date | None) -> dt.date | None:
    if match.group("explicit") is not None:
        full = any(match.group(g) for g in ("year1", "year2", "iso"))
        day = _parse(match.group("explicit"), published)
        if full or day is None:
            return day
        if published is None:
            return None
        try:
            day = day.replace(year=published.year)
            if day > published + _LATEST_YEARLESS:
                day = day.replace(year=published.year - 1)
        except ValueError:  # 29 February outside a leap year
            return None
    elif published is None:
        return None
    elif match.group("weekday") is not None:
        day = _parse(match.group("weekday"), published)
        if day is None:
            return None
        # dateparser 1.5 with PREFER_DATES_FROM="past" gives the publication weekday a week
        # early (Wednesday 7 Jan -> 31 Dec); news means that very day. Fold into the week
        # ending on the publication date.
        day = published - dt.timedelta(days=(published - day).days % 7)
    else:
        deictic = match.group("deictic").lower()
        keyword = "yesterday" if "yesterday" in deictic or "last" in deictic else "today"
        day = _parse(keyword, published)
    if day is None or (published is not None and day > published):
        return None
    return day


def _parse(text: str, published: dt.date | None) -> dt.date | None:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None
