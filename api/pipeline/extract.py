"""spaCy Doc -> statement candidates: the extraction stage as one typed function."""

from __future__ import annotations

from spacy.tokens import Doc

from api.pipeline.attributions import according_statements, headline_statements, leftover_quotes
from api.pipeline.candidates import dedupe, inside_any
from api.pipeline.cues import is_cue, verb_statement
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import find_quotes, is_heading_quote
from api.pipeline.types import StatementCandidate


def extract_statements(doc: Doc, lexicon: Lexicon) -> list[StatementCandidate]:
    """Every statement in a parsed Doc (needs heads, deps, lemmas, POS and entities)."""
    text = doc.text
    quotes = [q for q in find_quotes(text) if not is_heading_quote(text, q)]
    candidates: list[StatementCandidate] = []
    for token in doc:
        if is_cue(token, lexicon) and not inside_any(token.idx, quotes):
            candidate = verb_statement(token, quotes, lexicon)
            if candidate is not None:
                candidates.append(candidate)
    candidates = according_statements(doc, quotes, lexicon, candidates)
    candidates.extend(headline_statements(doc, quotes, lexicon))
    candidates.extend(leftover_quotes(doc, quotes, candidates))
    return dedupe(candidates)
