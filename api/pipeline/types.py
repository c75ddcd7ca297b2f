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


class SpeakerGuess(msgspec.Struct, frozen=True, kw_only=True):
    """What a speaker mention looks like before it is resolved to an actor.

    ``kind`` is an ActorKind value, or ``pronoun`` / ``media_anaphora`` / ``name`` (a
    capitalised name of no known type) for mentions that must be resolved against the
    rest of the article, or None when unknown.
    """

    kind: str | None
    name: str
    role: str | None = None


class StatementCandidate(msgspec.Struct, frozen=True, kw_only=True):
    """One statement found in a Doc; every offset is into the stored article text."""

    kind: str  # a schemas.StatementKind value
    content_start: int
    content_end: int
    quotes: tuple[tuple[int, int], ...] = ()
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker: SpeakerGuess | None = None
    credited: tuple[str, ...] = ()
    confidence: float = 0.0
