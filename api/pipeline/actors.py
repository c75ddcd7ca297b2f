"""Canonical actors and sources: found by key or alias, created when new.

Actors are canonical across the corpus: one key per kind and name, aliases for every
other spelling seen. A person written with a misspelt surname ("Whitkoff") reaches the
existing actor only when the first name agrees and the surnames are close (rapidfuzz),
never on fuzzy similarity alone.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.lexicon import load_lexicon, name_key
from api.pipeline.resolve import ResolvedSpeaker
from api.storage.models import ActorAliasRow, ActorRow, SourceRow

SURNAME_SIMILARITY = 85.0


def get_or_create_source(session: Session, name: str, kind: str) -> SourceRow:
    key = name_key(load_lexicon().media_name(name) or name)
    existing = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if existing is not None:
        return existing
    source = SourceRow(key=key, name=name, kind=kind)
    session.add(source)
    session.flush()
    return source


def actor_key(kind: str, name: str) -> str:
    return f"{kind}:{name_key(name)}"


def get_or_create_actor(session: Session, speaker: ResolvedSpeaker) -> ActorRow:
    key = actor_key(speaker.kind, speaker.name)
    actor = session.scalar(select(ActorRow).where(ActorRow.key == key))
    if actor is None:
        alias_owner = session.scalar(
            select(ActorRow)
            .join(ActorAliasRow)
            .where(ActorAliasRow.key == name_key(speaker.name), ActorRow.kind == speaker.kind)
        )
        actor = alias_owner or (
            _similar_person(session, speaker) if speaker.kind == "person" else None
        )
    if actor is None:
        actor = ActorRow(key=key, name=speaker.name, kind=speaker.kind)
        session.add(actor)
    _add_alias(actor, speaker.name)
    if speaker.role:
        _add_alias(actor, f"{speaker.role} {speaker.name}")
    session.flush()
    return actor


def _add_alias(actor: ActorRow, alias: str) -> None:
    key = name_key(alias)
    if all(existing.key != key for existing in actor.aliases):
        actor.aliases.append(ActorAliasRow(alias=alias, key=key))


def _similar_person(session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
    """Same first name and a close surname; a lone surname must match exactly and uniquely."""
    parts = name_key(speaker.name).split()
    people = session.scalars(select(ActorRow).where(ActorRow.kind == "person")).all()
    if len(parts) == 1:
        same = [p for p in people if name_key(p.name).split()[-1] == parts[0]]
        return same[0] if len(same) == 1 else None
    matches = []
    for person in people:
        other = name_key(person.name).split()
        if len(other) < 2 or other[0] != parts[0]:
            continue
        if fuzz.ratio(other[-1], parts[-1]) >= SURNAME_SIMILARITY:
            matches.append(person)
    return matches[0] if len(matches) == 1 else None
