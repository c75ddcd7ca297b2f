"""Turn pasted page text into the article text that every later offset points into.

The output keeps the article's characters as written (no smart quotes, no ASCII
folding); it only drops page clutter, metadata lines and repeats, and lays the text
out as the title followed by paragraphs separated by one blank line.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Sequence
from importlib import resources

from api.pipeline.metadata import (
    Dateline,
    PublishedDate,
    canonical_url,
    find_headline,
    latest_prose_date,
    outlet_from_prompts,
    parse_supplied_published,
    read_dateline,
)
from api.pipeline.types import CleanArticle, RawArticle

# Datelines and headlines sit at the top of a page: only this many non-blank lines
# are read as datelines, so a timeline paragraph deeper down ("March 3, 2025: ...")
# keeps its date.
LEAD_LINES = 10
# Before the headline, lines this short are menu or banner fragments ("Support",
# "the website", "Sim Sim,"): no article prose comes before its own headline.
PREAMBLE_FRAGMENT_MAX_WORDS = 3
# Decoration that pages put around widget labels ("- Advertisement -", "• Share").
_DECORATION = r"[\s\-\u2013\u2014•·*|>_=~]*"  # hyphen, en and em dash, bullets
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# Invisible characters that web pages scatter in text and that break word matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


@functools.cache
def clutter_rules() -> tuple[re.Pattern[str], ...]:
    """The whole-line clutter patterns of data/clutter.toml, compiled once."""
    source = resources.files("api.pipeline").joinpath("data/clutter.toml").read_text("utf-8")
    compiled = []
    for rule in tomllib.loads(source)["rule"]:
        if not rule.get("why"):
            raise ValueError(f"clutter rule without a reason: {rule['pattern']}")
        compiled.append(
            re.compile(f"{_DECORATION}(?:{rule['pattern']}){_DECORATION}:?", re.IGNORECASE)
        )
    return tuple(compiled)


def is_clutter(line: str) -> bool:
    return any(rule.fullmatch(line) for rule in clutter_rules())


def normalise_text(raw: str) -> str:
    """One newline convention, no control or invisible characters, Unicode NFC."""
    text = _LINE_BREAKS.sub("\n", raw).translate(_INVISIBLE)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text)


def _same_text(first: str, second: str) -> bool:
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def take_lead_datelines(lines: Sequence[str]) -> tuple[list[str], list[Dateline]]:
    """Remove dateline lines and date prefixes from the lead; return them as metadata."""
    kept: list[str] = []
    datelines: list[Dateline] = []
    for index, line in enumerate(lines):
        dateline = read_dateline(line) if index < LEAD_LINES else None
        if dateline is None:
            kept.append(line)
            continue
        datelines.append(dateline)
        if dateline.remainder:
            kept.append(dateline.remainder)
    return kept, datelines


def locate_title(lines: Sequence[str], supplied_title: str | None) -> int | None:
    """Index of the title line: the supplied title if the lead prints it, else the headline."""
    if supplied_title:
        for index, line in enumerate(lines[:LEAD_LINES]):
            if _same_text(line, supplied_title):
                return index
    return find_headline(lines)


def drop_preamble_fragments(lines: Sequence[str], title_index: int | None) -> list[str]:
    """Drop very short lines above the headline; keep longer ones (they may be prose)."""
    if title_index is None:
        return list(lines)
    return [
        line
        for index, line in enumerate(lines)
        if index >= title_index or len(line.split()) > PREAMBLE_FRAGMENT_MAX_WORDS
    ]


def arrange_paragraphs(lines: Sequence[str], title: str | None) -> list[str]:
    """Title first, its repeats dropped, runs of an identical paragraph collapsed."""
    paragraphs = [title] if title else []
    for line in lines:
        if title and _same_text(line, title):
            continue  # the page printed its headline twice (title bar and body)
        if paragraphs and _same_text(line, paragraphs[-1]):
            continue
        paragraphs.append(line)
    return paragraphs


def resolve_published(
    supplied: str | None, datelines: Sequence[Dateline], paragraphs: Sequence[str]
) -> tuple[PublishedDate | None, bool]:
    """Supplied date, else the first dateline, else the latest date in the lead prose."""
    parsed = parse_supplied_published(supplied) if supplied else None
    if parsed is not None:
        return parsed, False
    if datelines:
        return datelines[0].published, True
    from_prose = latest_prose_date(paragraphs)
    return from_prose, from_prose is not None


def resolve_outlet(
    supplied: str | None, datelines: Sequence[Dateline], lines: Sequence[str], text: str
) -> tuple[str | None, bool]:
    """Supplied outlet, else one glued to a dateline, else the site named in its prompts."""
    if supplied and supplied.strip():
        return supplied.strip(), False
    glued = next((d.outlet for d in datelines if d.outlet), None)
    inferred = glued or outlet_from_prompts(lines, text)
    return inferred, inferred is not None


def clean_article(raw: RawArticle) -> CleanArticle:
    """Normalised text and resolved metadata of ``raw``; pure and deterministic."""
    normalised = normalise_text(raw.raw_text)
    all_lines = [line for line in (part.strip() for part in normalised.split("\n")) if line]
    lines, datelines = take_lead_datelines(all_lines)
    lines = [line for line in lines if not is_clutter(line)]
    supplied_title = raw.title.strip() if raw.title and raw.title.strip() else None
    title_index = locate_title(lines, supplied_title)
    headline = lines[title_index] if title_index is not None else None
    lines = drop_preamble_fragments(lines, title_index)
    paragraphs = arrange_paragraphs(lines, headline or supplied_title)
    text = "\n\n".join(paragraphs)
    published, published_inferred = resolve_published(raw.published, datelines, paragraphs)
    outlet, outlet_inferred = resolve_outlet(raw.outlet, datelines, all_lines, normalised)
    return CleanArticle(
        origin=raw.origin,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        url=canonical_url(raw.url),
        title=supplied_title or headline,
        title_inferred=supplied_title is None and headline is not None,
        outlet=outlet,
        outlet_inferred=outlet_inferred,
        published_date=published.date if published else None,
        published_at=published.at if published else None,
        published_inferred=published_inferred,
    )
