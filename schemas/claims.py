"""Claims (what several statements assert) and their provenance."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.common import ActorRef, SourceRef, Span
from schemas.examples import ex
from schemas.statements import ArticleRef, Statement


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """What one or more statements assert, in canonical wording."""

    id: Annotated[int, ex(21)]
    text: Annotated[str, ex(x.TROOPS)]
    speaker: Annotated[ActorRef | None, ex(x.MACRON, None)]
    statement_count: Annotated[int, ex(2)]
    outlets: Annotated[list[SourceRef], ex([x.CLASH_REPORT])]
    first_published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)]


class ClaimPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of claims; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[Claim], ex([x.TROOPS_CLAIM])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.CLAIM_CURSOR, None)]


class ClaimDetail(msgspec.Struct, frozen=True, kw_only=True):
    """A claim and its supporting statements in publication order."""

    claim: Annotated[Claim, ex(x.CARNAGE_CLAIM)]
    statements: Annotated[list[Statement], ex([x.CARNAGE_STATEMENT])]


class DiffOp(enum.StrEnum):
    """How a run of words differs from the claim's canonical text."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class WordDiff(msgspec.Struct, frozen=True, kw_only=True):
    """A run of whitespace-separated words and how it differs from the canonical text."""

    op: Annotated[DiffOp, ex("insert", "equal", "delete")]
    text: Annotated[str, ex("non-combat, reassurance role")]


class Appearance(msgspec.Struct, frozen=True, kw_only=True):
    """One statement supporting the claim, as one outlet carried it."""

    statement_id: Annotated[int, ex(27)]
    article: Annotated[ArticleRef, ex(x.CLASH_ARTICLE)]
    outlet: Annotated[SourceRef | None, ex(x.CLASH_REPORT, None)]
    published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)]
    text: Annotated[str, ex(x.CARNAGE)]
    content: Annotated[Span, ex(x.CARNAGE_SPAN)]
    speaker: Annotated[ActorRef | None, ex(x.WITKOFF, None)]
    credited: Annotated[list[SourceRef], ex([], [x.REUTERS, x.AFP])]
    # The second: how another outlet worded Macron's "several thousand" troops.
    diff: Annotated[list[WordDiff], ex([{"op": "equal", "text": x.CARNAGE}], x.TROOPS_DIFF)]


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """How a claim travelled: every appearance in publication order."""

    claim: Annotated[Claim, ex(x.CARNAGE_CLAIM)]
    first: Annotated[Appearance | None, ex(x.WITKOFF_APPEARANCE, None)]
    appearances: Annotated[list[Appearance], ex([x.WITKOFF_APPEARANCE])]
    upstream: Annotated[list[SourceRef], ex([], [x.REUTERS])]
