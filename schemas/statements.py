"""Statements: who said what, where, when."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.common import ActorRef, SourceRef, Span, StatementKind
from schemas.examples import ex


class ArticleRef(msgspec.Struct, frozen=True, kw_only=True):
    """The article a statement was found in, by reference."""

    id: Annotated[int, ex(3)]
    title: Annotated[str | None, ex(x.CLASH_TITLE, None)]
    url: Annotated[str | None, ex(x.CLASH_URL, None)]
    published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)]
    source: Annotated[SourceRef | None, ex(x.CLASH_REPORT, None)]


class Statement(msgspec.Struct, frozen=True, kw_only=True):
    """One attributed statement, with offsets into its article's stored text."""

    id: Annotated[int, ex(27)]
    kind: Annotated[StatementKind, ex("direct", "according_to")]
    text: Annotated[str, ex(x.CARNAGE)]
    content: Annotated[Span, ex(x.CARNAGE_SPAN)]
    quotes: Annotated[list[Span], ex([x.CARNAGE_SPAN], [])]
    cue: Annotated[Span | None, ex(x.CARNAGE_CUE, None)]
    speaker: Annotated[ActorRef | None, ex(x.WITKOFF, None)]
    speaker_mention: Annotated[Span | None, ex(x.CARNAGE_MENTION, None)]
    speaker_role: Annotated[str | None, ex("U.S. envoy", None)]
    confidence: Annotated[float, ex(0.855)]
    article: Annotated[ArticleRef, ex(x.CLASH_ARTICLE)]
    source: Annotated[SourceRef | None, ex(x.CLASH_REPORT, None)]
    via: Annotated[list[SourceRef], ex([], [x.REUTERS])]
    date: Annotated[
        dt.date | None,
        ex(x.SUMMIT_DATE, None),
        msgspec.Meta(
            description=(
                "When the statement was made: the day `date_text` names, else the article's "
                "publication date (null when that is unknown)."
            )
        ),
    ]
    date_inferred: Annotated[
        bool,
        ex(True, False),
        msgspec.Meta(
            description=(
                "True when `date` is the article's publication date; false when the text "
                "says when the statement was made (see `date_text`)."
            )
        ),
    ]
    # Always present. The default keeps the nested statement examples valid: Litestar
    # drops null members from example objects, and a required one would then be missing.
    date_text: Annotated[
        str | None,
        ex(None, "on Tuesday"),
        msgspec.Meta(
            description=(
                "The expression in the article that dates the statement, as written (e.g. "
                "`on Tuesday`); null when it is dated by the publication."
            )
        ),
    ] = None
    claim_id: Annotated[int | None, ex(27, None)]
    # With a search (``q``): the text around the hits as an HTML fragment, the text
    # HTML-escaped and each hit in <mark>…</mark>, "…" where the text was cut. Always
    # present; null without a search. The default only spares older producers.
    snippet: Annotated[
        str | None,
        ex("This <mark>carnage</mark> has to stop", None),
        msgspec.Meta(
            description=(
                "With a search (`q`): the statement text around the hits, as an HTML "
                "fragment: the text is HTML-escaped and each hit is wrapped in "
                "`<mark>…</mark>`; `…` marks where the text was cut. Null without `q`."
            )
        ),
    ] = None


class StatementPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of statements; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[Statement], ex([x.CARNAGE_STATEMENT])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.STATEMENT_CURSOR, None)]
