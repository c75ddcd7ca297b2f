"""Actors, sources and articles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.common import ActorKind, SourceKind, SourceRef
from schemas.examples import ex


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical speaker with the aliases and roles articles used for them."""

    id: Annotated[int, ex(5)]
    name: Annotated[str, ex("Emmanuel Macron")]
    kind: Annotated[ActorKind, ex("person")]
    aliases: Annotated[list[str], ex(x.MACRON_ALIASES)]
    roles: Annotated[list[str], ex(["French President", "President"])]
    wikidata_id: Annotated[str | None, ex("Q3052772", None)]
    statement_count: Annotated[int, ex(8)]


class ActorPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of actors; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[Actor], ex([x.MACRON_ACTOR])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.ACTOR_CURSOR, None)]


class Source(msgspec.Struct, frozen=True, kw_only=True):
    """An outlet or agency.

    ``statement_count`` counts the statements it published or is credited for, which is
    what ``/v1/statements?source={id}`` lists.
    """

    id: Annotated[int, ex(5)]
    name: Annotated[str, ex("Clash Report")]
    kind: Annotated[SourceKind, ex("outlet")]
    article_count: Annotated[int, ex(1)]
    statement_count: Annotated[int, ex(21)]


class SourcePage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of sources; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[Source], ex([x.CLASH_SOURCE])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.SOURCE_CURSOR, None)]


class InferredFields(msgspec.Struct, frozen=True, kw_only=True):
    """True where the value was read off the text rather than supplied by the feed."""

    title: Annotated[bool, ex(True, False)]
    outlet: Annotated[bool, ex(True, False)]
    published: Annotated[bool, ex(True, False)]


VERSION_DESCRIPTION = (
    "1 for the first text stored at a URL; a changed text at the same URL is stored as the "
    "next version, with statements of its own."
)
DUPLICATE_OF_DESCRIPTION = (
    "The article this one is a near-duplicate (e.g. syndicated) copy of; a copy carries no "
    "statements of its own. Null for an original."
)
SIMILARITY_DESCRIPTION = (
    "Estimated share of text this copy has in common with `duplicate_of` (0-1); null for "
    "an original."
)


class ArticleVersion(msgspec.Struct, frozen=True, kw_only=True):
    """One version of an article: the text stored at its URL at one time."""

    id: Annotated[int, ex(5, 9)]
    version: Annotated[int, ex(1, 2)]
    content_hash: Annotated[str, ex(x.CHARTER_HASH)]
    ingested_at: Annotated[dt.datetime, ex(x.INGESTED_AT)]
    statement_count: Annotated[int, ex(11)]


class ArticleDuplicate(msgspec.Struct, frozen=True, kw_only=True):
    """A near-duplicate copy of an article, e.g. another outlet running the same wire story."""

    id: Annotated[int, ex(8)]
    url: Annotated[str | None, ex(x.COPY_URL, None)]
    source: Annotated[SourceRef | None, ex(x.KYIV_WIRE, None)]
    similarity: Annotated[float | None, ex(0.94, None)]


class ArticleSummary(msgspec.Struct, frozen=True, kw_only=True):
    """An article without its text."""

    id: Annotated[int, ex(5)]
    title: Annotated[str | None, ex(x.CHARTER_TITLE, None)]
    url: Annotated[str | None, ex(x.CHARTER_URL, None)]
    source: Annotated[SourceRef | None, ex(x.CHARTER_97, None)]
    published_date: Annotated[dt.date | None, ex(x.CHARTER_DATE, None)]
    # The time as the outlet printed it: ISO 8601, with an offset only when the source
    # gave one (a page's "14:52" says nothing of its time zone, so none is invented).
    published_at: Annotated[str | None, ex(x.CHARTER_PUBLISHED_AT, None)]
    inferred: Annotated[InferredFields, ex(x.INFERRED)]
    content_hash: Annotated[str, ex(x.CHARTER_HASH)]
    statement_count: Annotated[int, ex(11)]
    ingested_at: Annotated[dt.datetime, ex(x.INGESTED_AT)]
    version: Annotated[int, ex(1, 2), msgspec.Meta(ge=1, description=VERSION_DESCRIPTION)]
    duplicate_of: Annotated[
        int | None, ex(None, 5), msgspec.Meta(description=DUPLICATE_OF_DESCRIPTION)
    ]
    duplicate_similarity: Annotated[
        float | None, ex(None, 0.94), msgspec.Meta(description=SIMILARITY_DESCRIPTION)
    ]


class Article(msgspec.Struct, frozen=True, kw_only=True):
    """An article with its stored text, which every span offset points into."""

    id: Annotated[int, ex(5)]
    title: Annotated[str | None, ex(x.CHARTER_TITLE, None)]
    url: Annotated[str | None, ex(x.CHARTER_URL, None)]
    source: Annotated[SourceRef | None, ex(x.CHARTER_97, None)]
    published_date: Annotated[dt.date | None, ex(x.CHARTER_DATE, None)]
    # The time as the outlet printed it: ISO 8601, with an offset only when the source
    # gave one (a page's "14:52" says nothing of its time zone, so none is invented).
    published_at: Annotated[str | None, ex(x.CHARTER_PUBLISHED_AT, None)]
    inferred: Annotated[InferredFields, ex(x.INFERRED)]
    content_hash: Annotated[str, ex(x.CHARTER_HASH)]
    statement_count: Annotated[int, ex(11)]
    ingested_at: Annotated[dt.datetime, ex(x.INGESTED_AT)]
    version: Annotated[int, ex(1, 2), msgspec.Meta(ge=1, description=VERSION_DESCRIPTION)]
    duplicate_of: Annotated[
        int | None, ex(None, 5), msgspec.Meta(description=DUPLICATE_OF_DESCRIPTION)
    ]
    duplicate_similarity: Annotated[
        float | None, ex(None, 0.94), msgspec.Meta(description=SIMILARITY_DESCRIPTION)
    ]
    origin: Annotated[str | None, ex("004_ebb0fcdf10aa2aac.txt", None)]
    versions: Annotated[
        list[ArticleVersion],
        ex(x.CHARTER_VERSIONS),
        msgspec.Meta(
            description=(
                "Every version stored at the article's URL, oldest first, this one included "
                "(just this one when the article has no URL)."
            )
        ),
    ]
    duplicates: Annotated[
        list[ArticleDuplicate],
        ex([x.CHARTER_COPY], []),
        msgspec.Meta(description="The near-duplicate copies of this article, in id order."),
    ]
    text: Annotated[str, ex(x.CHARTER_TEXT)]


class ArticlePage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of article summaries; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[ArticleSummary], ex([x.COPY_SUMMARY])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.ARTICLE_CURSOR, None)]
