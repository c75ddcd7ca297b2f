"""``statements eval --claims``: score claim clustering on the gold clusters, print and
write the report. Testable without click, like api/evaluation/command.py."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from api.evaluation.claim_clusters import GoldFormatError, Scores, default_gold_path, read_gold
from api.evaluation.claim_runner import CorpusResult, ingest_polnear, ingest_seeds, score_corpus
from api.evaluation.command import DEFAULT_POLNEAR, EvalError
from api.evaluation.report import write_json
from api.logs import configure_logging

DEFAULT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CORPORA = ("seeds", "polnear-dev")


def run_claims_eval(
    *,
    gold_path: Path | None,
    seeds: Path | None,
    polnear: Path | None,
    corpora: tuple[str, ...] = CORPORA,
    json_path: Path | None,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
    progress: bool,
) -> dict[str, Any]:
    """Score each corpus's claims, print the table with ``echo``; returns the report."""
    gold_path = gold_path or default_gold_path()
    try:
        gold = read_gold(gold_path)
    except (OSError, GoldFormatError) as exc:
        raise EvalError(f"cannot read the gold clusters: {exc}") from exc
    seeds = seeds or DEFAULT_SEEDS
    polnear = polnear or DEFAULT_POLNEAR
    ingesters = {
        "seeds": (seeds, "seed folder", "--seeds", ingest_seeds),
        "polnear-dev": (polnear, "PolNeAR folder", "--polnear", ingest_polnear),
    }
    wanted = [name for name in corpora if name in gold]
    if not wanted:
        raise EvalError(f"{gold_path} has none of the corpora {', '.join(corpora)}")
    for name in wanted:
        folder, what, option, _ = ingesters[name]
        if not folder.is_dir():
            raise EvalError(f"{what} not found: {folder} (pass {option} DIR)")
    # Ingestion logs every article; only its warnings belong beside the table.
    configure_logging("warning")
    started = time.perf_counter()
    results: list[CorpusResult] = []
    for name in wanted:
        folder, _, _, ingester = ingesters[name]
        ingest = functools.partial(ingester, root=folder, progress=progress)
        results.append(score_corpus(gold[name], ingest))
    echo(claims_table(results))
    seconds = time.perf_counter() - started
    echo(f"scored in {seconds:.0f} s")
    report = {
        "task": "claim clustering",
        "gold": str(gold_path),
        "corpora": {result.corpus: _corpus_json(result) for result in results},
        "seconds": round(seconds, 1),
    }
    if json_path is not None:
        write_json(report, json_path)
        warn(f"wrote {json_path}")
    return report


def claims_table(results: list[CorpusResult]) -> str:
    lines = [
        "Claim clustering against the gold clusters (B-cubed and pairwise, over gold statements)",
        f"{'corpus':<13}{'statements':>11}{'clusters':>9}{'found':>7}"
        "   B3 P  B3 R B3 F1   pw P  pw R pw F1",
    ]
    for r in results:
        lines.append(
            f"{r.corpus:<13}{r.statements:>11}{r.clusters:>9}{r.found:>7}"
            f"{_cells(r.bcubed)}{_cells(r.pairwise)}"
        )
        lines.append(f"{'  found only':<40}{_cells(r.bcubed_found)}{_cells(r.pairwise_found)}")
    lines.append(
        "found: gold statements the extractor found; the others count as claims of their own"
    )
    return "\n".join(lines)


def _cells(scores: Scores) -> str:
    return "".join(f"{100 * v:>6.1f}" for v in (scores.precision, scores.recall, scores.f1)) + " "


def _corpus_json(result: CorpusResult) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(result)
    for key in ("bcubed", "pairwise", "bcubed_found", "pairwise_found"):
        scores: Scores = getattr(result, key)
        data[key] = {
            "precision": round(scores.precision, 4),
            "recall": round(scores.recall, 4),
            "f1": round(scores.f1, 4),
        }
    data["seconds"] = round(result.seconds, 1)
    return data
