"""Oversized inputs are refused with a reason, without costing the rest of the batch.

A text or HTML article file over ``MAX_ARTICLE_FILE_BYTES`` (10 MB) is refused from its
size on disk, before it is read (api/pipeline/inputs.py); an article whose clean text is
over ``MAX_ARTICLE_CHARS`` characters never reaches spaCy (api/pipeline/run.py).
"""

from __future__ import annotations

import builtins
import io
import json
import os
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.cli import main
from api.pipeline.inputs import MAX_ARTICLE_FILE_BYTES, read_article_bytes, read_inputs
from api.pipeline.nlp import MAX_ARTICLE_CHARS
from api.pipeline.run import ingest_paths
from api.pipeline.types import InputError
from api.storage.models import ArticleRow, IngestionRunRow

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
GOOD_SEED = "003_fb0bc581b9d15f48.txt"
BIG_BYTES = 50 * 1024 * 1024
MIB = 1024 * 1024
PROSE = (
    "The harbour committee met again on Tuesday evening and went through the budget for "
    "the new ferry terminal line by line, while residents waited outside in the rain.\n"
)


def write_big_file(path: Path, size: int) -> None:
    """``size`` bytes of prose, written a mebibyte at a time."""
    chunk = (PROSE * (MIB // len(PROSE) + 1)).encode("ascii")[:MIB]
    with path.open("wb") as out:
        for _ in range(size // MIB):
            out.write(chunk)
        out.write(chunk[: size % MIB])


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder holding a 50 MB text dump next to a good article; the dump is deleted
    after the module so that kept temporary folders do not pile up 50 MB files."""
    folder = tmp_path_factory.mktemp("big")
    big = folder / "dump.txt"
    write_big_file(big, BIG_BYTES)
    assert big.stat().st_size == BIG_BYTES
    (folder / "good.txt").write_text(
        (SEEDS / GOOD_SEED).read_text(encoding="utf-8"), encoding="utf-8"
    )
    yield folder
    big.unlink()


def forbid_reading(monkeypatch: pytest.MonkeyPatch, forbidden: Path) -> None:
    """Make every ordinary way of opening ``forbidden`` fail the test."""

    def check(target: Any) -> None:
        if isinstance(target, str | os.PathLike) and Path(target) == forbidden:
            raise AssertionError(f"{forbidden} was opened for reading")

    def guard(original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(target: Any, *args: Any, **kwargs: Any) -> Any:
            check(target)
            return original(target, *args, **kwargs)

        return guarded

    for name in ("open", "read_bytes", "read_text"):
        monkeypatch.setattr(Path, name, guard(getattr(Path, name)))
    monkeypatch.setattr(builtins, "open", guard(builtins.open))
    monkeypatch.setattr(io, "open", guard(io.open))


def names_size_and_limit(reason: str) -> bool:
    return "50.0 MB" in reason and f"{MAX_ARTICLE_FILE_BYTES // MIB} MB" in reason


@pytest.mark.nlp
def test_a_50_mb_file_is_refused_unread_and_the_good_article_is_ingested(
    db_session: Session, big_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = big_folder / "dump.txt"
    forbid_reading(monkeypatch, big)

    report = ingest_paths(db_session, [big_folder], progress=False)

    assert (report.ingested, report.unchanged, report.failed) == (1, 0, 1)
    assert report.statements > 0
    (error,) = report.errors
    assert error.item == str(big)
    assert names_size_and_limit(error.reason), error.reason
    assert "\n" not in error.reason
    origins = db_session.scalars(select(ArticleRow.origin)).all()
    assert origins == [str(big_folder / "good.txt")]
    run = db_session.get_one(IngestionRunRow, report.run_id)
    assert run.status == "failed"
    assert (run.ingested, run.failed) == (1, 1)
    assert run.errors == [{"item": str(big), "reason": error.reason}]


def test_an_oversized_file_is_refused_from_its_size_without_being_loaded(
    big_folder: Path, tmp_path: Path
) -> None:
    big = big_folder / "dump.txt"
    html = tmp_path / "dump.html"
    os.link(big, html)  # the same 50 MB as a web page, without a second copy on disk
    tracemalloc.start()
    try:
        results = list(read_inputs([big, html]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB, f"reading refused files allocated {peak:,} bytes"
    assert [type(result) for result in results] == [InputError, InputError]
    assert [result.item for result in results] == [str(big), str(html)]
    assert all(names_size_and_limit(result.reason) for result in results)


def test_the_byte_cap_is_inclusive(tmp_path: Path) -> None:
    at_cap, over_cap = tmp_path / "at-cap.txt", tmp_path / "over-cap.txt"
    with at_cap.open("wb") as out:
        out.truncate(MAX_ARTICLE_FILE_BYTES)
    with over_cap.open("wb") as out:
        out.truncate(MAX_ARTICLE_FILE_BYTES + 1)
    data = read_article_bytes(at_cap)
    assert isinstance(data, bytes) and len(data) == MAX_ARTICLE_FILE_BYTES
    refused = read_article_bytes(over_cap)
    assert isinstance(refused, InputError)
    assert "10.0 MB" in refused.reason and "10 MB" in refused.reason


def long_prose(characters: int) -> str:
    """A headline and distinct paragraphs (identical ones would be collapsed by cleaning)
    adding up to at least ``characters`` characters."""
    paragraphs = ["Harbour committee sits through the night over the ferry budget"]
    total = len(paragraphs[0])
    number = 0
    while total < characters:
        paragraph = (
            f"Item {number} of the agenda: the committee went through the costs of the "
            f"ferry terminal again, and member {number % 97} asked for the figures in writing."
        )
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
        number += 1
    return "\n\n".join(paragraphs)


@pytest.mark.nlp
def test_a_text_over_the_character_limit_is_refused_and_the_batch_goes_on(
    db_session: Session, tmp_path: Path
) -> None:
    text = long_prose(MAX_ARTICLE_CHARS + 100_000)
    size = len(text.encode("utf-8"))
    assert len(text) > MAX_ARTICLE_CHARS and size < MAX_ARTICLE_FILE_BYTES
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-minutes.txt").write_text(text, encoding="utf-8")
    (folder / "b-good.txt").write_text(
        (SEEDS / GOOD_SEED).read_text(encoding="utf-8"), encoding="utf-8"
    )
    # The same text as a feed record: records have no byte cap, the character limit holds.
    records = tmp_path / "records.ndjson"
    records.write_text(json.dumps({"url": "https://example.org/minutes", "text": text}) + "\n")

    report = ingest_paths(db_session, [folder, records], progress=False)

    assert (report.ingested, report.unchanged, report.failed) == (1, 0, 2)
    assert report.statements > 0
    assert [error.item for error in report.errors] == [
        str(folder / "a-minutes.txt"),
        f"{records}:1",
    ]
    for error in report.errors:
        assert f"{len(text):,} characters" in error.reason, error.reason
        assert f"{MAX_ARTICLE_CHARS:,}" in error.reason, error.reason
    origins = db_session.scalars(select(ArticleRow.origin)).all()
    assert origins == [str(folder / "b-good.txt")]


@pytest.mark.nlp
def test_the_cli_names_the_oversized_file_and_exits_non_zero(
    big_folder: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0

    result = runner.invoke(
        main, ["--database-url", url, "ingest", "--no-progress", str(big_folder)]
    )

    assert result.exit_code == 1, result.output
    big = big_folder / "dump.txt"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    prefix = f"error: {big}: "
    assert errors[0].startswith(prefix), errors[0]
    assert names_size_and_limit(errors[0].removeprefix(prefix)), errors[0]
    assert "1 ingested, 0 unchanged, 1 failed" in result.stderr
