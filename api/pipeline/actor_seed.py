"""A curated actor file (``actors.toml``): names, aliases and Wikidata ids editors vouch for.

Loaded by ``statements actors import FILE``, and by ``statements ingest FOLDER`` when the
folder holds one (as it holds its manifest.json), before the folder's articles::

    [[actors]]
    name = "Emmanuel Macron"
    kind = "person"                 # a schemas.ActorKind value
    wikidata_id = "Q3052772"        # optional: only when sure
    aliases = ["Macron", "President Emmanuel Macron"]

Each entry becomes (or updates) the actor keyed by its kind and name: the name is set as
written, the Wikidata id when given, and every alias added. Curated aliases steer
resolution: an alias listed for an actor reaches it (api/pipeline/actors.py finds actors
by alias), so an alias is taken off any other actor of the same kind, and an actor the
machine created under a listed name (same kind, or an organisation: the machine's guess
for an untyped name) is merged into the curated one, statements and all. Loading the
same file again changes nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.pipeline.corrections import Corrections, load_corrections
from api.pipeline.lexicon import name_key
from api.services.corrections import actor_by_key, merge_into
from api.services.names import actor_key, mention_matches
from api.storage.models import ActorAliasRow, ActorRow
from schemas import ActorKind

WIKIDATA_ID = r"^Q[1-9][0-9]*$"
MAX_NAME_CHARS = 300


class CuratedActor(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME_CHARS)]
    kind: ActorKind
    wikidata_id: Annotated[str, msgspec.Meta(pattern=WIKIDATA_ID)] | None = None
    aliases: list[Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME_CHARS)]] = []


class ActorFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    actors: list[CuratedActor]


class ActorFileError(ValueError):
    """The file cannot be used; the message says why in one line."""


class SeedReport(msgspec.Struct, kw_only=True):
    created: int = 0
    updated: int = 0  # existing actors given a name, an id or an alias they lacked
    merged: int = 0  # machine actors merged into a curated one


def read_actor_file(path: Path) -> ActorFile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        curated = msgspec.convert(raw, ActorFile)
    except OSError as exc:
        raise ActorFileError(f"unreadable actor file: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, msgspec.ValidationError) as exc:
        raise ActorFileError(f"malformed actor file: {exc}") from exc
    keys = [actor_key(actor.kind.value, actor.name) for actor in curated.actors]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise ActorFileError(f"malformed actor file: {twice!r} is listed twice")
    return curated


def load_actor_file(session: Session, path: Path) -> SeedReport:
    """Read and apply a curated actor file; no commit. ActorFileError when unusable."""
    return apply_actors(session, read_actor_file(path))


def apply_actors(session: Session, curated: ActorFile) -> SeedReport:
    report = SeedReport()
    corrections = load_corrections(session)
    for entry in curated.actors:
        _apply_one(session, entry, corrections, report)
    session.flush()
    return report


def _apply_one(
    session: Session, entry: CuratedActor, corrections: Corrections, report: SeedReport
) -> None:
    kind = entry.kind.value
    listed = actor_key(kind, entry.name)
    key = corrections.merged_key(listed)
    actor = session.scalar(select(ActorRow).where(ActorRow.key == key))
    created = changed = False
    if actor is None and key != listed:  # merged by an editor into an actor not here yet
        actor = actor_by_key(session, key, "")
    if actor is None:
        created = True
        actor = ActorRow(key=key, name=entry.name, kind=kind, wikidata_id=entry.wikidata_id)
        session.add(actor)
        session.flush()
        report.created += 1
    elif key == listed and (actor.name, actor.wikidata_id) != (
        entry.name,
        entry.wikidata_id or actor.wikidata_id,
    ):
        actor.name = entry.name
        actor.wikidata_id = entry.wikidata_id or actor.wikidata_id
        changed = True
    withheld = corrections.withheld_aliases(key)
    names = [
        name
        for name in dict.fromkeys([entry.name, *entry.aliases])
        if not any(mention_matches(name, split) for split in withheld)
    ]
    alias_keys = {name_key(name) for name in names}
    # The machine's actors under a listed name are this actor.
    kind = actor.kind
    kinds = {kind, "organisation"} if kind == "person" else {kind}
    machine_keys = [f"{other}:{alias}" for other in kinds for alias in alias_keys]
    for duplicate in session.scalars(
        select(ActorRow).where(ActorRow.key.in_(machine_keys), ActorRow.id != actor.id)
    ).all():
        merge_into(session, duplicate, actor)
        report.merged += 1
    # A listed alias reaches this actor only: no other actor of its kind keeps it.
    others = select(ActorRow.id).where(ActorRow.kind == kind, ActorRow.id != actor.id)
    session.execute(
        delete(ActorAliasRow)
        .where(ActorAliasRow.key.in_(alias_keys), ActorAliasRow.actor_id.in_(others))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # loaded actors may have lost an alias
    held = {alias.key for alias in actor.aliases}
    for name in names:
        if name_key(name) not in held:
            held.add(name_key(name))
            actor.aliases.append(ActorAliasRow(alias=name, key=name_key(name)))
            changed = True
    if changed and not created:
        report.updated += 1
    session.flush()
