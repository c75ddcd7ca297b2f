"""Infer an article's title, outlet and publication date from its own text.

clean.py calls these when the feed or manifest left a field empty; a supplied value
always wins. Candidates are found with compiled regexes (fast, predictable) and only
the matched strings are handed to dateparser, whose own text search is slow and noisy.
Site-specific wording lives in data/metadata.toml, never in this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any, NamedTuple

import dateparser
from courlan import normalize_url


class PublishedDate(NamedTuple):
    date: dt.date
    at: dt.datetime | None  # only when the page printed a time of day too


class Dateline(NamedTuple):
    """A date printed as a dateline, with what else the line carried."""

    published: PublishedDate
    outlet: str | None  # an outlet name glued to the date ("January 07, 2026Clash Report")
    remainder: str | None  # the headline or sentence after a date prefix; None: line consumed


# A headline is a short line without sentence-final punctuation; limits in words.
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 30
# A line with this many words ending like a sentence is prose: the lead has begun.
PROSE_MIN_WORDS = 5
# "The first part of the article" searched for prose dates, in characters: about a
# screenful. Later dates are mostly background or announced deadlines.
PROSE_DATE_LEAD_CHARS = 2000
# An outlet glued to a dateline is a name, not a sentence.
OUTLET_MAX_WORDS = 5

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d(?!\d)"  # (?!\d), not \b: the year may be glued to a word
# "14:52", "2:52 pm", and "10.30" as British pages write it.
_TIME = r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?)?"
# A full date: day, month and year. Numeric d/m/y is left out: it is ambiguous.
_DATE_EXPRESSION = rf"""
    (?<![\w-])
    (?:{_WEEKDAY},?\s+)?
    (?:
        (?P<named>{_MONTH}\s+{_DAY},?\s+{_YEAR} | {_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR})
      | (?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)(?:T(?P<iso_time>{_TIME}))?
    )
    (?:,?\s+{_WEEKDAY}(?!\w))?
    (?:(?:,?\s+|\s*[|·•]\s*)(?:at\s+)?(?P<time>{_TIME})(?![\d:]))?
