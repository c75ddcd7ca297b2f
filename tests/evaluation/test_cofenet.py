"""CofeNet segments: reading, BIO decoding, detokenisation and the token mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.evaluation.cofenet import (
    CofenetFormatError,
    decode_bio,
    detokenise,
    predicted_token_spans,
    read_segments,
)
from api.evaluation.spans import Prediction


def test_decode_bio_well_formed() -> None:
    labels = ["B-content", "I-content", "O", "B-source", "I-source", "B-cue"]
    assert decode_bio(labels) == {"source": [(3, 5)], "cue": [(5, 6)], "content": [(0, 2)]}


def test_decode_bio_i_without_b_starts_a_span() -> None:
    labels = ["O", "I-content", "I-content", "I-source", "B-source", "I-source"]
    assert decode_bio(labels) == {"source": [(3, 4), (4, 6)], "cue": [], "content": [(1, 3)]}


def test_decode_bio_adjacent_b_tags_and_a_span_at_the_end() -> None:
    assert decode_bio(["B-cue", "B-cue", "I-cue"])["cue"] == [(0, 1), (1, 3)]
    assert decode_bio([]) == {"source": [], "cue": [], "content": []}


def test_decode_bio_rejects_unknown_labels() -> None:
    with pytest.raises(CofenetFormatError):
        decode_bio(["B-speaker"])


def test_detokenise_glues_punctuation_quotes_and_clitics() -> None:
    tokens = ["``", "We", "do", "n't", "know", ",", "''", "Kim", "'s", "aide", "said", "."]
    result = detokenise(tokens)
    assert result.text == "\"We don't know,\" Kim's aide said."
    for token, (start, end) in zip(tokens, result.offsets, strict=True):
        surface = {"``": '"', "''": '"'}.get(token, token)
        assert result.text[start:end] == surface


def test_detokenise_unescapes_brackets() -> None:
    result = detokenise(["a", "-LRB-", "b", "-RRB-", "costs", "$", "5"])
    assert result.text == "a (b) costs $5"
    assert result.offsets[1] == (2, 3)
    assert result.offsets[6] == (13, 14)


def test_predicted_spans_take_every_overlapping_token() -> None:
    # "Kim said the plan works ." -> offsets 0-3, 4-8, 9-12, 13-17, 18-23, 23-24
    offsets = detokenise(["Kim", "said", "the", "plan", "works", "."]).offsets
    prediction = Prediction(content=(10, 20), cue=(4, 8), speaker=(0, 3))
    spans = predicted_token_spans([prediction], offsets)
    assert spans == {"source": [(0, 1)], "cue": [(1, 2)], "content": [(2, 5)]}


def test_content_wins_over_cue_and_source_and_a_shared_speaker_is_one_span() -> None:
    offsets = detokenise(["Kim", "said", "A", "and", "added", "B"]).offsets
    first = Prediction(content=(9, 10), cue=(4, 8), speaker=(0, 3))
    # A wrong second statement whose content swallows the first one's cue.
    second = Prediction(content=(4, 8), cue=(15, 20), speaker=(0, 3))
    spans = predicted_token_spans([first, second], offsets)
    assert spans["content"] == [(1, 2), (2, 3)]  # two statements, two content spans
    assert spans["cue"] == [(4, 5)]
    assert spans["source"] == [(0, 1)]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n", encoding="utf-8")
    return path


def test_read_segments_ignores_extra_keys_and_honours_limit(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"tokens": ["Hi", "."], "labels": ["O", "O"], "pos": ["UH", "."], "id": f"a_{n}"}
        for n in range(3)
    ]
    path = _write(tmp_path / "valid.txt", rows)
    assert [s.id for s in read_segments(path)] == ["a_0", "a_1", "a_2"]
    assert [s.id for s in read_segments(path, limit=2)] == ["a_0", "a_1"]


def test_read_segments_rejects_misaligned_labels(tmp_path: Path) -> None:
    path = _write(tmp_path / "valid.txt", [{"tokens": ["Hi"], "labels": [], "id": "a_1"}])
    with pytest.raises(CofenetFormatError, match="line 1"):
        list(read_segments(path))
