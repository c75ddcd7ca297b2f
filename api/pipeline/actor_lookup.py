"""Finding the stored actor a speaker names, for all of one article's statements at once.

A mention reaches an actor by, in order: its key; an alias; for a person, a close
spelling with context (``similar_person``). Fuzzy similarity alone never merges two
people: "Steve Whitkoff" reaches Steve Witkoff because the first names agree and the
surnames are close (rapidfuzz); a lone "Zelenskiy" with the role "President" reaches
Volodymyr Zelensky because the surnames are close and Zelensky was called President
before.

``ActorLookup`` reads what an article's speakers can reach in two queries up front (the
actors of their keys, the owners of their aliases, aliases loaded) rather than up to
three queries per speaker, and keeps those answers exact while the article's statements
create actors, rename a lone surname and add aliases (``created``, ``renamed``,
``aliased``): each answer is the one a fresh query would give in this transaction
(tests/pipeline/test_actor_lookup.py). Anything else that changes actors calls
``changed``, and the lookup starts again from the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.pipeline.resolve import ResolvedSpeaker
from api.services.names import actor_key, name_key
from api.storage.models import ActorAliasRow, ActorRow

SURNAME_SIMILARITY = 85.0


class ActorLookup:
    """Actors by key and alias owners by alias key, as far as they were read, with every
    person's name once a speaker needed the comparison."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._found: dict[tuple[str, str, bool, str | None], ActorRow | None] = {}
        self._by_key: dict[str, ActorRow | None] = {}  # None: no actor has that key
        self._owners: dict[str, list[ActorRow]] = {}  # alias key -> owners, oldest first
        # Persons as (id, name, row): stored ones by id (row loaded when matched), the
        # ones created meanwhile by row (no id before the flush).
        self._people: list[tuple[int | None, str, ActorRow | None]] | None = None

    def prefetch(self, session: Session, speakers: Iterable[ResolvedSpeaker | None]) -> None:
        """Read at once what ``speakers`` may reach by key, lone surname or alias."""
        keys: set[str] = set()
        aliases: set[str] = set()
        for speaker in speakers:
            if speaker is None:
                continue
            keys.add(actor_key(speaker.kind, speaker.name))
            aliases.add(name_key(speaker.name))
            parts = name_key(speaker.name).split()
            if speaker.kind == "person" and len(parts) >= 2:
                keys.add(f"person:{parts[-1]}")  # the lone surname a full name renames
        self._load_keys(session, keys - self._by_key.keys())
        self._load_owners(session, aliases - self._owners.keys())

    def find(self, session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
        """The stored (or created meanwhile) actor ``speaker`` names, without creating one."""
        # The role counts: a lone surname is matched by it (``_role_agrees``).
        key = (speaker.kind, speaker.name, speaker.typed, speaker.role)
        if key not in self._found:
            self._found[key] = self._find(session, speaker)
        return self._found[key]

    def actor(self, session: Session, key: str) -> ActorRow | None:
        if key not in self._by_key:
            self._load_keys(session, {key})
        return self._by_key[key]

    def created(self, actor: ActorRow) -> None:
        self._by_key[actor.key] = actor
        if actor.kind == "person" and self._people is not None:
            self._people.append((None, actor.name, actor))
        self._found.clear()

    def renamed(self, actor: ActorRow, old_key: str) -> None:
        self._by_key[old_key] = None
        self._by_key[actor.key] = actor
        if self._people is not None:
            self._people = [
                (
                    pid,
                    actor.name if row is actor or (pid is not None and pid == actor.id) else n,
                    row,
                )
                for pid, n, row in self._people
            ]
        self._found.clear()

    def aliased(self, actor: ActorRow, alias_key: str) -> None:
        owners = self._owners.get(alias_key)
        if owners is not None and actor not in owners:
            # Oldest first, as the query orders them; an actor not yet flushed is newest.
            later = [
                o for o in owners if actor.id is not None and (o.id is None or o.id > actor.id)
            ]
            owners.insert(owners.index(later[0]) if later else len(owners), actor)
        self._found.clear()

    def changed(self) -> None:
        """Actors changed in ways the lookup does not follow: read them again."""
        self._reset()

    def _load_keys(self, session: Session, keys: set[str]) -> None:
        if not keys:
            return
        query = select(ActorRow).where(ActorRow.key.in_(keys))
        found = {actor.key: actor for actor in session.scalars(query).all()}
        self._by_key.update({key: found.get(key) for key in keys})

    def _load_owners(self, session: Session, aliases: set[str]) -> None:
        if not aliases:
            return
        query = (
            select(ActorAliasRow.key, ActorRow)
            .join(ActorRow, ActorRow.id == ActorAliasRow.actor_id)
            .where(ActorAliasRow.key.in_(aliases))
            .order_by(ActorRow.id)
            .options(selectinload(ActorRow.aliases))
        )
        owners: dict[str, list[ActorRow]] = {alias: [] for alias in aliases}
        for alias, actor in session.execute(query).all():
            if actor not in owners[alias]:
                owners[alias].append(actor)
        self._owners.update(owners)

    def _find(self, session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
        actor = self.actor(session, actor_key(speaker.kind, speaker.name))
        if actor is not None:
            return actor
        alias = name_key(speaker.name)
        if alias not in self._owners:
            self._load_owners(session, {alias})
        owners = [o for o in self._owners[alias] if not speaker.typed or o.kind == speaker.kind]
        if owners:
            # An untyped name ("Zelenskiy said") may be anyone's alias: a person first.
            return sorted(owners, key=lambda owner: owner.kind != "person")[0]
        if speaker.kind == "person" or not speaker.typed:
            return self._similar_person(session, speaker)
        return None

    def _similar_person(self, session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
        """A person spelt a little differently, with context that agrees; None unless unique.

        - A full name: the same first name and a close surname.
        - A lone surname: the same surname; or a close one when the role agrees with a
          role the person was given before ("President Zelenskiy", once "President
          Volodymyr Zelensky" is known).
        """
        parts = name_key(speaker.name).split()
        if not speaker.typed and len(parts) != 1:
            return None  # an untyped name of several words is no person's surname
        people = self._persons(session)

        def row(person: tuple[int | None, str, ActorRow | None]) -> ActorRow:
            pid, _name, actor = person
            return actor if actor is not None else session.get_one(ActorRow, pid)

        if len(parts) == 1:
            same = [p for p in people if name_key(p[1]).split()[-1] == parts[0]]
            if same or not speaker.typed:
                return row(same[0]) if len(same) == 1 else None
            close = (
                row(p)
                for p in people
                if fuzz.ratio(name_key(p[1]).split()[-1], parts[0]) >= SURNAME_SIMILARITY
            )
            return _unique(person for person in close if _role_agrees(person, speaker.role))
        return _unique(
            row(p)
            for p in people
            if len(other := name_key(p[1]).split()) >= 2
            and other[0] == parts[0]
            and fuzz.ratio(other[-1], parts[-1]) >= SURNAME_SIMILARITY
        )

    def _persons(self, session: Session) -> list[tuple[int | None, str, ActorRow | None]]:
        if self._people is None:
            # Ids and names only: every person is compared, and building each one as an
            # ORM object with its aliases cost more than the comparison. Matches are
            # loaded after.
            stored = session.execute(
                select(ActorRow.id, ActorRow.name).where(ActorRow.kind == "person")
            ).all()
            self._people = [(pid, name, None) for pid, name in stored]
        return self._people


def find_actor(session: Session, speaker: ResolvedSpeaker) -> ActorRow | None:
    """The stored actor a speaker names, without creating one (read afresh)."""
    return ActorLookup().find(session, speaker)


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
