"""Running the English pipeline once over texts and reading every extractor off each Doc."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec
from spacy.tokens import Doc
from tqdm import tqdm

from api.evaluation.conventions import polnear_content, polnear_cue, polnear_source
from api.evaluation.spans import Prediction
from api.pipeline.nlp import load_pipeline
from api.pipeline.types import StatementCandidate
from schemas.common import StatementKind

Extractor = Callable[[Doc], list[Prediction]]
BATCH_SIZE = 32


def from_candidate(candidate: StatementCandidate, text: str | None = None) -> Prediction:
    """Our statement as scored: its content, its cue and its speaker *mention*.

    The mention (the words in this text, "he" included) is what gold sources mark;
    PolNeAR has no coreference, so the resolved actor is not scored. With ``text``, the
    content is given PolNeAR's boundaries (see ``polnear_content``).
    """
    cue = None
    if candidate.cue_start is not None and candidate.cue_end is not None:
        cue = (candidate.cue_start, candidate.cue_end)
    speaker = None
    if candidate.speaker_start is not None and candidate.speaker_end is not None:
        speaker = (candidate.speaker_start, candidate.speaker_end)
    content = (candidate.content_start, candidate.content_end)
    if text is not None:
        content = polnear_content(text, candidate)
    return Prediction(content=content, cue=cue, speaker=speaker)


def outermost(candidates: list[StatementCandidate]) -> list[StatementCandidate]:
    """Statements not nested in another one's content.

    PolNeAR is univocal (a token has one role in one relation): an attribution reported
    inside another's content is not annotated separately, so nested ones are not scored.
    """

    def inside(inner: StatementCandidate, outer: StatementCandidate) -> bool:
        return (
            outer is not inner
            and outer.content_start <= inner.content_start
            and inner.content_end <= outer.content_end
            and outer.content_end - outer.content_start > inner.content_end - inner.content_start
        )

    return [c for c in candidates if not any(inside(c, other) for other in candidates)]


def ours(doc: Doc) -> list[Prediction]:
    """The statements our ``statement_extractor`` component left on the Doc, outermost
    ones only, with PolNeAR's content boundaries."""
    candidates: list[StatementCandidate] = doc._.statements or []
    text = doc.text
    predictions: list[Prediction] = []
    heads: list[StatementCandidate] = []
    for candidate in outermost(candidates):
        prediction = from_candidate(candidate, text)
        head = _continued(text, candidate, heads)
        if head is not None:
            number = heads.index(head)
            first = predictions[number]
            more = (*first.more_content, prediction.content)
            predictions[number] = msgspec.structs.replace(first, more_content=more)
            continue
        if prediction.speaker is not None:
            speaker = polnear_source(doc, prediction.speaker, prediction.content)
            prediction = msgspec.structs.replace(prediction, speaker=speaker)
        if prediction.cue is not None:
            cue = polnear_cue(doc, prediction.cue, prediction.content, prediction.speaker)
            prediction = msgspec.structs.replace(prediction, cue=cue)
        predictions.append(prediction)
        heads.append(candidate)
    return predictions


def _continued(
    text: str, candidate: StatementCandidate, earlier: list[StatementCandidate]
) -> StatementCandidate | None:
    """The statement a cueless quote continues in the same paragraph ("“A,” he said.
    “B.”"): the extractor gives it the earlier one's speaker mention, and PolNeAR
    annotates the two quotes as one relation with a discontinuous content.

    A quote continues a quote: in "“A,” she said, referring to the plan, “B.”" the
    aside reports with the same mention, and "B" still continues "A"."""
    if candidate.cue_start is not None or candidate.speaker_start is None:
        return None
    mention = (candidate.speaker_start, candidate.speaker_end)
    heads = [
        head
        for head in earlier
        if (head.speaker_start, head.speaker_end) == mention
        and head.content_end <= candidate.content_start
        and "\n" not in text[head.content_end : candidate.content_start]
    ]
    quoted = [head for head in heads if head.kind == StatementKind.DIRECT]
    chosen = quoted or heads
    return chosen[-1] if chosen else None


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
