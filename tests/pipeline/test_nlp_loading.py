"""Loading the pipeline once per process, and leaving the collector tuned for ingestion."""

from __future__ import annotations

import gc

import pytest

from api.pipeline.nlp import GC_YOUNG_THRESHOLD, load_pipeline

pytestmark = pytest.mark.nlp


def test_the_pipeline_has_the_statement_components_around_the_parser() -> None:
    names = load_pipeline().pipe_names
    assert names.index("paragraph_boundaries") < names.index("parser")
    assert names[-1] == "statement_extractor"
    assert load_pipeline() is load_pipeline()  # loaded once


def test_the_loaded_model_is_frozen_out_of_the_collectors_sight() -> None:
    load_pipeline()
    assert gc.get_freeze_count() > 100_000  # the model's and the modules' objects
    assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
    # Garbage made after loading is still collected.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