"""
_DATE = re.compile(_DATE_EXPRESSION, re.IGNORECASE | re.VERBOSE)
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["custom-formats", "absolute-time"],  # no relative dates, no timestamps
}
_DATELINE_SEPARATORS = " \t:|·•\u2013\u2014-,"  # en and em dash too
_TIMEZONE_ONLY = re.compile(r"(?:[A-Z]{2,5}|UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?")
_BYLINE = re.compile(r"by\s+\S", re.IGNORECASE)
_OPENING_QUOTES = "\"'“\u2018«„"
_CLOSING_MARKS = "\"'”\u2019»)]"
_LIST_MARKER = re.compile(r"[-\u2013\u2014•*·]\s")
_DOMAIN = re.compile(r"(?:www\.)?(?P<label>[\w-]+)(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)


@functools.cache
def _rules() -> dict[str, Any]:
    source = resources.files("api.pipeline").joinpath("data/metadata.toml").read_text("utf-8")
    return tomllib.loads(source)


@functools.cache
def _dateline_start() -> re.Pattern[str]:
    labels = "|".join(
        re.escape(label).replace(r"\ ", r"\s+") for label in _rules()["dateline"]["labels"]
    )
    return re.compile(
        rf"\s*(?:(?:{labels})\s*:?\s*)?{_DATE_EXPRESSION}", re.IGNORECASE | re.VERBOSE
    )


@functools.cache
def _outlet_prompts() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rule["pattern"], re.IGNORECASE) for rule in _rules()["outlet"])


def _parse_with_dateparser(text: str) -> dt.datetime | None:
    parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return parsed if isinstance(parsed, dt.datetime) else None


def _date_from_match(match: re.Match[str]) -> PublishedDate | None:
    if match["iso"]:
        try:  # ISO dates go to the stdlib: dateparser would swap an invalid month and day
            day = dt.date.fromisoformat(match["iso"])
        except ValueError:
            return None
    else:
        parsed = _parse_with_dateparser(match["named"])
        if parsed is None:  # e.g. "February 30, 2026"
            return None
        day = parsed.date()
    time_text = match["iso_time"] or match["time"]
    # "10.30" -> "10:30": dateparser reads a dotted time as a date fragment.
    time_text = time_text.replace(".", ":", 1) if time_text else None
    at = _parse_with_dateparser(f"{day.isoformat()} {time_text}") if time_text else None
    return PublishedDate(day, at)


def parse_supplied_published(value: str) -> PublishedDate | None:
    """An ISO date or datetime as a feed supplies it; None when it is neither."""
    text = value.strip()
    try:
        return PublishedDate(dt.date.fromisoformat(text), None)
    except ValueError:
        pass
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return PublishedDate(at.date(), at)


def find_dates(text: str) -> list[PublishedDate]:
    """Every full date (day, month, year) written in ``text``, in order of appearance."""
    found = (_date_from_match(match) for match in _DATE.finditer(text))
    return [date for date in found if date is not None]


def looks_like_name(text: str) -> bool:
    """A short proper name ("Clash Report", "Charter97.org"), not a sentence or headline."""
    words = text.split()
    return (
        0 < len(words) <= OUTLET_MAX_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and not re.search(r"[!?;:,]", text)
        and not text.endswith(".")
    )


def read_dateline(line: str) -> Dateline | None:
    """The dateline that ``line`` is or begins with, or None when it has none.

    A line starting with a date followed by a lowercase word is a sentence about that
    date ("January 7, 2026 was ..."), not a dateline.
    """
    match = _dateline_start().match(line)
    if match is None:
        return None
    published = _date_from_match(match)
    if published is None:
        return None
    after = line[match.end() :]
    # Two page elements pasted without a space: "January 07, 2026Clash Report".
    glued = after[:1].isalpha()
    separator = after[: len(after) - len(after.lstrip(_DATELINE_SEPARATORS))].strip()
    rest = after.strip(_DATELINE_SEPARATORS)
    if not rest or _TIMEZONE_ONLY.fullmatch(rest) or _BYLINE.match(rest):
        return Dateline(published, None, None)
    if (glued or separator in {"|", "·", "•"}) and looks_like_name(rest):
        return Dateline(published, rest, None)
    if rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENING_QUOTES:
        return Dateline(published, None, rest)
    return None


def is_prose_sentence(line: str) -> bool:
    return len(line.split()) >= PROSE_MIN_WORDS and line.rstrip(_CLOSING_MARKS)[-1:] in {
        ".",
        "!",
        "?",
        "…",
    }


def is_headline_like(line: str) -> bool:
    """Short, starts like a title, no sentence-final punctuation ('?' allowed)."""
    if not HEADLINE_MIN_WORDS <= len(line.split()) <= HEADLINE_MAX_WORDS:
        return False
    if _LIST_MARKER.match(line) or not (
        line[0].isupper() or line[0].isdigit() or line[0] in _OPENING_QUOTES
    ):
        return False
    last = line.rstrip(_CLOSING_MARKS)[-1:]
    return last not in {".", ",", ";", ":", "!", "…", ""} and any(c.isalpha() for c in line)


def find_headline(lines: Sequence[str]) -> int | None:
    """Index of the first headline-like line before the prose begins, if any."""
    for index, line in enumerate(lines):
        if is_headline_like(line):
            return index
        if is_prose_sentence(line):
            return None
    return None


def latest_prose_date(paragraphs: Iterable[str]) -> PublishedDate | None:
    """The latest full date in the article's first part: it cannot predate what it reports."""
    lead, length = [], 0
    for paragraph in paragraphs:
        if length >= PROSE_DATE_LEAD_CHARS:
            break
        lead.append(paragraph)
        length += len(paragraph)
    dates = find_dates("\n".join(lead))
    return PublishedDate(max(d.date for d in dates), None) if dates else None


def _is_pronoun_site(site: str) -> bool:
    lowered = site.casefold()
    return any(
        lowered == word or lowered.startswith(word + " ")
        for word in _rules()["outlet_rules"]["not_a_site"]
    )


def preferred_spelling(site: str, text: str) -> str:
    """The page's own spelling of a site given as a domain: Charter97.org -> "Charter 97"."""
    domain = _DOMAIN.fullmatch(site)
    if domain is None:
        return site
    letters = [c for c in domain["label"].casefold() if c.isalnum()]
    spaced = re.compile(
        r"(?<!\w)" + r"[\s.-]?".join(map(re.escape, letters)) + r"(?!\w)", re.IGNORECASE
    )
    for match in spaced.finditer(text):
        if any(c.isspace() for c in match[0]):
            return match[0]
    return site


def outlet_from_prompts(lines: Iterable[str], text: str) -> str | None:
    """The site named in its own follow, support or copyright lines."""
    for line in lines:
        for prompt in _outlet_prompts():
            match = prompt.fullmatch(line.rstrip(".!"))
            if match is None:
                continue
            site = match["site"].strip(" .,:;!|-\u2013\u2014")
            if site and not _is_pronoun_site(site):
                return preferred_spelling(site, text)
    return None


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment and case noise (courlan), so the
    same page reached from a newsletter and from a feed is one article."""
    if url is None or not url.strip():
        return None
    try:
        return str(normalize_url(url.strip(), strict=True))
    except (ValueError, AttributeError):  # courlan rejects what it cannot parse
        return url.strip()
