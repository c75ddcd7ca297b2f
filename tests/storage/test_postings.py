"""Key postings (api/storage/postings.py), on both databases: the same answers whichever
way a database reads and writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from api.storage.models import (
    ArticleRow,
    ClaimKeyRow,
    NarrationKeyRow,
    NarrationSentenceRow,
    StatementRow,
)
from api.storage.postings import KEYS_PER_QUERY, add_postings, recent_postings


def add_article(session: Session) -> ArticleRow:
    article = ArticleRow(
        text="Words.",
        content_hash="postings",
        title_inferred=False,
        outlet_inferred=True,
        published_inferred=False,
        published_date=dt.date(2026, 1, 6),
    )
    session.add(article)
    session.flush()
    return article


def add_statements(session: Session, count: int) -> list[int]:
    article = add_article(session)
    rows = [
        StatementRow(
            article_id=article.id,
            kind="reported",
            text=f"statement {n}",
            content_start=0,
            content_end=5,
            quotes=[],
            confidence=0.9,
        )
        for n in range(count)
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def recorded_statements(session: Session) -> list[str]:
    """The SQL statements the session sends from here on, as they are sent."""
    seen: list[str] = []
    event.listen(
        session.get_bind(),
        "before_cursor_execute",
        lambda *args: seen.append(args[2]),
    )
    return seen


def test_recent_postings_are_capped_most_recent_first_and_keyed(db_session: Session) -> None:
    ids = add_statements(db_session, 5)
    big = 2**62  # the keys are 64-bit hashes
    # Key 1 is on every statement, key ``big`` on the first two, key 3 on none.
    add_postings(
        db_session, "claim_keys", [(1, sid) for sid in ids] + [(big, ids[0]), (big, ids[1])]
    )
    stored = db_session.execute(select(ClaimKeyRow.key, ClaimKeyRow.statement_id)).all()
    assert len(stored) == 7

    found = recent_postings(db_session, "claim_keys", [1, 3, big], per_key=3)
    assert dict(found) == {1: sorted(ids, reverse=True)[:3], big: [ids[1], ids[0]]}
    assert recent_postings(db_session, "claim_keys", [], per_key=3) == {}


def test_many_keys_are_read_in_as_few_statements_as_the_database_allows(
    db_session: Session,
) -> None:
    ids = add_statements(db_session, 2)
    keys = list(range(1, 2 * KEYS_PER_QUERY + 2))  # three SQLite chunks
    add_postings(db_session, "claim_keys", [(key, ids[key % 2]) for key in keys])
    seen = recorded_statements(db_session)
    found = recent_postings(db_session, "claim_keys", keys, per_key=5)
    assert found == {key: [ids[key % 2]] for key in keys}
    postings_reads = [s for s in seen if "claim_keys" in s]
    postgresql = db_session.get_bind().dialect.name == "postgresql"
    assert len(postings_reads) == (1 if postgresql else 3)


def test_narration_postings_point_at_sentences(db_session: Session) -> None:
    article = add_article(db_session)
    sentences = [
        NarrationSentenceRow(article_id=article.id, start_offset=0, end_offset=6, text="Words.")
        for _ in range(3)
    ]
    db_session.add_all(sentences)
    db_session.flush()
    first, second, third = (row.id for row in sentences)
    add_postings(db_session, "narration_keys", [(7, first), (7, third), (8, second)])
    stored = db_session.execute(select(NarrationKeyRow.key, NarrationKeyRow.sentence_id)).all()
    assert sorted(stored) == sorted([(7, first), (7, third), (8, second)])
    assert recent_postings(db_session, "narration_keys", [7, 8], per_key=1) == {
        7: [third],
        8: [second],
    }


def test_nothing_to_add_writes_nothing(db_session: Session) -> None:
    seen = recorded_statements(db_session)
    add_postings(db_session, "claim_keys", [])
    assert seen == []


def test_only_the_index_tables_are_accepted(db_session: Session) -> None:
    with pytest.raises(KeyError):
        add_postings(db_session, "statements", [(1, 1)])  # type: ignore[arg-type]
