"""Canonical actors and sources: found by key or alias, created when new.

Actors are canonical across the corpus: one key per kind and name, aliases for every
other spelling seen (and those a curated actor file lists, api/pipeline/actor_seed.py).
A mention reaches an actor by, in order: its key; an alias; for a person, a close
spelling with context. Fuzzy similarity alone never merges two people: "Steve Whitkoff"
reaches Steve Witkoff because the first names agree and the surnames are close
(rapidfuzz); a lone "Zelenskiy" with the role "President" reaches Volodymyr Zelensky
because the surnames are close and Zelensky was called President before.

The actor found this way is the machine's choice; the editors' corrections then have the
last word (api/pipeline/corrections.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

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

SURNAME_SIMILARITY = 85.0


class ActorLookup:
    """What ``find_actor`` answered for each speaker while one article is stored.

    An article names the same few speakers again and again; each lookup is up to three
    queries (key, alias, every person's name) and the loading of an actor with its
    aliases. An answer holds until the actors change: creating or renaming an actor, or
    giving one an alias, forgets every answer, so a cached answer is always the one a
    fresh lookup would give in this transaction.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, bool, str | None], ActorRow | None] = {}

    def find(self, session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
        # The role counts: a lone surname is matched by it (``_role_agrees``).
        key = (speaker.kind, speaker.name, speaker.typed, speaker.role)
        if key not in self._found:
            self._found[key] = find_actor(session, speaker)
        return self._found[key]

    def changed(self) -> None:
        self._found.clear()


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
        actor = found or _create_actor(session, speaker, corrections)
        if _add_aliases(actor, speaker, corrections) or found is None:
            lookup.changed()  # a new (or renamed) actor or a new alias: answers may differ
            session.flush()  # the statement's row takes the actor's id
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


def find_actor(session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
    """The stored actor a speaker names, without creating one."""
    key = actor_key(speaker.kind, speaker.name)
    actor = session.scalar(select(ActorRow).where(ActorRow.key == key))
    if actor is not None:
        return actor
    alias = name_key(speaker.name)
    query = select(ActorRow).join(ActorAliasRow).where(ActorAliasRow.key == alias)
    if speaker.typed:
        query = query.where(ActorRow.kind == speaker.kind)
    owners = list(dict.fromkeys(session.scalars(query.order_by(ActorRow.id)).all()))
    if owners:
        # An untyped name ("Zelenskiy said") may be anyone's alias: a person first.
        owners.sort(key=lambda owner: owner.kind != "person")
        return owners[0]
    if speaker.kind == "person" or not speaker.typed:
        return _similar_person(session, speaker)
    return None


def _create_actor(session: Session, speaker: ResolvedSpeaker, corrections: Corrections) -> ActorRow:
    key = actor_key(speaker.kind, speaker.name)
    if speaker.kind == "person" and len(name_key(speaker.name).split()) >= 2:
        lone = _lone_surname_actor(session, speaker, corrections)
        if lone is not None:
            # "Trump said" came first, "Donald Trump" now: one person, named in full.
            lone.key, lone.name = key, speaker.name
            return lone
    actor = ActorRow(key=key, name=speaker.name, kind=speaker.kind)
    session.add(actor)
    return actor


def _lone_surname_actor(
    session: Session, speaker: ResolvedSpeaker, corrections: Corrections
) -> ActorRow | None:
    surname = name_key(speaker.name).split()[-1]
    lone = session.scalars(
        select(ActorRow).where(ActorRow.kind == "person", ActorRow.key == f"person:{surname}")
    ).all()
    if len(lone) != 1 or lone[0].wikidata_id is not None or corrections.names_key(lone[0].key):
        return None  # curated or corrected actors keep their key
    return lone[0]


def _add_aliases(
    actor: ActorRow,
    speaker: ResolvedSpeaker,
    corrections: Corrections,
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
    return added


def _similar_person(session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
    """A person spelt a little differently, with context that agrees; None unless unique.

    - A full name: the same first name and a close surname.
    - A lone surname: the same surname; or a close one when the role agrees with a role
      the person was given before ("President Zelenskiy", once "President Volodymyr
      Zelensky" is known).
    """
    parts = name_key(speaker.name).split()
    if not speaker.typed and len(parts) != 1:
        return None  # an untyped name of several words is no person's surname
    # Ids and names only: every person is compared, and building each one as an ORM
    # object with its aliases cost more than the comparison. Matches are loaded after.
    people = session.execute(
        select(ActorRow.id, ActorRow.name).where(ActorRow.kind == "person")
    ).all()
    if len(parts) == 1:
        same = [p.id for p in people if name_key(p.name).split()[-1] == parts[0]]
        if same or not speaker.typed:
            return session.get(ActorRow, same[0]) if len(same) == 1 else None
        close = (
            p.id
            for p in people
            if fuzz.ratio(name_key(p.name).split()[-1], parts[0]) >= SURNAME_SIMILARITY
        )
        return _unique(
            person
            for person in (session.get_one(ActorRow, person_id) for person_id in close)
            if _role_agrees(person, speaker.role)
        )
    return _unique(
        session.get_one(ActorRow, p.id)
        for p in people
        if len(other := name_key(p.name).split()) >= 2
        and other[0] == parts[0]
        and fuzz.ratio(other[-1], parts[-1]) >= SURNAME_SIMILARITY
    )


def _role_agrees(person: ActorRow, role: str | None) -> bool:
    """The role's head word ("envoy" of "U.S. envoy") is in a role-bearing alias."""
    if not role:
        return False
    head = name_key(role).split()[-1]
    name = name_key(person.name)
    return any(
        head in alias.key.removesuffix(name).split()
        for alias in person.aliases
        if alias.key.endswith(name) and alias.key != name
    )


def _unique(found: Iterable[ActorRow]) -> ActorRow | None:
    matches = list(dict.fromkeys(found))
    return matches[0] if len(matches) == 1 else None
