"""Running the English pipeline once over texts and reading every extractor off each Doc."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec
from spacy.tokens import Doc
from tqdm import tqdm

from api.evaluation.spans import CharSpan, Prediction
from api.pipeline.nlp import load_pipeline
from api.pipeline.types import StatementCandidate

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


_OPENING = "“\"‘'"
_CLOSING = "”\"’'"


def polnear_content(text: str, candidate: StatementCandidate) -> tuple[int, int]:
    """Our content span in PolNeAR's annotation convention.

    The product stores what was said without the complementiser and, for direct quotes,
    without the marks (the quoted words are kept verbatim in ``quotes``). PolNeAR's
    annotators include both: "that X", and “X,” with its marks and the comma inside.
    Only the boundaries move; no statement is added or dropped.
    """
    start, end = candidate.content_start, candidate.content_end
    if start > 0 and text[start - 1] in _OPENING:
        start -= 1
        closing = end
        while closing < len(text) and text[closing] in ",.!?":
            closing += 1
        if closing < len(text) and text[closing] in _CLOSING:
            end = closing + 1
    elif text[max(0, start - 5) : start] == "that ":
        start -= 5
    return start, end


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
    predictions = []
    for candidate in outermost(candidates):
        prediction = from_candidate(candidate, doc.text)
        if prediction.speaker is not None:
            speaker = polnear_source(doc, prediction.speaker, prediction.content)
            prediction = msgspec.structs.replace(prediction, speaker=speaker)
        predictions.append(prediction)
    return predictions


def polnear_source(doc: Doc, mention: CharSpan, content: CharSpan) -> CharSpan:
    """The speaker mention widened to the whole noun phrase, as PolNeAR marks sources.

    The product keeps the name ("Douglas Holtz-Eakin"); PolNeAR's source also takes the
    appositive and relative clause that describe the speaker ("..., an economist who
    served as director of the Congressional Budget Office").
    """
    span = doc.char_span(mention[0], mention[1], alignment_mode="expand")
    if span is None:
        return mention
    tokens = [t for t in span.root.subtree if not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return mention
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    start, end = min(start, mention[0]), max(end, mention[1])
    if start < content[1] and content[0] < end:
        return mention  # the phrase would run into the content: keep the mention
    return start, end


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
