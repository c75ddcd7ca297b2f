"""Metric A and Metric B end to end: read the gold, predict, score, summarise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import msgspec

from api.evaluation.baseline_textacy import TextacyBaseline
from api.evaluation.brat import BratArticle, read_split
from api.evaluation.cofenet import (
    ROLES,
    decode_bio,
    detokenise,
    predicted_token_spans,
    read_segments,
)
from api.evaluation.matching import ArticleScore, score_article
from api.evaluation.metrics import Counts, add_counts, score_segment
from api.evaluation.predict import Extractor, predict

COFENET_FILES = {"dev": "valid.txt", "test": "test.txt"}
Extractors = Callable[[], Mapping[str, Extractor]]  # fresh extractors (and counters) per run


class MetricA(msgspec.Struct, kw_only=True):
    data: str
    segments: int
    distinct_texts: int
    gold_spans: dict[str, int]
    systems: dict[str, dict[str, Counts]]
    notes: dict[str, str]


class MetricB(msgspec.Struct, kw_only=True):
    data: str
    articles: int
    gold: dict[str, int]
    annotators: dict[str, int]  # scored .ann files per annotator id
    systems: dict[str, ArticleScore]
    notes: dict[str, str]


def run_metric_a(
    folder: Path, split: str, extractors: Extractors, *, limit: int | None, progress: bool
) -> MetricA:
    path = folder / COFENET_FILES[split]
    segments = list(read_segments(path, limit))
    texts = [detokenise(segment.tokens) for segment in segments]
    systems = dict(extractors())
    predictions = predict(
        [t.text for t in texts], systems, progress=progress, description="metric A"
    )
    totals: dict[str, dict[str, Counts]] = {name: {} for name in systems}
    gold_spans: Counter[str] = Counter()
    for segment, detokenised, predicted in zip(segments, texts, predictions, strict=True):
        gold = decode_bio(segment.labels)
        gold_spans.update({role: len(gold[role]) for role in ROLES})
        for name, found in predicted.items():
            spans = predicted_token_spans(found, detokenised.offsets)
            add_counts(totals[name], score_segment(gold, spans))
    return MetricA(
        data=str(path),
        segments=len(segments),
        distinct_texts=len({t.text for t in texts}),
        gold_spans=dict(gold_spans),
        systems=totals,
        notes=_notes(systems),
    )


def run_metric_b(
    folder: Path, split: str, extractors: Extractors, *, limit: int | None, progress: bool
) -> MetricB:
    articles = list(read_split(folder, split, limit))
    systems = dict(extractors())
    predictions = predict(
        [a.text for a in articles], systems, progress=progress, description="metric B"
    )
    totals = {name: _empty_score() for name in systems}
    for article, predicted in zip(articles, predictions, strict=True):
        for name, found in predicted.items():
            _add_score(totals[name], score_article(article.text, article.relations, found))
    return MetricB(
        data=str(folder / split),
        articles=len(articles),
        gold=gold_statistics(articles),
        annotators=dict(sorted(Counter(a.annotator for a in articles).items())),
        systems=totals,
        notes=_notes(systems),
    )


def gold_statistics(articles: list[BratArticle]) -> dict[str, int]:
    """What the scores are out of, and the data's shape (how much is discontinuous)."""
    relations = [r for a in articles for r in a.relations]
    return {
        "relations": len(relations),
        "without_source": sum(not r.source for r in relations),
        "discontinuous_content": sum(r.discontinuous for r in relations),
        "content_starts_with_that": sum(
            a.text[r.content[0][0] : r.content[0][0] + 5].lower() == "that "
            for a in articles
            for r in a.relations
        ),
        "event_lines_without_content": sum(a.skipped for a in articles),
        "articles_with_several_annotators": sum(a.annotators > 1 for a in articles),
    }


def _empty_score() -> ArticleScore:
    return ArticleScore(content=Counts(), statement=Counts(), exact=Counts())


def _add_score(total: ArticleScore, part: ArticleScore) -> None:
    total.content.add(part.content)
    total.statement.add(part.statement)
    total.exact.add(part.exact)
    total.speaker_matched += part.speaker_matched
    total.speaker_correct += part.speaker_correct
    total.matched_without_source += part.matched_without_source


def _notes(systems: Mapping[str, Extractor]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for name, extractor in systems.items():
        if isinstance(extractor, TextacyBaseline):
            notes[name] = (
                f"textacy {extractor.version}: refused {extractor.refused} of "
                f"{extractor.docs} paragraphs (odd number of quote marks)"
            )
    return notes
