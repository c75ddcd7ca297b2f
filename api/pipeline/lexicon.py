"""The cue and speaker lexicons, loaded from the TOML files in ``data/``."""

from __future__ import annotations

import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

import msgspec

DATA_DIR = Path(__file__).parent / "data"


def name_key(text: str) -> str:
    """A comparison key for names: accents folded, case folded, spacing collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = stripped.replace("’", "'").replace(".", "").casefold()
    return " ".join(cleaned.split())


class Lexicon(msgspec.Struct, frozen=True, kw_only=True):
    clause_verbs: frozenset[str]
    object_verbs: frozenset[str]
    phrasal: dict[str, frozenset[str]]
    according_preps: tuple[tuple[str, str], ...]
    passive_verbs: frozenset[str]
    document_nouns: frozenset[str]
    group_nouns: frozenset[str]
    media_anaphora: frozenset[str]
    media_keys: dict[str, str]  # name_key -> canonical media name
    government_keys: dict[str, str]  # name_key -> canonical government name

    @property
    def cue_verbs(self) -> frozenset[str]:
        return self.clause_verbs | self.object_verbs

    def media_name(self, text: str) -> str | None:
        return self.media_keys.get(name_key(_strip_article(text)))

    def government_name(self, text: str) -> str | None:
        return self.government_keys.get(name_key(text)) or self.government_keys.get(
            name_key(_strip_article(text))
        )


def _strip_article(text: str) -> str:
    lowered = text.lower()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            return text[len(article) :]
    return text


def _read(name: str) -> dict[str, object]:
    with (DATA_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    cues = _read("cues.toml")
    speakers = _read("speakers.toml")
    verbs = msgspec.convert(cues["verbs"], dict[str, str])
    according = msgspec.convert(cues["according"], dict[str, list[str]])
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
    return Lexicon(
        clause_verbs=frozenset(v for v, how in verbs.items() if how == "clause"),
        object_verbs=frozenset(v for v, how in verbs.items() if how == "object"),
        phrasal={
            verb: frozenset(particles)
            for verb, particles in msgspec.convert(cues["phrasal"], dict[str, list[str]]).items()
        },
        according_preps=tuple(preps),
        passive_verbs=frozenset(according["passive_verbs"]),
        document_nouns=frozenset(msgspec.convert(speakers["documents"], list[str])),
        group_nouns=frozenset(msgspec.convert(speakers["groups"], list[str])),
        media_anaphora=frozenset(msgspec.convert(speakers["media_anaphora"], list[str])),
        media_keys=media,
        government_keys=governments,
    )
