"""Canonical actors and sources: found by key or alias, created when new.

Actors are canonical across the corpus: one key per kind and name, aliases for every
other spelling seen (and those a curated actor file lists, api/pipeline/actor_seed.py).
How a mention reaches a stored actor is api/pipeline/actor_lookup.py; here actors are
created, renamed and given aliases, and the lookup told of each change.

The actor found this way is the machine's choice; the editors' corrections then have the
last word (api/pipeline/corrections.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.actor_lookup import ActorLookup, find_actor
from api.pipeline.corrections import Corrections, Mention
from api.pipeline.lexicon import load_lexicon, name_key
from api.pipeline.resolve import ResolvedSpeaker
from api.services.corrections import actor_by_key
from api.services.names import actor_key, mention_matches
from api.storage.models import ActorAliasRow, ActorRow, SourceRow

__all__ = [
    "ActorLookup",
    "actor_by_key",
    "actor_key",
    "find_actor",
    "get_or_create_source",
    "speaker_actor",
]


def get_or_create_source(session: Session, name: str, kind: str) -> SourceRow:
    key = name_key(load_lexicon().media_name(name) or name)
    existing = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if existing is not None:
        return existing
    source = SourceRow(key=key, name=name, kind=kind)
    session.add(source)
    session.flush()
    return source


def speaker_actor(
    session: Session,
    speaker: ResolvedSpeaker | None,
    corrections: Corrections,
    mention: Mention,
    lookup: ActorLookup | None = None,
) -> tuple[ActorRow | None, str | None]:
    """The actor a statement is attributed to, and the role it is stored with.

    ``lookup``: answers kept while one article is stored (see ``ActorLookup``).
    """
    lookup = ActorLookup() if lookup is None else lookup
    role = speaker.role if speaker else None
    found = lookup.find(session, speaker) if speaker else None
    machine_key = None
    if speaker is not None:
        machine_key = found.key if found else actor_key(speaker.kind, speaker.name)
    decision = corrections.decide(machine_key, mention)
    if not decision.corrected:
        if speaker is None:
            return None, None
        actor = found or _create_actor(session, speaker, corrections, lookup)
        # No flush: the statement's row takes the actor as its relationship, and the
        # article's statements are flushed together, new actors and aliases first.
        _add_aliases(actor, speaker, corrections, lookup)
        return actor, role
    if decision.key is None:
        return None, None
    actor = actor_by_key(session, decision.key, decision.name or (speaker.name if speaker else ""))
    if speaker is not None and not decision.reassigned:
        # Merged or split: the mention is one of this actor's names from now on (of a
        # split, the names the split alias is in). A speaker chosen by hand for one
        # statement is not named by its mention.
        _add_aliases(actor, speaker, corrections, only=decision.alias_key, also=decision.alias)
    lookup.changed()  # actor_by_key may have created the actor the editors named
    session.flush()
    return actor, role if decision.keep_role else None


def _create_actor(
    session: Session, speaker: ResolvedSpeaker, corrections: Corrections, lookup: ActorLookup
) -> ActorRow:
    key = actor_key(speaker.kind, speaker.name)
    if speaker.kind == "person" and len(name_key(speaker.name).split()) >= 2:
        lone = _lone_surname_actor(session, speaker, corrections, lookup)
        if lone is not None:
            # "Trump said" came first, "Donald Trump" now: one person, named in full.
            old_key = lone.key
            lone.key, lone.name = key, speaker.name
            lookup.renamed(lone, old_key)
            return lone
    actor = ActorRow(key=key, name=speaker.name, kind=speaker.kind)
    session.add(actor)
    lookup.created(actor)
    return actor


def _lone_surname_actor(
    session: Session, speaker: ResolvedSpeaker, corrections: Corrections, lookup: ActorLookup
) -> ActorRow | None:
    surname = name_key(speaker.name).split()[-1]
    lone = lookup.actor(session, f"person:{surname}")
    if lone is None or lone.kind != "person":
        return None
    if lone.wikidata_id is not None or corrections.names_key(lone.key):
        return None  # curated or corrected actors keep their key
    return lone


def _add_aliases(
    actor: ActorRow,
    speaker: ResolvedSpeaker,
    corrections: Corrections,
    lookup: ActorLookup | None = None,
    *,
    only: str | None = None,
    also: str | None = None,
) -> bool:
    """The speaker's name (and titled name) as aliases; ``only`` those naming that alias
    key, ``also`` that alias. True when one was added."""
    withheld = corrections.withheld_aliases(actor.key)
    added = False
    names = [speaker.name, f"{speaker.role} {speaker.name}" if speaker.role else None]
    if only is not None:
        names = [also, *(name for name in names if name and mention_matches(name, only))]
    for alias in names:
        if alias is None or any(mention_matches(alias, split) for split in withheld):
            continue  # an editor split this name off the actor: it stays off
        key = name_key(alias)
        if all(existing.key != key for existing in actor.aliases):
            actor.aliases.append(ActorAliasRow(alias=alias, key=key))
            added = True
            if lookup is not None:
                lookup.aliased(actor, key)
    return added
