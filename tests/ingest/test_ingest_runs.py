"""Re-runs add nothing, and one article's failure leaves nothing of it behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import api.pipeline.ingest_article as ingest_article_module
import api.pipeline.run as run_module
from api.pipeline.run import RunReport, ingest_paths
from api.services.document_rendering import DEFER_FLAG
from api.storage.models import (
    ArticleRow,
    IngestionRunRow,
    ProvenanceDocumentRow,
    StatementDocumentRow,
    StatementRow,
)

pytestmark = pytest.mark.nlp


def _counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
        session.scalar(select(func.count()).select_from(StatementRow)) or 0,
    )


def test_re_ingesting_the_same_files_adds_nothing(
    ingested: RunReport, db_session: Session, seeds_dir: Path
) -> None:
    before = _counts(db_session)
    again = ingest_paths(db_session, [seeds_dir], progress=False)
    assert (again.ingested, again.unchanged, again.failed) == (0, 5, 0)
    assert _counts(db_session) == before
    run = db_session.get_one(IngestionRunRow, again.run_id)
    assert (run.status, run.unchanged) == ("succeeded", 5)


def test_a_failing_article_leaves_no_half_of_it(
    db_session: Session, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = ingest_article_module.store_article

    def store_then_crash(session: Session, article, *args):  # type: ignore[no-untyped-def]
        stored = real_store(session, article, *args)
        if article.origin.endswith("002_6abd8a862fe6f02b.txt"):
            raise RuntimeError("disk full")  # after its statements were flushed
        return stored

    monkeypatch.setattr(ingest_article_module, "store_article", store_then_crash)
    report = ingest_paths(db_session, [seeds_dir], progress=False)
    assert (report.ingested, report.failed) == (4, 1)
    assert report.errors[0].item.endswith("002_6abd8a862fe6f02b.txt")
    assert "disk full" in report.errors[0].reason
    origins = db_session.scalars(select(ArticleRow.origin)).all()
    assert not any(o and o.endswith("002_6abd8a862fe6f02b.txt") for o in origins)
    orphans = db_session.scalar(
        select(func.count())
        .select_from(StatementRow)
        .where(~StatementRow.article_id.in_(select(ArticleRow.id)))
    )
    assert orphans == 0

    monkeypatch.setattr(ingest_article_module, "store_article", real_store)
    retry = ingest_paths(db_session, [seeds_dir], progress=False)  # re-running finishes the job
    assert (retry.ingested, retry.unchanged, retry.failed) == (1, 4, 0)


def test_bad_files_are_reported_and_the_rest_ingested(
    db_session: Session, tmp_path: Path, seeds_dir: Path
) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 said nothing.".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text(
        (seeds_dir / "003_fb0bc581b9d15f48.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = ingest_paths(db_session, [tmp_path, tmp_path / "missing.txt"], progress=False)
    failed = {Path(e.item).name for e in report.errors}
    assert failed == {"empty.txt", "binary.txt", "latin1.txt", "missing.txt"}
    assert (report.ingested, report.failed) == (1, 4)
    assert all("\n" not in e.reason and e.reason for e in report.errors)


def _null_documents(session: Session) -> tuple[int, int]:
    statements = select(func.count()).select_from(StatementDocumentRow)
    provenances = select(func.count()).select_from(ProvenanceDocumentRow)
    return (
        session.scalar(statements.where(StatementDocumentRow.body.is_(None))) or 0,
        session.scalar(provenances.where(ProvenanceDocumentRow.body.is_(None))) or 0,
    )


def test_documents_are_rendered_once_per_batch_of_articles(
    db_session: Session, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles' commits leave their documents NULL; every RENDER_EVERY articles and at the
    end, the run renders them all, so none is left NULL once the run is over."""
    nulls_at_render: list[tuple[int, int]] = []
    real_render = ingest_article_module.render_pending

    def render(session: Session) -> tuple[int, int]:
        nulls_at_render.append(_null_documents(session))
        return real_render(session)

    monkeypatch.setattr(run_module, "RENDER_EVERY", 2)
    monkeypatch.setattr(ingest_article_module, "render_pending", render)
    report = ingest_paths(db_session, [seeds_dir], progress=False)
    assert report.ingested == 5
    assert len(nulls_at_render) == 3  # after articles 2 and 4, and after the last
    assert all(statements > 0 and provenances > 0 for statements, provenances in nulls_at_render)
    assert _null_documents(db_session) == (0, 0)
    assert db_session.info.get(DEFER_FLAG) is None  # later commits render as before


def test_a_failed_rendering_loses_no_article(
    db_session: Session, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(session: Session) -> tuple[int, int]:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(ingest_article_module, "render_pending", fail)
    report = ingest_paths(db_session, [seeds_dir], progress=False)
    assert (report.ingested, report.failed) == (5, 0)
    assert _counts(db_session)[0] == 5
    # The run report's commit rendered what the batch left (bounded per commit).
    assert _null_documents(db_session) == (0, 0)
