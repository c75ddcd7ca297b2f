"""Statements: who said what, where, when."""

from __future__ import annotations

import datetime as dt

import msgspec

from schemas.common import ActorRef, SourceRef, Span, StatementKind


class ArticleRef(msgspec.Struct, frozen=True, kw_only=True):
    """The article a statement was found in, by reference."""

    id: int
    title: str | None
    url: str | None
    published_date: dt.date | None
    source: SourceRef | None


class Statement(msgspec.Struct, frozen=True, kw_only=True):
    """One attributed statement, with offsets into its article's stored text."""

    id: int
    kind: StatementKind
    text: str
    content: Span
    quotes: list[Span]
    cue: Span | None
    speaker: ActorRef | None
    speaker_mention: Span | None
    speaker_role: str | None
    confidence: float
    article: ArticleRef
    source: SourceRef | None
    via: list[SourceRef]
    date: dt.date | None
    date_inferred: bool
    claim_id: int | None


class StatementPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of statements; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[Statement]
    has_more: bool
    next_cursor: str | None
