"""ingest_paths passes read options through and counts a 304 as unchanged, not failed."""

from __future__ import annotations

from pathlib import Path

from pytest_httpx import HTTPXMock
from sqlalchemy.orm import Session

from api.pipeline.fetch import FetchOptions
from api.pipeline.inputs import ReadOptions
from api.pipeline.run import ingest_paths
from api.storage.models import IngestionRunRow


def test_a_304_counts_as_unchanged(
    db_session: Session, httpx_mock: HTTPXMock, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.json"
    cache.write_text('{"https://news.test/a": {"last_modified": "Wed, 07 Jan 2026 10:00:00 GMT"}}')
    httpx_mock.add_response(
        url="https://news.test/a",
        status_code=304,
        match_headers={"If-Modified-Since": "Wed, 07 Jan 2026 10:00:00 GMT"},
    )
    httpx_mock.add_response(url="https://news.test/b", status_code=404)
    seen: list[str] = []
    options = ReadOptions(fetch=FetchOptions(cache_path=cache), on_unchanged=seen.append)
    report = ingest_paths(
        db_session, ["https://news.test/a", "https://news.test/b"], progress=False, options=options
    )
    assert (report.ingested, report.unchanged, report.failed) == (0, 1, 1)
    assert report.errors[0].item == "https://news.test/b"
    assert seen == ["https://news.test/a"]
    run = db_session.get_one(IngestionRunRow, report.run_id)
    assert (run.unchanged, run.failed) == (1, 1)
