"""The cue and speaker lexicons, loaded from the TOML files in ``data/``."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import msgspec
from spacy.tokens import Token

# Re-exported: the pipeline and the corrections services must key names identically.
from api.services.names import name_key, strip_possessive

DATA_DIR = Path(__file__).parent / "data"

__all__ = ["DATA_DIR", "Lexicon", "load_lexicon", "name_key"]


class Lexicon(msgspec.Struct, frozen=True, kw_only=True):
    clause_verbs: frozenset[str]
    object_verbs: frozenset[str]
    nominal_verbs: frozenset[str]  # a bare noun phrase object is what they report
    phrasal: dict[str, frozenset[str]]
    # "sees the deal as a mistake": verbs that report only with this predicative word
    # after their object; unlike a phrasal particle, it stays in the content
    predicative: dict[str, frozenset[str]]
    prepositional: dict[str, frozenset[str]]  # "called for": the preposition is cue
    # "expressed concern about": light verb -> prepositions after its object that open
    # the content (the object and the preposition are cue)
    light_verbs: dict[str, frozenset[str]]
    infinitive_verbs: frozenset[str]  # "urged allies to act": the infinitive is content
    cue_nouns: frozenset[str]  # "Trump's claim that ...": a noun that reports
    infinitive_nouns: frozenset[str]  # "her plan to cut taxes": the infinitive is content
    according_preps: tuple[tuple[str, str], ...]
    passive_verbs: frozenset[str]
    document_nouns: frozenset[str]
    group_nouns: frozenset[str]
    media_anaphora: frozenset[str]
    media_keys: dict[str, str]  # name_key -> canonical media name
    government_keys: dict[str, str]  # name_key -> canonical government name
    honorifics: frozenset[str]  # lower case: "mr", "sir"
    titles: frozenset[str]  # lower case title words a recognised name may begin with
    demonyms: dict[str, str]  # name_key of a country -> its adjective ("germany" -> "German")
    # "he" / "she" -> forms of address and role words that show a person's gender
    gender_words: dict[str, frozenset[str]]
    # word forms the model's lemmatiser gets wrong ("hoped" -> "hop"): form -> lemma
    lemma_fixes: dict[str, str] = {}

    @property
    def cue_verbs(self) -> frozenset[str]:
        return self.clause_verbs | self.object_verbs | self.nominal_verbs

    def lemma(self, token: Token) -> str:
        """The token's lower-case lemma, corrected where the lemmatiser is known wrong."""
        return self.lemma_fixes.get(token.lower_) or token.lemma_.lower()

    def media_name(self, text: str) -> str | None:
        return self.media_keys.get(name_key(_strip_article(text)))

    def government_name(self, text: str) -> str | None:
        return self.government_keys.get(name_key(text)) or self.government_keys.get(
            name_key(_strip_article(text))
        )

    def clean_role(self, role: str | None) -> str | None:
        """A role as the title it is: honorifics dropped ("Mr" is no role), a possessor
        turned into its adjective ("Germany's Chancellor" -> "German Chancellor", as
        "German Chancellor Friedrich Merz" gives it) or kept plain ("Kremlin spokesman")."""
        if role is None:
            return None
        words = [w for w in role.split() if w.casefold().rstrip(".") not in self.honorifics]
        if not words:
            return None
        for i, word in enumerate(words):
            possessor = strip_possessive(word)
            if possessor == word or i == len(words) - 1:
                continue
            # "the UK's" or "Britain's": the possessor may span the words before it.
            owner = " ".join([*words[:i], possessor])
            adjective = self.demonyms.get(name_key(_strip_article(owner)))
            head = [adjective] if adjective else [*words[:i], possessor]
            words = [w for w in head if w.casefold() != "the"] + words[i + 1 :]
            break
        return " ".join(words)


def _strip_article(text: str) -> str:
    lowered = text.lower()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            return text[len(article) :]
    return text


def _read(name: str) -> dict[str, object]:
    with (DATA_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def _word_sets(table: object) -> dict[str, frozenset[str]]:
    return {
        word: frozenset(others)
        for word, others in msgspec.convert(table, dict[str, list[str]]).items()
    }


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    cues = _read("cues.toml")
    speakers = _read("speakers.toml")
    verbs = msgspec.convert(cues["verbs"], dict[str, str])
    according = msgspec.convert(cues["according"], dict[str, list[str]])
    nouns = msgspec.convert(cues["nouns"], dict[str, list[str]])
    preps: list[tuple[str, str]] = []
    for phrase in according["prepositions"]:
        head, _, prep = phrase.partition(" ")
        preps.append((head, prep))
    media: dict[str, str] = {}
    for name in msgspec.convert(speakers["media"], list[str]):
        media[name_key(_strip_article(name))] = name
    governments: dict[str, str] = {}
    for canonical, names in msgspec.convert(speakers["governments"], dict[str, list[str]]).items():
        for name in [canonical, *names]:
            governments[name_key(name)] = canonical
    demonyms = {
        name_key(country): adjective
        for country, adjective in msgspec.convert(speakers["demonyms"], dict[str, str]).items()
    }
    return Lexicon(
        honorifics=frozenset(msgspec.convert(speakers["honorifics"], list[str])),
        titles=frozenset(msgspec.convert(speakers["titles"], list[str])),
        demonyms=demonyms,
        gender_words=_word_sets(speakers["gender"]),
        clause_verbs=frozenset(v for v, how in verbs.items() if how == "clause"),
        object_verbs=frozenset(v for v, how in verbs.items() if how == "object"),
        nominal_verbs=frozenset(v for v, how in verbs.items() if how == "nominal"),
        phrasal=_word_sets(cues["phrasal"]),
        predicative=_word_sets(cues.get("predicative", {})),
        prepositional=_word_sets(cues["prepositional"]),
        light_verbs=_word_sets(cues["light"]),
        infinitive_verbs=frozenset(
            msgspec.convert(cues["infinitive"], dict[str, list[str]])["verbs"]
        ),
        cue_nouns=frozenset(nouns["nouns"]),
        infinitive_nouns=frozenset(nouns["infinitive"]),
        according_preps=tuple(preps),
        passive_verbs=frozenset(according["passive_verbs"]),
        document_nouns=frozenset(msgspec.convert(speakers["documents"], list[str])),
        group_nouns=frozenset(msgspec.convert(speakers["groups"], list[str])),
        media_anaphora=frozenset(msgspec.convert(speakers["media_anaphora"], list[str])),
        media_keys=media,
        government_keys=governments,
        lemma_fixes=msgspec.convert(cues.get("lemma_fixes", {}), dict[str, str]),
    )
