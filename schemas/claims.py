"""Claims (what several statements assert) and their provenance."""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from schemas.common import ActorRef, SourceRef, Span
from schemas.statements import ArticleRef, Statement


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """What one or more statements assert, in canonical wording."""

    id: int
    text: str
    speaker: ActorRef | None
    statement_count: int
    outlets: list[SourceRef]
    first_published_date: dt.date | None


class ClaimPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of claims; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[Claim]
    has_more: bool
    next_cursor: str | None


class ClaimDetail(msgspec.Struct, frozen=True, kw_only=True):
    """A claim and its supporting statements in publication order."""

    claim: Claim
    statements: list[Statement]


class DiffOp(enum.StrEnum):
    """How a run of words differs from the claim's canonical text."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class WordDiff(msgspec.Struct, frozen=True, kw_only=True):
    """A run of whitespace-separated words and how it differs from the canonical text."""

    op: DiffOp
    text: str


class Appearance(msgspec.Struct, frozen=True, kw_only=True):
    """One statement supporting the claim, as one outlet carried it."""

    statement_id: int
    article: ArticleRef
    outlet: SourceRef | None
    published_date: dt.date | None
    text: str
    content: Span
    speaker: ActorRef | None
    credited: list[SourceRef]
    diff: list[WordDiff]


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """How a claim travelled: every appearance in publication order."""

    claim: Claim
    first: Appearance | None
    appearances: list[Appearance]
    upstream: list[SourceRef]
