"""Running the English pipeline once over texts and reading every extractor off each Doc."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from spacy.tokens import Doc
from tqdm import tqdm

from api.evaluation.spans import Prediction
from api.pipeline.nlp import load_pipeline
from api.pipeline.types import StatementCandidate

Extractor = Callable[[Doc], list[Prediction]]
BATCH_SIZE = 32


def from_candidate(candidate: StatementCandidate) -> Prediction:
    """Our statement as scored: its content, its cue and its speaker *mention*.

    The mention (the words in this text, "he" included) is what gold sources mark;
    PolNeAR has no coreference, so the resolved actor is not scored.
    """
    cue = None
    if candidate.cue_start is not None and candidate.cue_end is not None:
        cue = (candidate.cue_start, candidate.cue_end)
    speaker = None
    if candidate.speaker_start is not None and candidate.speaker_end is not None:
        speaker = (candidate.speaker_start, candidate.speaker_end)
    return Prediction(
        content=(candidate.content_start, candidate.content_end), cue=cue, speaker=speaker
    )


def ours(doc: Doc) -> list[Prediction]:
    """The statements our ``statement_extractor`` component left on the Doc."""
    candidates: list[StatementCandidate] = doc._.statements or []
    return [from_candidate(c) for c in candidates]


def predict(
    texts: Sequence[str],
    extractors: Mapping[str, Extractor],
    *,
    progress: bool = False,
    description: str = "parsing",
    batch_size: int = BATCH_SIZE,
) -> list[dict[str, list[Prediction]]]:
    """Per text, each extractor's predictions.

    Identical texts are parsed once: CofeNet repeats the paragraphs of the articles that
    six annotators labelled, once per annotator. One process: the statement extractor is
    cheap next to the parser, and a second process would double the model's memory.
    """
    unique = list(dict.fromkeys(texts))
    nlp = load_pipeline()
    docs = nlp.pipe(unique, batch_size=batch_size, n_process=1)
    by_text: dict[str, dict[str, list[Prediction]]] = {}
    bar = tqdm(docs, total=len(unique), desc=description, unit="doc", disable=not progress)
    for text, doc in zip(unique, bar, strict=True):
        by_text[text] = {name: extract(doc) for name, extract in extractors.items()}
    return [by_text[text] for text in texts]
