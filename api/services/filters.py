"""Statement filters shared by /v1/statements, /v1/actors/{id}/statements and export.

``q`` is a full-text search (``api.services.search``): the statement service applies it
through the search index, with its ranking and snippets. Every other filter is a plain
WHERE condition, built here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimStatementRow,
    StatementCreditRow,
    StatementRow,
)
from schemas import ActorKind, StatementKind


@dataclass(frozen=True, slots=True)
class StatementFilters:
    """All optional; every filter given must hold (AND)."""

    # Full-text search text (see api.services.search); blank means no search.
    q: str | None = None
    speaker_id: int | None = None
    # The article's outlet OR an upstream source the statement credits.
    source_id: int | None = None
    kind: StatementKind | None = None
    # Inclusive bounds on the statement date; undated statements never match them.
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: int | None = None
    # The kind of actor who spoke (person, government, document ...).
    speaker_kind: ActorKind | None = None
    # Only the publishing outlet, or only a credited upstream source.
    outlet_id: int | None = None
    upstream_id: int | None = None
    claim_id: int | None = None
    # Inclusive bounds on the article's publication date.
    published_since: dt.date | None = None
    published_until: dt.date | None = None


def statement_conditions(filters: StatementFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions over ``StatementRow`` for every filter but the search ``q``."""
    conditions: list[ColumnElement[bool]] = []
    if filters.speaker_id is not None:
        conditions.append(StatementRow.speaker_id == filters.speaker_id)
    if filters.source_id is not None:
        conditions.append(carried_or_credited_by(filters.source_id))
    if filters.kind is not None:
        conditions.append(StatementRow.kind == filters.kind.value)
    if filters.since is not None:
        conditions.append(StatementRow.statement_date >= filters.since)
    if filters.until is not None:
        conditions.append(StatementRow.statement_date <= filters.until)
    if filters.article_id is not None:
        conditions.append(StatementRow.article_id == filters.article_id)
    if filters.speaker_kind is not None:
        kind = filters.speaker_kind.value
        conditions.append(
            StatementRow.speaker_id.in_(select(ActorRow.id).where(ActorRow.kind == kind))
        )
    if filters.outlet_id is not None:
        conditions.append(_articles_where(ArticleRow.source_id == filters.outlet_id))
    if filters.upstream_id is not None:
        conditions.append(
            StatementRow.credits.any(StatementCreditRow.source_id == filters.upstream_id)
        )
    if filters.claim_id is not None:
        conditions.append(
            StatementRow.id.in_(
                select(ClaimStatementRow.statement_id).where(
                    ClaimStatementRow.claim_id == filters.claim_id
                )
            )
        )
    if filters.published_since is not None:
        conditions.append(_articles_where(ArticleRow.published_date >= filters.published_since))
    if filters.published_until is not None:
        conditions.append(_articles_where(ArticleRow.published_date <= filters.published_until))
    return conditions


def _articles_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return StatementRow.article_id.in_(select(ArticleRow.id).where(condition))


def carried_or_credited_by(source_id: int) -> ColumnElement[bool]:
    """The statement's article is from the outlet, or the statement credits the source."""
    from_outlet = StatementRow.article_id.in_(
        select(ArticleRow.id).where(ArticleRow.source_id == source_id)
    )
    credited = StatementRow.credits.any(StatementCreditRow.source_id == source_id)
    return or_(from_outlet, credited)
