"""Gold claim clusters and how predicted claims are scored against them.

The gold (``data/claim_clusters.toml``, its header says how it was annotated) names each
statement by its document and character spans in the file on disk. Scores are B-cubed
(Bagga and Baldwin 1998) and pairwise precision, recall and F1, computed over the gold
statements only: a predicted claim's other statements do not count.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Hashable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from api.evaluation.spans import CharSpan

Item = TypeVar("Item", bound=Hashable)


class GoldFormatError(ValueError):
    """A gold file that does not follow the format its header describes."""


class GoldStatement(msgspec.Struct, frozen=True, kw_only=True):
    doc: str
    spans: tuple[CharSpan, ...]
    prefix: str | None = None  # the opening words at spans[0][0] (seeds only)

    @property
    def length(self) -> int:
        return sum(end - start for start, end in self.spans)


class GoldCorpus(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    clusters: tuple[tuple[GoldStatement, ...], ...]  # singletons included
    excluded: tuple[GoldStatement, ...] = ()

    @property
    def statements(self) -> list[GoldStatement]:
        return [statement for cluster in self.clusters for statement in cluster]

    @property
    def docs(self) -> set[str]:
        return {statement.doc for statement in self.statements}

    def labels(self) -> dict[GoldStatement, int]:
        """Each gold statement's cluster number."""
        return {s: number for number, cluster in enumerate(self.clusters) for s in cluster}


class Scores(msgspec.Struct, frozen=True, kw_only=True):
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def default_gold_path() -> Path:
    return Path(str(resources.files("api.evaluation").joinpath("data/claim_clusters.toml")))


def read_gold(path: Path) -> dict[str, GoldCorpus]:
    """The gold corpora of a file, by name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        corpora = [_corpus(entry) for entry in data["corpus"]]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise GoldFormatError(f"{path}: {exc}") from exc
    by_name = {corpus.name: corpus for corpus in corpora}
    for corpus in corpora:
        seen = Counter(corpus.statements + list(corpus.excluded))
        if twice := [s for s, count in seen.items() if count > 1]:
            raise GoldFormatError(f"{path}: {corpus.name} lists {twice[0]} twice")
    return by_name


def _corpus(entry: Mapping[str, Any]) -> GoldCorpus:
    clusters = [
        tuple(_statement(item) for item in cluster["statements"])
        for cluster in entry.get("cluster", [])
    ]
    for group in entry.get("singletons", []):
        clusters.extend((_statement(item, doc=group["doc"]),) for item in group["statements"])
    excluded = [
        _statement(item) for group in entry.get("excluded", []) for item in group["statements"]
    ]
    return GoldCorpus(name=entry["name"], clusters=tuple(clusters), excluded=tuple(excluded))


def _statement(item: Mapping[str, Any], doc: str | None = None) -> GoldStatement:
    spans = tuple(sorted((int(start), int(end)) for start, end in item["spans"]))
    if not spans or any(end <= start for start, end in spans):
        raise ValueError(f"empty or inverted span in {item}")
    return GoldStatement(doc=doc or item["doc"], spans=spans, prefix=item.get("prefix"))


def bcubed(gold: Mapping[Item, Hashable], predicted: Mapping[Item, Hashable]) -> Scores:
    """B-cubed precision and recall of ``predicted`` (item -> claim) against ``gold``.

    Each item's precision is the share of its predicted cluster that is in its gold
    cluster, its recall the share of its gold cluster that is in its predicted cluster;
    both are averaged over the items of ``gold``.
    """
    items = list(gold)
    if not items:
        return Scores(precision=0.0, recall=0.0)
    together = Counter((gold[item], predicted[item]) for item in items)
    gold_sizes = Counter(gold[item] for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    precision = recall = 0.0
    for item in items:
        shared = together[(gold[item], predicted[item])]
        precision += shared / predicted_sizes[predicted[item]]
        recall += shared / gold_sizes[gold[item]]
    return Scores(precision=precision / len(items), recall=recall / len(items))


def pairwise(gold: Mapping[Item, Hashable], predicted: Mapping[Item, Hashable]) -> Scores:
    """Pairwise precision and recall: of the pairs put together, and of those that belong
    together. With no pair on one side the score is 1.0 (nothing claimed, nothing missed).
    """

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    items = list(gold)
    both = pairs(Counter((gold[item], predicted[item]) for item in items))
    predicted_pairs = pairs(Counter(predicted[item] for item in items))
    gold_pairs = pairs(Counter(gold[item] for item in items))
    return Scores(
        precision=both / predicted_pairs if predicted_pairs else 1.0,
        recall=both / gold_pairs if gold_pairs else 1.0,
    )
