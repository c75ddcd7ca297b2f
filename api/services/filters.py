"""Statement filters shared by /v1/statements, /v1/actors/{id}/statements and export.

``q`` is a plain case-insensitive substring match for now (full-text search comes
later). The user's text is always matched literally: ``autoescape`` escapes the LIKE
metacharacters ``%`` and ``_`` so "100%" does not mean "100 followed by anything".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import JSON, ColumnElement, exists, func, or_, select, type_coerce

from api.storage.models import ActorRow, ArticleRow, StatementCreditRow, StatementRow
from schemas import StatementKind


@dataclass(frozen=True, slots=True)
class StatementFilters:
    """All optional; every filter given must hold (AND)."""

    q: str | None = None
    speaker_id: int | None = None
    # The article's outlet OR an upstream source the statement credits.
    source_id: int | None = None
    kind: StatementKind | None = None
    # Inclusive bounds on the statement date; undated statements never match them.
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: int | None = None


def statement_conditions(filters: StatementFilters, dialect: str) -> list[ColumnElement[bool]]:
    """WHERE conditions over ``StatementRow`` for ``filters`` on the given SQL dialect."""
    conditions: list[ColumnElement[bool]] = []
    if filters.q:
        conditions.append(text_matches(filters.q, dialect))
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
    return conditions


def carried_or_credited_by(source_id: int) -> ColumnElement[bool]:
    """The statement's article is from the outlet, or the statement credits the source."""
    from_outlet = StatementRow.article_id.in_(
        select(ArticleRow.id).where(ArticleRow.source_id == source_id)
    )
    credited = StatementRow.credits.any(StatementCreditRow.source_id == source_id)
    return or_(from_outlet, credited)


def text_matches(q: str, dialect: str) -> ColumnElement[bool]:
    """``q`` occurs in the statement text, one of its quoted fragments or the speaker's name."""
    return or_(
        StatementRow.text.icontains(q, autoescape=True),
        quoted_fragment_contains(q, dialect),
        StatementRow.speaker.has(ActorRow.name.icontains(q, autoescape=True)),
    )


def quoted_fragment_contains(q: str, dialect: str) -> ColumnElement[bool]:
    """EXISTS a quote in the ``quotes`` JSON array whose ``text`` contains ``q``.

    The array is unnested with each backend's table-valued JSON function rather than
    matched as serialised JSON, which would also hit the keys ("start", "text") and the
    \\u-escaped form of non-ASCII characters.
    """
    if dialect == "postgresql":
        # json_array_elements yields an unnamed column: name it through the alias.
        quotes = func.json_array_elements(StatementRow.quotes).table_valued("value")
        quotes = quotes.render_derived()
    else:
        quotes = func.json_each(StatementRow.quotes).table_valued("value")
    quote_text = type_coerce(quotes.c.value, JSON)["text"].as_string()
    return exists(select(1).select_from(quotes).where(quote_text.icontains(q, autoescape=True)))
