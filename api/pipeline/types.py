"""Values passed between the ingestion stages.

raw article -> clean article -> spaCy Doc -> statement candidates -> resolved rows.
"""

from __future__ import annotations

import datetime as dt

import msgspec


class InputError(msgspec.Struct, frozen=True, kw_only=True):
    """An input that could not become an article; ``item`` names it (path, URL, record)."""

    item: str
    reason: str


class RawArticle(msgspec.Struct, frozen=True, kw_only=True):
    """An article as it arrived, with whatever metadata the feed or manifest supplied."""

    origin: str
    raw_text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date or datetime as supplied


class CleanArticle(msgspec.Struct, frozen=True, kw_only=True):
    """Normalised article text (what offsets point into) and its resolved metadata."""

    origin: str
    text: str
    content_hash: str
    url: str | None
    title: str | None
    title_inferred: bool
    outlet: str | None
    outlet_inferred: bool
    published_date: dt.date | None
    published_at: dt.datetime | None
    published_inferred: bool
