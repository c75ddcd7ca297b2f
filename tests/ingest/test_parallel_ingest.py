"""Two ingest jobs on one database: neither holds it while spaCy parses.

On SQLite every transaction of the writers' engine takes the write lock at BEGIN, so a
read left open across a parse serialises a second process (and, past its busy timeout,
fails it with "database is locked").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc
from sqlalchemy.orm import Session

from api.pipeline import run
from api.pipeline.nlp import load_pipeline
from api.pipeline.run import ingest_paths
from api.storage import migrate
from api.storage.engine import make_engine
from tests.conftest import empty_database_url

pytestmark = pytest.mark.nlp

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_parallel_ingest") as found:
        migrate.upgrade(found)
        yield found


class _WatchedPipeline:
    """The real pipeline, noting whether the session was in a transaction at each parse."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.in_transaction: list[bool] = []

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        for text in texts:
            self.in_transaction.append(self.session.in_transaction())
            yield load_pipeline()(text)


def test_no_transaction_is_open_while_spacy_parses(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        watched = _WatchedPipeline(session)
        monkeypatch.setattr(run, "load_pipeline", lambda: watched)
        report = ingest_paths(session, sorted(SEEDS.glob("*.txt"))[:3], progress=False)
    engine.dispose()
    assert report.ingested == 3 and not report.failed
    assert watched.in_transaction == [False, False, False]
