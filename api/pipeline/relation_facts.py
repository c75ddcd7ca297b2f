"""What the relation rules read of a statement (api/pipeline/relations.py), as plain values.

The rules compare an article's new statements with every statement of the same speakers
(and every document statement) within the window: at a newsroom's scale that is hundreds
of stored statements per article. Those are read as columns (``neighbours``) rather than
as ORM objects with their articles and speakers, which cost most of the rules' time; the
new article's own statements, already in the session, are read off their rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from api.storage.models import ActorRow, ArticleRow, StatementRow

WINDOW_DAYS = 120

_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


class StatementFacts(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    article_id: int
    speaker_id: int | None
    speaker_kind: str | None
    speaker_name: str | None
    speaker_text: str | None
    text: str
    content_start: int
    content_end: int
    statement_date: dt.date | None
    published: dt.date | None  # the article's publication date


def facts_of(row: StatementRow) -> StatementFacts:
    speaker = row.speaker
    return StatementFacts(
        id=row.id,
        article_id=row.article_id,
        speaker_id=row.speaker_id,
        speaker_kind=speaker.kind if speaker is not None else None,
        speaker_name=speaker.name if speaker is not None else None,
        speaker_text=row.speaker_text,
        text=row.text,
        content_start=row.content_start,
        content_end=row.content_end,
        statement_date=row.statement_date,
        published=row.article.published_date,
    )


def facts_of_rows(rows: Iterable[StatementRow]) -> list[StatementFacts]:
    return [facts_of(row) for row in rows]


_COLUMNS = (
    StatementRow.id,
    StatementRow.article_id,
    StatementRow.speaker_id,
    ActorRow.kind,
    ActorRow.name,
    StatementRow.speaker_text,
    StatementRow.text,
    StatementRow.content_start,
    StatementRow.content_end,
    StatementRow.statement_date,
    ArticleRow.published_date,
)


def _facts(columns: Sequence[Any]) -> StatementFacts:
    (id_, article_id, speaker_id, kind, name, speaker_text, text, start, end, said, published) = (
        columns
    )
    return StatementFacts(
        id=id_,
        article_id=article_id,
        speaker_id=speaker_id,
        speaker_kind=kind,
        speaker_name=name,
        speaker_text=speaker_text,
        text=text,
        content_start=start,
        content_end=end,
        statement_date=said,
        published=published,
    )


def in_window(query: _Query, published: dt.date | None) -> _Query:
    """Articles published within ``WINDOW_DAYS`` of ``published``, or undated."""
    if published is None:
        return query
    low = published - dt.timedelta(days=WINDOW_DAYS)
    high = published + dt.timedelta(days=WINDOW_DAYS)
    return query.where(
        or_(ArticleRow.published_date.is_(None), ArticleRow.published_date.between(low, high))
    )


def neighbours(session: Session, article: ArticleRow, speakers: set[int]) -> list[StatementFacts]:
    """Statements of other articles a rule could pair with the new ones: documents (drafts
    and final texts) and the statements of ``speakers``, within the window."""
    query = (
        select(*_COLUMNS)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .join(ActorRow, ActorRow.id == StatementRow.speaker_id)
        .where(StatementRow.article_id != article.id)
        .where(or_(ActorRow.kind == "document", ActorRow.id.in_(speakers)))
        .order_by(StatementRow.id)
    )
    return [_facts(row) for row in session.execute(in_window(query, article.published_date))]
