"""How a pronoun speaker ("he said") finds the actor it stands for.

Three strategies, compared on PolNeAR dev by ``benchmarks/pronoun_resolution.py``:

- ``salience``: the most recent person who was the subject of a clause outside reported
  words, or else the most recent speaker of a fitting kind. Names inside quotes and
  prepositional phrases ("Standing alongside Jared Kushner, he ...") are not salient.
- ``nearest_name``: the nearest name of a fitting kind written before the pronoun.
- ``none``: a pronoun keeps no speaker.

coreferee (the neural option) cannot run here: its English models are not on PyPI
and it does not recognise this project's model package (see the benchmark).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from api.pipeline.lexicon import load_lexicon

if TYPE_CHECKING:
    from api.pipeline.resolve import PersonMention

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GENDER = {"he": "he", "him": "he", "she": "she", "her": "she"}
# Entity labels a pronoun can stand for: "it" is a government, an organisation or a
# document; "they" and "we" a government, an organisation or a group.
_ENTITY_LABELS = {
    "it": frozenset({"ORG", "GPE"}),
    "they": frozenset({"ORG", "GPE", "NORP"}),
    "we": frozenset({"ORG", "GPE", "NORP"}),
}


class PronounStrategy(enum.StrEnum):
    SALIENCE = "salience"
    NEAREST_NAME = "nearest_name"
    NONE = "none"


def nearest_name(doc: Doc, position: int, pronoun: str) -> Span | None:
    """The last entity of a kind the pronoun can stand for, ending before ``position``."""
    labels = (
        frozenset({"PERSON"})
        if pronoun in PERSON_PRONOUNS
        else _ENTITY_LABELS.get(pronoun, frozenset())
    )
    found: Span | None = None
    for entity in doc.ents:
        if entity.end_char > position:
            break
        if entity.label_ in labels:
            found = entity
    return found


class Gendered:
    """Whether a person can be what "he" or "she" stands for, on the article's evidence:
    a form of address ("Mr. Obama", "Mrs. Clinton") or a gendered role word before
    the name ("spokeswoman Jane Roe"). Without evidence any person fits: the strategy
    then falls back to recency, never to a guess from the first name."""

    def __init__(self, text: str, people: Sequence[PersonMention], pronoun: str) -> None:
        self.text = text
        self.people = people
        self.wanted = _GENDER.get(pronoun)
        self.known: dict[str, str | None] = {}

    def __call__(self, name: str, role: str | None = None) -> bool:
        if self.wanted is None:
            return True
        if name not in self.known:
            self.known[name] = self._gender(name, role)
        known = self.known[name]
        return known is None or known == self.wanted

    def _gender(self, name: str, role: str | None) -> str | None:
        words = load_lexicon().gender_words
        addressed = _addressed(self.text).get(name.split()[-1].casefold())
        if addressed is not None:
            return addressed
        roles = [role or ""] + [p.role or "" for p in self.people if p.name == name]
        for gender in ("he", "she"):
            if any(w in r.casefold().split() for r in roles for w in words[gender]):
                return gender
        return None


@lru_cache(maxsize=4)
def _addressed(text: str) -> dict[str, str]:
    """Surnames the article writes after a gendered form of address ("Mr. Obama"),
    found in one pass per article: "he" or "she" by lower-case surname."""
    words = load_lexicon().gender_words
    found: dict[str, str] = {}
    for gender in ("he", "she"):
        address = "|".join(re.escape(w) for w in sorted(words[gender]))
        for match in re.finditer(rf"\b(?:{address})\.? ([A-Z][\w'’-]+)", text, re.I):
            found.setdefault(match.group(1).casefold(), gender)
    return found
