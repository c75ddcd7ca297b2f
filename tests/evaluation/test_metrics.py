"""P/R/F1 and Metric A's exact span counts, on hand-computed numbers."""

from __future__ import annotations

import pytest

from api.evaluation.metrics import Counts, add_counts, exact_span_counts, score_segment


def test_counts_precision_recall_f1() -> None:
    counts = Counts(tp=3, fp=1, fn=5)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(3 / 8)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.375 / (0.75 + 0.375))  # 0.5
    assert counts.summary() == {
        "tp": 3,
        "fp": 1,
        "fn": 5,
        "precision": 75.0,
        "recall": 37.5,
        "f1": 50.0,
    }


def test_empty_denominators_score_zero() -> None:
    assert Counts().f1 == 0.0
    assert Counts(fn=4).precision == 0.0


def test_exact_span_counts_need_both_ends() -> None:
    gold = [(0, 3), (5, 9)]
    predicted = [(0, 3), (5, 8), (10, 12)]
    assert exact_span_counts(gold, predicted) == Counts(tp=1, fp=2, fn=1)


def test_counts_are_micro_averaged_over_segments() -> None:
    total: dict[str, Counts] = {}
    empty: dict[str, list[tuple[int, int]]] = {"source": [], "cue": [], "content": []}
    add_counts(total, score_segment({**empty, "cue": [(1, 2)]}, {**empty, "cue": [(1, 2)]}))
    add_counts(total, score_segment({**empty, "cue": [(4, 5)]}, {**empty, "cue": [(3, 5)]}))
    add_counts(total, score_segment({**empty, "cue": [(0, 1)]}, empty))
    assert total["cue"] == Counts(tp=1, fp=1, fn=2)
    assert total["cue"].f1 == pytest.approx(0.4)  # P 1/2, R 1/3
    assert total["source"] == Counts()
