"""Actors, sources and articles."""

from __future__ import annotations

import datetime as dt

import msgspec

from schemas.common import ActorKind, SourceKind, SourceRef


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    kind: ActorKind
    aliases: list[str]
    roles: list[str]
    wikidata_id: str | None
    statement_count: int


class ActorPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Actor]
    has_more: bool
    next_cursor: str | None


class Source(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    kind: SourceKind
    article_count: int
    statement_count: int


class SourcePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Source]
    has_more: bool
    next_cursor: str | None


class InferredFields(msgspec.Struct, frozen=True, kw_only=True):
    """True where the value was read off the text rather than supplied by the feed."""

    title: bool
    outlet: bool
    published: bool


class ArticleSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str | None
    url: str | None
    source: SourceRef | None
    published_date: dt.date | None
    published_at: dt.datetime | None
    inferred: InferredFields
    content_hash: str
    statement_count: int
    ingested_at: dt.datetime


class Article(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str | None
    url: str | None
    source: SourceRef | None
    published_date: dt.date | None
    published_at: dt.datetime | None
    inferred: InferredFields
    content_hash: str
    statement_count: int
    ingested_at: dt.datetime
    origin: str | None
    text: str


class ArticlePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ArticleSummary]
    has_more: bool
    next_cursor: str | None
