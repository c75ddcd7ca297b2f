"""Attributions carried by a reporting noun: "Trump's claim that ...", "a statement
from the White House that ...", "her promise to cut taxes". The possessor (or the
"from"/"by" phrase) is the speaker and the that-clause (or, for nouns of commitment, the
infinitive) the content; a noun without both reports nothing.

Nouns with a prepositional object ("Trump's attack on Cruz", "her support for the deal")
were measured on PolNeAR train and left out: under a third of them are annotated."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from api.pipeline.candidates import (
    expand_to_quotes,
    inside_any,
    make_candidate,
    speaker_outside,
    trim,
)
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan
from api.pipeline.speakers import describe_speaker, mention_tokens
from api.pipeline.types import StatementCandidate

NOUN_CUE_CONFIDENCE = 0.8
_SOURCE_PREPS = {"from", "by"}


def noun_statements(
    doc: Doc, quotes: list[QuoteSpan], lexicon: Lexicon
) -> list[StatementCandidate]:
    found: list[StatementCandidate] = []
    for token in doc:
        if token.pos_ != "NOUN" or inside_any(token.idx, quotes):
            continue
        lemma = token.lemma_.lower()
        if lemma not in lexicon.cue_nouns:
            continue
        source = _source(token)
        if source is None:
            continue
        content = _content(token, lemma, lexicon)
        if content is None:
            continue
        speaker_ids = mention_tokens(source)
        bounds = trim(doc, [i for i in content if i not in speaker_ids])
        if bounds is None:
            continue
        start, end = expand_to_quotes(*bounds, quotes)
        speaker = speaker_outside(doc, speaker_ids, start, end)
        if speaker is None:
            continue
        found.append(
            make_candidate(
                start,
                end,
                quotes,
                cue=(token.idx, token.idx + len(token.text)),
                speaker=speaker,
                guess=describe_speaker(speaker, lexicon),
                confidence=NOUN_CUE_CONFIDENCE,
            )
        )
    return found


def _content(noun: Token, lemma: str, lexicon: Lexicon) -> list[int] | None:
    """The content's token indices: "claim that X", or "promise to X"."""
    clause = _that_clause(noun)
    if clause is not None:
        return [t.i for t in clause.subtree]
    infinitive = _infinitive(noun)
    if infinitive is not None and lemma in lexicon.infinitive_nouns:
        return [t.i for t in infinitive.subtree]
    return None


def _source(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in _SOURCE_PREPS:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _that_clause(noun: Token) -> Token | None:
    """The clause the noun announces: "claim that X" (parsed as acl or ccomp)."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ in {"acl", "ccomp", "relcl"}:
            first = child.doc[child.left_edge.i]
            if first.lower_ == "that" and first.dep_ == "mark":
                return child
    return None


def _infinitive(noun: Token) -> Token | None:
    """ "her plan to cut taxes": a to-infinitive right after the noun."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ == "acl" and child.pos_ in {"VERB", "AUX"}:
            first = child.doc[child.left_edge.i]
            if first.lower_ == "to" and first.dep_ == "aux" and first.i == noun.i + 1:
                return child
    return None
