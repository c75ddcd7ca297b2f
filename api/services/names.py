"""The stable keys actors, aliases and editors' corrections are stored by.

One definition for the ingestion pipeline (which finds actors by these keys) and for the
corrections services (which record and replay corrections by them): if the two computed
keys differently, a correction would silently stop applying after re-ingestion.
"""

from __future__ import annotations

import unicodedata

_POSSESSIVE_SUFFIXES = ("’s", "'s", "’", "'")


def name_key(text: str) -> str:
    """A comparison key for names: accents folded, case folded, spacing collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = stripped.replace("’", "'").replace(".", "").casefold()
    return " ".join(cleaned.split())


def actor_key(kind: str, name: str) -> str:
    """An actor's key: its kind and its name's key ("person:emmanuel macron")."""
    return f"{kind}:{name_key(name)}"


def key_kind(key: str) -> str:
    """The kind an actor key names ("person" for "person:emmanuel macron")."""
    return key.partition(":")[0]


def strip_possessive(name: str) -> str:
    """ "Merz's" -> "Merz"; "Reuters'" -> "Reuters"."""
    for suffix in _POSSESSIVE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def mention_matches(mention: str | None, alias_key: str) -> bool:
    """Whether a speaker mention as written names ``alias_key``: the alias's words, in
    order, as whole words of the mention.

    "U.S. envoy Steve Whitkoff", "Steve Whitkoff's" and "a draft document from the
    coalition" name the aliases "Steve Whitkoff" and "draft document"; "Steve Witkoff"
    does not name "Steve Whitkoff", nor "Whitkoffs" "Whitkoff". Splitting an alias off
    an actor moves the statements whose mention names it.
    """
    if mention is None or not alias_key:
        return False
    key = name_key(strip_possessive(mention.strip()))
    return f" {alias_key} " in f" {key} "
