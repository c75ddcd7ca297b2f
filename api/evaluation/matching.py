"""Metric B, the product's own: whole articles, statements matched to gold relations.

A prediction and a gold relation match on content when the prediction's content covers
at least half of the gold content's words (a discontinuous content counts all of its
fragments' words); they match as a statement when, in addition, the predicted speaker
mention overlaps the gold source span. A relation without a source stays in the gold:
it counts for content recall and can never be matched on speaker. Matching is one to
one and greedy, best overlap first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import msgspec

from api.evaluation.brat import GoldRelation
from api.evaluation.metrics import Counts
from api.evaluation.spans import CharSpan, Prediction, hull, overlaps_any

# Words only: quote marks and punctuation would make "the same content" depend on
# whether a system keeps the marks, which the exact-match score measures separately.
WORD = re.compile(r"\w+(?:['’-]\w+)*")
# What exact content match strips from both ends of both spans, and nothing else.
STRIPPED = frozenset(" \t\n\r\f\v\u00a0" + "\"“”„‟'‘’‚‛`«»‹›" + ",.;:!?…—–-()[]{}")


class WordIndex:
    """Word boundaries of one text, to turn character spans into sets of word numbers."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def words(self, spans: Sequence[CharSpan]) -> frozenset[int]:
        """Numbers of the words whose characters overlap any of the spans."""
        found: set[int] = set()
        for start, end in spans:
            i = bisect_right(self.ends, start)  # first word ending after ``start``
            while i < len(self.starts) and self.starts[i] < end:
                found.add(i)
                i += 1
        return frozenset(found)


class ArticleScore(msgspec.Struct, kw_only=True):
    content: Counts  # content criterion alone
    statement: Counts  # content and speaker
    exact: Counts  # normalised content span equality
    speaker_matched: int = 0  # content matches, the denominator of speaker accuracy
    speaker_correct: int = 0
    matched_without_source: int = 0  # of those, gold relations with no source span


def greedy_match(pairs: Sequence[tuple[float, int, int, int]]) -> list[tuple[int, int]]:
    """``(overlap share, shared words, prediction, gold)`` -> one-to-one pairs, best first.

    Ties go to the earlier gold, then the earlier prediction, so results are stable.
    """
    taken_predictions: set[int] = set()
    taken_gold: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, _, p, g in sorted(pairs, key=lambda x: (-x[0], -x[1], x[3], x[2])):
        if p in taken_predictions or g in taken_gold:
            continue
        taken_predictions.add(p)
        taken_gold.add(g)
        matched.append((p, g))
    return matched


def content_pairs(
    index: WordIndex, gold: Sequence[GoldRelation], predicted: Sequence[Prediction]
) -> list[tuple[float, int, int, int]]:
    """Every (prediction, gold) pair meeting the content criterion, with its overlap."""
    gold_words = [index.words(relation.content) for relation in gold]
    predicted_words = [index.words(p.contents) for p in predicted]
    pairs: list[tuple[float, int, int, int]] = []
    for g, wanted in enumerate(gold_words):
        if not wanted:
            continue  # no word to overlap (a content of punctuation only)
        for p, words in enumerate(predicted_words):
            shared = len(wanted & words)
            if shared and 2 * shared >= len(wanted):
                pairs.append((shared / len(wanted), shared, p, g))
    return pairs


def normalise(text: str, span: CharSpan) -> CharSpan:
    """The span without surrounding whitespace, quote marks and punctuation."""
    start, end = span
    while start < end and text[start] in STRIPPED:
        start += 1
    while end > start and text[end - 1] in STRIPPED:
        end -= 1
    return start, end


def exact_pairs(
    text: str, gold: Sequence[GoldRelation], predicted: Sequence[Prediction]
) -> list[tuple[float, int, int, int]]:
    """Pairs whose normalised spans are equal; a discontinuous gold is taken from its
    first fragment's start to its last fragment's end, the only single span that can
    stand for it (a StatementCandidate has one content span)."""
    wanted = {g: normalise(text, hull(r.content)) for g, r in enumerate(gold)}
    pairs: list[tuple[float, int, int, int]] = []
    for p, prediction in enumerate(predicted):
        found = normalise(text, hull(prediction.contents))
        pairs.extend((1.0, 0, p, g) for g, span in wanted.items() if span == found)
    return pairs


def score_article(
    text: str, gold: Sequence[GoldRelation], predicted: Sequence[Prediction]
) -> ArticleScore:
    index = WordIndex(text)
    by_content = content_pairs(index, gold, predicted)
    content = greedy_match(by_content)
    with_speaker = [
        pair
        for pair in by_content
        if overlaps_any(predicted[pair[2]].speaker, gold[pair[3]].source)
    ]
    statement = greedy_match(with_speaker)
    exact = greedy_match(exact_pairs(text, gold, predicted))
    correct = sum(overlaps_any(predicted[p].speaker, gold[g].source) for p, g in content)
    return ArticleScore(
        content=Counts.of(len(content), len(predicted), len(gold)),
        statement=Counts.of(len(statement), len(predicted), len(gold)),
        exact=Counts.of(len(exact), len(predicted), len(gold)),
        speaker_matched=len(content),
        speaker_correct=correct,
        matched_without_source=sum(not gold[g].source for _, g in content),
    )
