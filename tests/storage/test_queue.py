"""The database job queue: claims, leases, retries and concurrent workers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage import migrate
from api.storage.engine import make_engine, session_factory
from api.storage.models import IngestJobRow, utcnow
from api.storage.queue import claim_job, fail_job, finish_job, queue_depth
from tests.conftest import empty_database_url

LEASE = dt.timedelta(seconds=30)


def add_jobs(session: Session, count: int) -> list[int]:
    jobs = [IngestJobRow(payload={"text": f"Article {n}."}) for n in range(count)]
    session.add_all(jobs)
    session.commit()
    return [job.id for job in jobs]


def test_jobs_are_taken_oldest_first_and_leased(db_session: Session) -> None:
    first, second = add_jobs(db_session, 2)
    now = utcnow()
    job = claim_job(db_session, "w1", lease=LEASE, now=now)
    assert job is not None and job.id == first
    assert (job.status, job.worker, job.attempts) == ("running", "w1", 1)
    assert job.lease_expires_at == now + LEASE
    other = claim_job(db_session, "w2", lease=LEASE, now=now)
    assert other is not None and other.id == second
    assert claim_job(db_session, "w3", lease=LEASE, now=now) is None
    assert queue_depth(db_session) == 0


def test_an_expired_lease_gives_the_job_to_the_next_worker(db_session: Session) -> None:
    (job_id,) = add_jobs(db_session, 1)
    start = utcnow()
    assert claim_job(db_session, "dead", lease=LEASE, now=start) is not None
    # Still leased: nobody else may take it.
    assert claim_job(db_session, "w2", lease=LEASE, now=start + LEASE / 2) is None
    taken = claim_job(db_session, "w2", lease=LEASE, now=start + LEASE * 2)
    assert taken is not None and taken.id == job_id
    assert (taken.worker, taken.attempts) == ("w2", 2)


def test_a_job_abandoned_too_often_fails_with_a_reason(db_session: Session) -> None:
    (job_id,) = add_jobs(db_session, 1)
    moment = utcnow()
    for _ in range(3):
        assert claim_job(db_session, "crashy", lease=LEASE, max_attempts=3, now=moment)
        moment += LEASE * 2
    assert claim_job(db_session, "w", lease=LEASE, max_attempts=3, now=moment) is None
    job = db_session.get_one(IngestJobRow, job_id, populate_existing=True)
    assert job.status == "failed"
    assert job.error is not None and "stopped 3 times" in job.error


def test_finish_and_fail(db_session: Session) -> None:
    done_id, retry_id, bad_id = add_jobs(db_session, 3)
    done = claim_job(db_session, "w", lease=LEASE)
    assert done is not None and done.id == done_id
    finish_job(db_session, done, outcome="ingested", article_id=None, statement_count=4)
    db_session.commit()
    retry = claim_job(db_session, "w", lease=LEASE)
    assert retry is not None and retry.id == retry_id
    fail_job(db_session, retry, "OperationalError: database is locked", retry=True)
    bad = claim_job(db_session, "w", lease=LEASE)
    assert bad is not None and bad.id == retry_id  # back at the head of the queue
    bad_job = claim_job(db_session, "w", lease=LEASE)
    assert bad_job is not None and bad_job.id == bad_id
    fail_job(db_session, bad_job, "no article text", retry=False)

    rows = {row.id: row for row in db_session.scalars(select(IngestJobRow))}
    assert (rows[done_id].status, rows[done_id].outcome) == ("done", "ingested")
    assert rows[done_id].statement_count == 4 and rows[done_id].finished_at is not None
    assert (rows[retry_id].status, rows[retry_id].attempts) == ("running", 2)
    assert (rows[bad_id].status, rows[bad_id].error) == ("failed", "no article text")


@pytest.fixture(params=["sqlite", "postgresql"])
def queue_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_queue_check") as url:
        migrate.upgrade(url)
        yield url


def test_concurrent_workers_never_take_the_same_job(queue_database: str) -> None:
    """Four threads, each with its own connection, drain 60 jobs: each taken exactly once."""
    engine = make_engine(queue_database)
    sessions = session_factory(engine)
    try:
        with sessions() as session:
            expected = set(add_jobs(session, 60))
        taken: dict[str, list[int]] = {}
        errors: list[BaseException] = []

        def drain(name: str) -> None:
            mine = taken.setdefault(name, [])
            try:
                with sessions() as session:
                    while (job := claim_job(session, name, lease=LEASE)) is not None:
                        mine.append(job.id)
                        finish_job(
                            session, job, outcome="ingested", article_id=None, statement_count=0
                        )
                        session.commit()
            except BaseException as exc:  # surfaced in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=drain, args=(f"w{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors
        every = [job_id for ids in taken.values() for job_id in ids]
        assert sorted(every) == sorted(expected)  # all taken, none twice
        with sessions() as session:
            statuses = set(session.scalars(select(IngestJobRow.status)))
            assert statuses == {"done"}
    finally:
        engine.dispose()
