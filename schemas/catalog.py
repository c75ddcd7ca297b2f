"""Actors, sources and articles."""

from __future__ import annotations

import datetime as dt

import msgspec

from schemas.common import ActorKind, SourceKind, SourceRef


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical speaker with the aliases and roles articles used for them."""

    id: int
    name: str
    kind: ActorKind
    aliases: list[str]
    roles: list[str]
    wikidata_id: str | None
    statement_count: int


class ActorPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of actors; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[Actor]
    has_more: bool
    next_cursor: str | None


class Source(msgspec.Struct, frozen=True, kw_only=True):
    """An outlet or agency.

    ``statement_count`` counts the statements it published or is credited for, which is
    what ``/v1/statements?source={id}`` lists.
    """

    id: int
    name: str
    kind: SourceKind
    article_count: int
    statement_count: int


class SourcePage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of sources; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[Source]
    has_more: bool
    next_cursor: str | None


class InferredFields(msgspec.Struct, frozen=True, kw_only=True):
    """True where the value was read off the text rather than supplied by the feed."""

    title: bool
    outlet: bool
    published: bool


class ArticleSummary(msgspec.Struct, frozen=True, kw_only=True):
    """An article without its text."""

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
    """An article with its stored text, which every span offset points into."""

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
    """One page of article summaries; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[ArticleSummary]
    has_more: bool
    next_cursor: str | None
