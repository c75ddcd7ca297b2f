"""Counts and precision/recall/F1, and Metric A: exact token-span match per role.

Metric A is CofeNet's (COLING 2022): per segment, per role, a predicted span is a true
positive only if its first and last token equal those of a gold span of the same role;
counts are summed over the file (micro-average) before P/R/F1 are taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from api.evaluation.cofenet import ROLES, TokenSpan


class Counts(msgspec.Struct, kw_only=True):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @classmethod
    def of(cls, matched: int, predicted: int, gold: int) -> Counts:
        return cls(tp=matched, fp=predicted - matched, fn=gold - matched)

    # An empty denominator scores 0, not an error: a system that predicts nothing has
    # no precision worth reporting, and the table must still print.
    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(100 * self.precision, 2),
            "recall": round(100 * self.recall, 2),
            "f1": round(100 * self.f1, 2),
        }


def exact_span_counts(gold: Sequence[TokenSpan], predicted: Sequence[TokenSpan]) -> Counts:
    """One role in one segment. Duplicate predictions of one span count once."""
    gold_set, predicted_set = set(gold), set(predicted)
    return Counts.of(len(gold_set & predicted_set), len(predicted_set), len(gold_set))


def score_segment(
    gold: Mapping[str, Sequence[TokenSpan]], predicted: Mapping[str, Sequence[TokenSpan]]
) -> dict[str, Counts]:
    return {role: exact_span_counts(gold[role], predicted[role]) for role in ROLES}


def add_counts(total: dict[str, Counts], part: Mapping[str, Counts]) -> None:
    for role, counts in part.items():
        total.setdefault(role, Counts()).add(counts)
