"""kill -9 at any point leaves no half article, and running again finishes the job.

The ingestion job and the queue worker are real subprocesses, killed with SIGKILL at a
random moment after they started storing articles (the seed is printed on failure).
Every article in the database must then hold all the statements it will hold once
the run is finished, and a second run must complete the corpus without duplicates.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ArticleRow, IngestJobRow, StatementRow
from tests.conftest import empty_database_url

pytestmark = pytest.mark.nlp

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_crash_check") as url:
        migrate.upgrade(url)
        yield url


def cli(database_url: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env={**os.environ, "STATEMENTS_DATABASE_URL": database_url, **env},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def kill_after(
    process: subprocess.Popen[str], event: str, delay: float, count: int = 1
) -> list[str]:
    """Wait for the ``count``-th ``event`` log line, then SIGKILL the process ``delay`` s
    later."""
    assert process.stderr is not None
    seen: list[str] = []
    for line in process.stderr:
        seen.append(line)
        if f'"event": "{event}"' in line:
            count -= 1
            if count == 0:
                break
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    return seen


def statements_per_article(database_url: str) -> dict[str, int]:
    """Statement count of every stored article, by content hash."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(ArticleRow.content_hash, func.count(StatementRow.id))
                .outerjoin(StatementRow, StatementRow.article_id == ArticleRow.id)
                .group_by(ArticleRow.id, ArticleRow.content_hash)
            ).all()
    finally:
        engine.dispose()
    counts: dict[str, int] = {}
    for content_hash, count in rows:
        assert content_hash not in counts, "an article was stored twice"
        counts[content_hash] = count
    return counts


def test_killed_ingest_leaves_whole_articles_and_a_rerun_finishes(crash_database: str) -> None:
    seed = random.randrange(1_000_000)
    draw = random.Random(seed)
    # After the first, second or third of five articles, within a few milliseconds: two
    # articles, the documents' rendering and the run report are still to come, however
    # fast the machine stores them.
    stored, delay = draw.randint(1, 3), draw.uniform(0.0, 0.03)
    process = cli(crash_database, "ingest", str(SEEDS), "--no-progress")
    kill_after(process, "ingest.stored", delay, count=stored)
    assert process.returncode == -signal.SIGKILL, f"seed {seed}: the run ended before the kill"
    after_kill = statements_per_article(crash_database)
    assert stored <= len(after_kill) <= 5, f"seed {seed}"

    rerun = cli(crash_database, "ingest", str(SEEDS), "--no-progress")
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    final = statements_per_article(crash_database)
    assert len(final) == 5
    for content_hash, count in after_kill.items():
        assert final[content_hash] == count, f"seed {seed}: a half article survived the kill"
    assert f"{5 - len(after_kill)} ingested, {len(after_kill)} unchanged, 0 failed" in stderr


def test_killed_worker_loses_no_job_and_leaves_no_half_article(crash_database: str) -> None:
    seed = random.randrange(1_000_000)
    delay = random.Random(seed).uniform(0.0, 0.4)
    engine = make_engine(crash_database)
    try:
        with Session(engine) as session:
            session.add_all(
                IngestJobRow(payload={"text": path.read_text(encoding="utf-8")})
                for path in sorted(SEEDS.glob("*.txt"))
            )
            session.commit()
        lease = {"STATEMENTS_WORKER_LEASE_SECONDS": "2"}
        worker = cli(crash_database, "worker", "--poll", "0.1", **lease)
        kill_after(worker, "worker.done", delay)
        after_kill = statements_per_article(crash_database)
        time.sleep(2.5)  # the dead worker's lease runs out

        second = cli(crash_database, "worker", "--exit-when-idle", **lease)
        _, stderr = second.communicate(timeout=300)
        assert second.returncode == 0, stderr
        final = statements_per_article(crash_database)
        assert len(final) == 5, f"seed {seed}: {stderr}"
        for content_hash, count in after_kill.items():
            assert final[content_hash] == count, f"seed {seed}: a half article survived"
        with Session(engine) as session:
            jobs = session.scalars(select(IngestJobRow)).all()
            assert {job.status for job in jobs} == {"done"}, f"seed {seed}"
            assert {job.outcome for job in jobs} == {"ingested"}
            assert sorted(job.article_id or 0 for job in jobs) == sorted(
                session.scalars(select(ArticleRow.id))
            )
            for job in jobs:
                stored = session.scalar(
                    select(func.count())
                    .select_from(StatementRow)
                    .where(StatementRow.article_id == job.article_id)
                )
                assert stored == job.statement_count
        done_lines = [json.loads(line) for line in stderr.splitlines() if "worker.done" in line]
        assert 1 <= len(done_lines) <= 4  # the first worker finished at least one
    finally:
        engine.dispose()
