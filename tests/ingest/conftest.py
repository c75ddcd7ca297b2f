from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport, ingest_paths

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def ingested(db_session: Session) -> RunReport:
    """The five seed articles ingested into the rolled-back test database."""
    return ingest_paths(db_session, [SEEDS], progress=False)
