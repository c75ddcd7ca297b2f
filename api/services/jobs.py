"""Ingest jobs: articles submitted over HTTP, queued for ``statements worker``.

Submitting stores the record and nothing else: the worker (api/pipeline/worker.py) takes
the job off the queue and decodes ``payload`` as a feed record (api/pipeline/records.py:
``text``, ``html``, ``url``, ``outlet``, ``published``, ``title``). The HTTP process never
extracts anything itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services import converters
from api.services.errors import NotFoundError
from api.storage.models import IngestJobRow

# The submission's fields that make up a job's payload, in the feed record's names.
PAYLOAD_FIELDS = ("text", "html", "url", "outlet", "title", "published")


def submission_payload(submission: schemas.ArticleSubmission) -> dict[str, Any]:
    """The submission as the worker's feed record: its non-null fields only."""
    return {
        name: value for name in PAYLOAD_FIELDS if (value := getattr(submission, name)) is not None
    }


class JobService:
    """``article_path`` turns an article id into the path of that article in the API."""

    def __init__(self, session: AsyncSession, *, article_path: Callable[[int], str]) -> None:
        self._session = session
        self._article_path = article_path

    async def submit(
        self, submission: schemas.ArticleSubmission, *, api_key_id: int | None
    ) -> schemas.IngestJob:
        """Queue the article; it is stored when the caller's transaction commits."""
        row = IngestJobRow(
            status=schemas.JobStatus.QUEUED.value,
            payload=submission_payload(submission),
            api_key_id=api_key_id,
        )
        self._session.add(row)
        await self._session.flush()
        return self._convert(row)

    async def get(self, job_id: int) -> schemas.IngestJob:
        row = await self._session.get(IngestJobRow, job_id)
        if row is None:
            raise NotFoundError("job", job_id)
        return self._convert(row)

    def _convert(self, row: IngestJobRow) -> schemas.IngestJob:
        article_url = None if row.article_id is None else self._article_path(row.article_id)
        return converters.ingest_job(row, article_url=article_url)
