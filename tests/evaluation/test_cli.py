"""``statements eval`` on a tiny invented corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from tests.evaluation.corpus import write_cofenet, write_polnear


def _corpora(tmp_path: Path) -> list[str]:
    polnear = write_polnear(tmp_path / "polnear")
    cofenet = tmp_path / "cofenet"
    write_cofenet(cofenet)
    return ["--polnear", str(polnear), "--cofenet", str(cofenet)]


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--cofenet", str(tmp_path), "--metric", "a"])
    assert result.exit_code == 1
    assert "CofeNet file not found" in result.stderr
    assert "valid.txt" in result.stderr


def test_missing_baseline_fails_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textacy", None)
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)
    result = CliRunner().invoke(main, ["eval", *_corpora(tmp_path), "--baseline", "textacy"])
    assert result.exit_code == 1
    assert "the textacy baseline is unavailable" in result.stderr
    assert "pip install textacy" in result.stderr


@pytest.mark.nlp
def test_eval_prints_the_tables_and_writes_the_report(tmp_path: Path) -> None:
    report_path = tmp_path / "out" / "eval.json"
    result = CliRunner().invoke(main, ["eval", *_corpora(tmp_path), "--json", str(report_path)])
    assert result.exit_code == 0, result.output
    assert "Metric A" in result.stdout
    assert "Metric B" in result.stdout
    assert "BERT+CofeNet" in result.stdout
    assert "reminder" not in result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["split"] == "dev"
    metric_a = report["metric_a"]
    assert (metric_a["segments"], metric_a["gold_spans"]) == (
        2,
        {"source": 1, "cue": 1, "content": 1},
    )
    assert set(metric_a["systems"]) == {"ours"}
    assert metric_a["published_test_f1"]["CoreNLP"]["cue"] is None
    metric_b = report["metric_b"]
    assert metric_b["articles"] == 2
    assert metric_b["annotators"] == {"a111": 1, "c333": 1}
    assert metric_b["gold"]["relations"] == 2
    assert metric_b["gold"]["discontinuous_content"] == 1
    assert metric_b["gold"]["content_starts_with_that"] == 1
    ours = metric_b["systems"]["ours"]
    assert ours["content"]["tp"] + ours["content"]["fn"] == 2


@pytest.mark.nlp
def test_test_split_prints_the_reminder_and_limit_applies(tmp_path: Path) -> None:
    cofenet = tmp_path / "cofenet"
    write_cofenet(cofenet, "test.txt")
    args = ["eval", "--cofenet", str(cofenet), "--split", "test", "--metric", "a", "--limit", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "test split is for final reporting only" in result.stderr
    assert "1 segments" in result.stdout
    assert "Metric B" not in result.stdout


@pytest.mark.nlp
def test_textacy_baseline_goes_through_the_same_scorers(tmp_path: Path) -> None:
    pytest.importorskip("textacy")
    report_path = tmp_path / "eval.json"
    args = ["eval", *_corpora(tmp_path), "--baseline", "textacy", "--json", str(report_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert set(report["metric_a"]["systems"]) == {"ours", "textacy"}
    assert set(report["metric_b"]["systems"]) == {"ours", "textacy"}
    assert "textacy" in report["metric_b"]["notes"]
