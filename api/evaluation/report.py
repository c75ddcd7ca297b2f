"""The plain-text tables ``statements eval`` prints and the JSON report it writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from api.evaluation.cofenet import ROLES
from api.evaluation.matching import STRIPPED, ArticleScore
from api.evaluation.metrics import Counts
from api.evaluation.runner import MetricA, MetricB

# Exact-match F1 on the CofeNet test split (source, cue, content), from Wang et al.,
# COLING 2022; None where the paper has no figure.
PUBLISHED: dict[str, tuple[float | None, float | None, float | None]] = {
    "BERT+CofeNet": (83.2, 75.3, 72.9),
    "BERT+CRF": (82.2, 74.9, 71.0),
    "rule baseline": (10.7, 22.8, 5.6),
    "CoreNLP": (13.9, None, 17.5),
}
_NAME = 16  # width of the system column
_TRIPLE = 19  # width of one P/R/F1 group


def _prf(counts: Counts) -> str:
    cells = (counts.precision, counts.recall, counts.f1)
    return "".join(f"{100 * value:>6.1f}" for value in cells).ljust(_TRIPLE)


def _header(groups: list[str]) -> list[str]:
    return [
        " " * _NAME + "".join(f"{g:<{_TRIPLE}}" for g in groups),
        f"{'system':<{_NAME}}" + ("     P     R    F1" + " ") * len(groups),
    ]


def _f1_only(figure: float | None) -> str:
    """A published figure under the F1 column of its role."""
    cell = f"{figure:>6.1f}" if figure is not None else f"{'-':>6}"
    return (" " * 12 + cell).ljust(_TRIPLE)


def metric_a_table(result: MetricA, split: str) -> str:
    lines = [
        f"Metric A: exact token-span match per role (CofeNet, COLING 2022), split {split}",
        f"  {result.data}: {result.segments} segments ({result.distinct_texts} distinct), "
        "gold spans " + ", ".join(f"{role} {result.gold_spans.get(role, 0)}" for role in ROLES),
        "",
        *_header(list(ROLES)),
    ]
    for name, roles in result.systems.items():
        lines.append(f"{name:<{_NAME}}" + "".join(_prf(roles[role]) for role in ROLES))
    lines.append("published F1 on the test split (Wang et al. 2022):")
    for name, figures in PUBLISHED.items():
        cells = "".join(_f1_only(figure) for figure in figures)
        lines.append(f"{name:<{_NAME}}{cells}")
    lines.extend(f"  note: {note}" for note in result.notes.values())
    return "\n".join(lines)


def metric_b_table(result: MetricB, split: str) -> str:
    gold = result.gold
    lines = [
        f"Metric B: article-level statements (PolNeAR), split {split}",
        f"  {result.data}: {result.articles} articles, first annotator each; "
        f"{gold['relations']} gold relations, {gold['without_source']} without source, "
        f"{gold['discontinuous_content']} with discontinuous content",
        "",
        *_header(["content+speaker", "content (>=50%)", "exact content"]),
    ]
    for name, score in result.systems.items():
        row = _prf(score.statement) + _prf(score.content) + _prf(score.exact)
        lines.append(f"{name:<{_NAME}}{row}")
    lines.append("")
    lines.append("speaker accuracy on content-matched statements:")
    for name, score in result.systems.items():
        lines.append(f"{name:<{_NAME}}{_speaker_accuracy(score)}")
    lines.extend(f"  note: {note}" for note in result.notes.values())
    return "\n".join(lines)


def _speaker_accuracy(score: ArticleScore) -> str:
    if not score.speaker_matched:
        return "n/a (no content match)"
    share = 100 * score.speaker_correct / score.speaker_matched
    with_source = score.speaker_matched - score.matched_without_source
    tail = (
        f"; {100 * score.speaker_correct / with_source:.1f}% of the {with_source} "
        "whose gold has a source"
        if with_source
        else ""
    )
    return f"{share:.1f}% ({score.speaker_correct}/{score.speaker_matched}){tail}"


def report_json(
    *,
    split: str,
    metric_a: MetricA | None,
    metric_b: MetricB | None,
    seconds: float,
    model: str,
) -> dict[str, Any]:
    """Everything the tables show, with the raw counts, for comparing runs."""
    report: dict[str, Any] = {"split": split, "model": model, "seconds": round(seconds, 1)}
    if metric_a is not None:
        report["metric_a"] = {
            **_plain(metric_a, exclude={"systems"}),
            "systems": {
                name: {role: counts.summary() for role, counts in roles.items()}
                for name, roles in metric_a.systems.items()
            },
            "published_test_f1": {
                name: dict(zip(ROLES, figures, strict=True)) for name, figures in PUBLISHED.items()
            },
        }
    if metric_b is not None:
        report["metric_b"] = {
            **_plain(metric_b, exclude={"systems"}),
            "systems": {name: _score_json(score) for name, score in metric_b.systems.items()},
            "definitions": {
                "content_match": "predicted content covers >= 50% of the gold content's words "
                "(regex \\w+(?:['’-]\\w+)*, all fragments of a discontinuous content; "
                "a prediction is discontinuous when a quote continues the previous one "
                "after its cue in the same paragraph, as PolNeAR annotates it)",
                "statement_match": "content match and predicted speaker mention overlaps "
                "the gold source span by >= 1 character; relations without source never match",
                "exact_content": "spans equal after stripping from both ends of both: "
                + repr("".join(sorted(STRIPPED)))
                + "; a discontinuous gold content is taken from its first to its last fragment",
                "matching": "one to one, greedy, highest share of gold words first; the "
                "statement score is its own greedy pass over pairs meeting both criteria, so "
                "its tp can exceed the speaker-correct count of the content matching",
                "speaker_accuracy": "of content-matched pairs, the share whose predicted "
                "speaker mention overlaps the gold source (no gold source: wrong)",
            },
        }
    return report


def _plain(result: MetricA | MetricB, exclude: set[str]) -> dict[str, Any]:
    built: dict[str, Any] = msgspec.to_builtins(result)
    return {key: value for key, value in built.items() if key not in exclude}


def _score_json(score: ArticleScore) -> dict[str, Any]:
    return {
        "statement": score.statement.summary(),
        "content": score.content.summary(),
        "exact_content": score.exact.summary(),
        "speaker": {
            "matched": score.speaker_matched,
            "correct": score.speaker_correct,
            "matched_without_gold_source": score.matched_without_source,
            "accuracy": round(100 * score.speaker_correct / score.speaker_matched, 2)
            if score.speaker_matched
            else None,
        },
    }


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.json.format(msgspec.json.encode(report), indent=2) + b"\n")
