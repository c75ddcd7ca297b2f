"""The ingest job queue kept in the database, shared safely by any number of workers.

A worker takes a job with one UPDATE whose target is chosen by a subquery:
- on PostgreSQL the subquery locks the row ``FOR UPDATE SKIP LOCKED``, so two workers
  never wait on, or take, the same job;
- on SQLite the UPDATE is the first statement of its transaction and takes the write
  lock itself, so claims are serialised by the database.

A taken job carries a lease. A worker that dies mid-article never commits (the article
and the job's completion are one transaction), so the job stays ``running`` until its
lease expires and the next worker takes it again; after ``max_attempts`` takes it is
failed with a reason rather than retried for ever.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from api.storage.models import IngestJobRow, utcnow

DEFAULT_LEASE = dt.timedelta(minutes=5)
DEFAULT_MAX_ATTEMPTS = 3


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    expired = and_(IngestJobRow.status == "running", IngestJobRow.lease_expires_at < now)
    return or_(IngestJobRow.status == "queued", expired)


def fail_abandoned(session: Session, max_attempts: int, now: dt.datetime | None = None) -> int:
    """Fail jobs whose lease expired after their last allowed attempt; commits."""
    moment = now or utcnow()
    result = session.execute(
        update(IngestJobRow)
        .where(
            IngestJobRow.status == "running",
            IngestJobRow.lease_expires_at < moment,
            IngestJobRow.attempts >= max_attempts,
        )
        .values(
            status="failed",
            finished_at=moment,
            error=f"abandoned: the worker stopped {max_attempts} times while processing it",
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def claim_job(
    session: Session,
    worker: str,
    *,
    lease: dt.timedelta = DEFAULT_LEASE,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: dt.datetime | None = None,
) -> IngestJobRow | None:
    """Take the oldest claimable job for ``worker`` and commit the claim; None when idle."""
    fail_abandoned(session, max_attempts, now)
    moment = now or utcnow()
    target = (
        select(IngestJobRow.id)
        .where(_claimable(moment), IngestJobRow.attempts < max_attempts)
        .order_by(IngestJobRow.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    job_id = session.scalar(
        update(IngestJobRow)
        .where(IngestJobRow.id == target)
        .values(
            status="running",
            worker=worker,
            attempts=IngestJobRow.attempts + 1,
            started_at=moment,
            lease_expires_at=moment + lease,
        )
        .returning(IngestJobRow.id)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if job_id is None:
        return None
    return session.get_one(IngestJobRow, job_id, populate_existing=True)


def finish_job(
    session: Session,
    job: IngestJobRow,
    *,
    outcome: str,
    article_id: int | None,
    statement_count: int,
) -> None:
    """Mark the job done inside the caller's transaction (the one that stored its article)."""
    job.status, job.outcome = "done", outcome
    job.article_id, job.statement_count = article_id, statement_count
    job.finished_at, job.lease_expires_at, job.error = utcnow(), None, None


def fail_job(session: Session, job: IngestJobRow, error: str, *, retry: bool) -> None:
    """Record a failure and commit: back to the queue when ``retry``, else failed for good."""
    job.error = error
    job.lease_expires_at = None
    if retry:
        job.status = "queued"
    else:
        job.status, job.finished_at = "failed", utcnow()
    session.commit()


def queue_depth(session: Session) -> int:
    count = session.scalar(
        select(func.count()).select_from(IngestJobRow).where(IngestJobRow.status == "queued")
    )
    return int(count or 0)
