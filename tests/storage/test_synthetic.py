"""The synthetic corpus: real offsets, searchable, Zipf-shaped, appendable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from api.services.search import apply_search, parse_search
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ArticleRow, ClaimStatementRow, SourceRow, StatementRow
from api.storage.synthetic import fill
from tests.conftest import empty_database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def synth_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_synth_check") as url:
        migrate.upgrade(url)
        yield url


def test_synthetic_corpus_is_consistent_searchable_and_appendable(synth_url: str) -> None:
    engine = make_engine(synth_url)
    try:
        report = fill(engine, 3_005, seed=3, batch=1_000)
        assert (report.statements, report.articles) == (3_005, 300)
        with Session(engine) as session:
            rows = session.execute(
                select(StatementRow.text, StatementRow.content_start, StatementRow.content_end,
                       ArticleRow.text, StatementRow.speaker_text)
                .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            ).all()  # fmt: skip
            assert len(rows) == 3_005
            assert all(article[start:end] == text for text, start, end, article, _ in rows)

            # Zipf: the most common word is in a large share of statements; the search
            # index (filled by the triggers) finds exactly the statements whose text or
            # speaker has it.
            words = Counter(w for text, *_ in rows for w in set(text.rstrip(".").split()))
            top, top_count = words.most_common(1)[0]
            assert top_count > len(rows) * 0.2
            expected = sum(
                top in text.rstrip(".").split() or top in speaker.lower().split()
                for text, _, _, _, speaker in rows
            )
            search = parse_search(top)
            assert search is not None
            applied = apply_search(select(func.count()).select_from(StatementRow), search,
                                   engine.dialect.name)  # fmt: skip
            assert session.scalar(applied.query) == expected

            sizes = Counter(session.scalars(select(ClaimStatementRow.claim_id)).all()).values()
            assert sum(sizes) == 3_005 and max(sizes) > 1 and min(sizes) == 1

            if engine.dialect.name == "postgresql":
                # Vacuumed after the load: index-only scans need not visit the table.
                vacuumed = session.execute(
                    text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = :t"),
                    {"t": "statements"},
                ).scalar()
                assert vacuumed is not None

        again = fill(engine, 10, seed=4)  # appends after the existing ids
        assert again.statements == 10
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(StatementRow)) == 3_015
            session.add(SourceRow(key="after-synth", name="After", kind="outlet"))
            session.commit()  # sequences moved past the explicit ids (PostgreSQL)
    finally:
        engine.dispose()
