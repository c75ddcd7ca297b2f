"""``statements eval``: the harness behind the command, testable without click."""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from api.evaluation.baseline_textacy import BaselineUnavailableError, load_textacy
from api.evaluation.predict import Extractor, ours
from api.evaluation.report import metric_a_table, metric_b_table, report_json, write_json
from api.evaluation.runner import COFENET_FILES, MetricA, MetricB, run_metric_a, run_metric_b

# The corpora live beside the repository, never inside it (PolNeAR has no data licence).
CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
DEFAULT_POLNEAR = CORPORA / "polnear"
DEFAULT_COFENET = CORPORA / "polnear-cofenet"
TEST_REMINDER = (
    "reminder: the test split is for final reporting only; tune and analyse errors on dev"
)


class EvalError(Exception):
    """A problem the user can fix: a missing corpus or an unavailable baseline."""


def run_eval(
    *,
    polnear: Path | None,
    cofenet: Path | None,
    split: str,
    metric: str,
    baseline: str | None,
    limit: int | None,
    json_path: Path | None,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
    progress: bool,
) -> dict[str, Any]:
    """Score, print the tables with ``echo``, write the JSON report; returns the report."""
    if split == "test":
        warn(TEST_REMINDER)
    polnear = polnear or DEFAULT_POLNEAR
    cofenet = cofenet or DEFAULT_COFENET
    if metric in {"a", "all"}:
        _require(cofenet / COFENET_FILES[split], "CofeNet file", "--cofenet")
    if metric in {"b", "all"}:
        _require(polnear / split / "attributions", "PolNeAR split", "--polnear")
    extractors = _extractors(baseline)
    extractors()  # fail on a missing baseline before any parsing
    started = time.perf_counter()
    result_a: MetricA | None = None
    result_b: MetricB | None = None
    if metric in {"a", "all"}:
        result_a = run_metric_a(cofenet, split, extractors, limit=limit, progress=progress)
        echo(metric_a_table(result_a, split) + "\n")
    if metric in {"b", "all"}:
        result_b = run_metric_b(polnear, split, extractors, limit=limit, progress=progress)
        echo(metric_b_table(result_b, split) + "\n")
    seconds = time.perf_counter() - started
    echo(f"scored in {seconds:.0f} s")
    report = report_json(
        split=split, metric_a=result_a, metric_b=result_b, seconds=seconds, model=_model()
    )
    if json_path is not None:
        write_json(report, json_path)
        warn(f"wrote {json_path}")
    return report


def _require(path: Path, what: str, option: str) -> None:
    if not path.exists():
        raise EvalError(f"{what} not found: {path} (pass {option} DIR)")


def _extractors(baseline: str | None) -> Callable[[], Mapping[str, Extractor]]:
    def build() -> Mapping[str, Extractor]:
        systems: dict[str, Extractor] = {"ours": ours}
        if baseline == "textacy":
            try:
                systems["textacy"] = load_textacy()
            except BaselineUnavailableError as exc:
                raise EvalError(str(exc)) from exc
        return systems

    return build


def _model() -> str:
    from api.pipeline.nlp import load_pipeline

    meta = load_pipeline().meta
    ours_version = importlib.metadata.version("statements")
    return f"statements {ours_version}, {meta['lang']}_{meta['name']} {meta['version']}"
