from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport, ingest_paths
from api.storage.models import ArticleRow, ClaimRow

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
Snapshot = TypeVar("Snapshot")


def in_three_orders(session: Session, snapshot: Callable[[Session], Snapshot]) -> list[Snapshot]:
    """``snapshot`` after ingesting the seeds one by one in three orders, the database
    emptied of articles and claims between orders."""
    files = sorted(SEEDS.glob("*.txt"))
    seen = []
    for order in (files[::-1], [files[i] for i in (2, 4, 0, 3, 1)], files):
        for path in order:
            ingest_paths(session, [path], progress=False)
        seen.append(snapshot(session))
        session.execute(delete(ClaimRow))
        session.execute(delete(ArticleRow))
        session.commit()
    return seen


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def ingested(db_session: Session) -> RunReport:
    """The five seed articles ingested into the rolled-back test database."""
    return ingest_paths(db_session, [SEEDS], progress=False)
