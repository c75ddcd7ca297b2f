"""Hand-built spaCy Docs: the extractor's rules tested without loading a model."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon

# A blank English vocab gives lexical attributes (lower case, like_num) without a model.
_VOCAB = spacy.blank("en").vocab


def build_doc(rows: str) -> Doc:
    """One token per line: ``text head dep pos tag lemma ent [nospace]``.

    ``head`` is the index of the head token (its own index for the root), ``ent`` is an
    IOB tag such as ``B-PERSON`` or ``O``; ``nospace`` means no space follows the token.
    Sentence starts follow from the heads.
    """
    words, spaces, heads, deps, pos, tags, lemmas, ents = [], [], [], [], [], [], [], []
    for line in rows.strip().splitlines():
        parts = line.split()
        words.append(parts[0])
        heads.append(int(parts[1]))
        deps.append(parts[2])
        pos.append(parts[3])
        tags.append(parts[4])
        lemmas.append(parts[5])
        ents.append(parts[6])
        spaces.append(not (len(parts) > 7 and parts[7] == "nospace"))
    return Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        tags=tags,
        lemmas=lemmas,
        ents=ents,
    )


def chars(text: str, start: int | None, end: int | None) -> str | None:
    """The characters of an optional span, or None when the span is absent."""
    return None if start is None or end is None else text[start:end]


def triples(rows: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker mention, cue, content) of every statement extracted from the hand-built
    Doc of ``rows``, in text order."""
    return triples_of(build_doc(rows))


def triples_of(doc: Doc) -> list[tuple[str | None, str | None, str]]:
    """(speaker mention, cue, content) of every statement extracted from ``doc``."""
    text = doc.text
    return [
        (
            chars(text, s.speaker_start, s.speaker_end),
            chars(text, s.cue_start, s.cue_end),
            text[s.content_start : s.content_end],
        )
        for s in extract_statements(doc, load_lexicon())
    ]
