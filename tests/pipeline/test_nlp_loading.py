"""Loading the pipeline once per process, and leaving the collector tuned for ingestion."""

from __future__ import annotations

import gc

import pytest

import api.pipeline.nlp as nlp_module
from api.pipeline.nlp import GC_YOUNG_THRESHOLD, load_pipeline, settle_collector

pytestmark = pytest.mark.nlp


def test_the_pipeline_has_the_statement_components_around_the_parser() -> None:
    names = load_pipeline().pipe_names
    assert names.index("paragraph_boundaries") < names.index("parser")
    assert names[-1] == "statement_extractor"
    assert load_pipeline() is load_pipeline()  # loaded once


def test_the_loaded_model_is_frozen_out_of_the_collectors_sight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settled: list[bool] = []
    monkeypatch.setattr(nlp_module, "settle_collector", lambda: settled.append(True))
    nlp_module.load_pipeline.cache_clear()  # loaded again here, and kept for later callers
    nlp_module.load_pipeline()
    assert settled == [True]


def test_settling_freezes_what_is_held_and_collects_the_young_less_often() -> None:
    load_pipeline()
    gc.unfreeze()  # whatever another test left frozen or not
    settle_collector()
    assert gc.get_freeze_count() > 100_000  # the model's and the modules' objects
    assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
    # Garbage made afterwards is still collected.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
