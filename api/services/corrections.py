"""Editors' corrections of the machine's actors, applied at once and kept for re-ingestion.

Three corrections (``schemas.CorrectionKind``):

- merge an actor into another: its statements, its aliases and the claims it speaks move,
  and it is deleted; its id then answers with the actor it became (``successor``:
  ``GET /v1/actors/{id}`` redirects, writes naming it are told where it went);
- split an alias off an actor: the statements whose speaker mention is that alias (with
  titles before it) move, with the alias and its titled forms, to another actor or to a
  new one;
- reassign one statement's speaker (or leave it with none).

A statement whose speaker changes may belong to another claim: it leaves a claim that
now mixes two speakers at once, and the pipeline's matcher looks for its claim again
(api/services/claim_regroup.py).

Each is applied to the stored rows and recorded in ``corrections`` by stable keys (actor
keys, alias keys, an article's content hash and a statement's content offsets; see
``api.services.names``), never by ids, which a rebuilt database does not keep. The
ingestion pipeline replays them over whatever it stores later (api/pipeline/corrections.py
describes the replay); ``statements corrections export`` / ``import`` carry them to
another database, where an import also applies them to the rows already there.

The operations are synchronous, for the command line and the pipeline;
``CorrectionService`` runs them for the HTTP layer on its ``AsyncSession``
(``AsyncSession.run_sync``), in the request's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

import schemas
from api.services.claim_regroup import queue_rematch, regroup_after_speaker_change
from api.services.errors import NotFoundError
from api.services.names import actor_key, key_kind, mention_matches, name_key
from api.storage.models import (
    ActorAliasRow,
    ActorRow,
    ClaimRow,
    ClaimStatementRow,
    CorrectionRow,
    StatementRow,
)

MERGE = schemas.CorrectionKind.MERGE_ACTORS.value
SPLIT = schemas.CorrectionKind.SPLIT_ALIAS.value
REASSIGN = schemas.CorrectionKind.REASSIGN_SPEAKER.value
# A chain of merges longer than this is a loop, not history.
MAX_MERGE_HOPS = 100


class InvalidCorrectionError(ValueError):
    """The correction cannot be made as asked; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class MergedActorError(NotFoundError):
    """The actor was merged into another: ``into_id`` is the actor it became."""

    def __init__(self, actor_id: int, into_id: int) -> None:
        super().__init__("actor", actor_id)
        self.into_id = into_id
        self.args = (f"actor {actor_id} was merged into actor {into_id}",)


class ImportSummary(msgspec.Struct, frozen=True, kw_only=True):
    added: int  # corrections stored
    skipped: int  # already there (an import is idempotent)
    applied: int  # of those added, how many changed rows already stored


# --- the three corrections, by id ------------------------------------------------------


def merge_actors(
    session: Session, actor_id: int, into_id: int, *, note: str | None, api_key_id: int | None
) -> ActorRow:
    """Merge actor ``actor_id`` into ``into_id``; the actor that remains. No commit."""
    source = _path_actor(session, actor_id)
    if into_id == actor_id:
        raise InvalidCorrectionError("into", "an actor cannot be merged into itself")
    target = _body_actor(session, into_id, "into")
    session.add(
        CorrectionRow(
            kind=MERGE,
            actor_key=source.key,
            target_key=target.key,
            target_name=target.name,
            actor_id=source.id,
            note=note,
            api_key_id=api_key_id,
        )
    )
    merge_into(session, source, target)
    return target


def split_alias(
    session: Session,
    actor_id: int,
    split: schemas.AliasSplit,
    *,
    api_key_id: int | None,
) -> tuple[ActorRow, bool]:
    """Split ``split.alias`` off actor ``actor_id``; the actor it went to, and whether new."""
    source = _path_actor(session, actor_id)
    key = name_key(split.alias)
    alias = next((a for a in source.aliases if a.key == key), None)
    if alias is None:
        message = f"{split.alias!r} is not an alias of actor {actor_id}"
        raise InvalidCorrectionError("alias", message)
    if key == name_key(source.name):
        raise InvalidCorrectionError(
            "alias", "that is the actor's own name: merge the actor into another instead"
        )
    if split.into is not None and (split.name is not None or split.kind is not None):
        message = "send into, or name and kind for a new actor; not both"
        raise InvalidCorrectionError("into", message)
    created = False
    if split.into is not None:
        if split.into == actor_id:
            raise InvalidCorrectionError("into", "the alias is already this actor's")
        target = _body_actor(session, split.into, "into")
    else:
        name = split.name or alias.alias
        target_key = actor_key(split.kind.value if split.kind else source.kind, name)
        if target_key == source.key:
            raise InvalidCorrectionError("name", "that names the actor the alias is split from")
        existing = session.scalar(select(ActorRow).where(ActorRow.key == target_key))
        created = existing is None
        target = actor_by_key(session, target_key, name)
    session.add(
        CorrectionRow(
            kind=SPLIT,
            actor_key=source.key,
            alias_key=key,
            alias=alias.alias,
            target_key=target.key,
            target_name=target.name,
            note=split.note,
            api_key_id=api_key_id,
        )
    )
    split_into(session, source, key, target, alias=alias.alias)
    return target, created


def reassign_speaker(
    session: Session,
    statement_id: int,
    speaker_id: int | None,
    *,
    note: str | None,
    api_key_id: int | None,
) -> StatementRow:
    """Make ``speaker_id`` (None: nobody) the speaker of statement ``statement_id``."""
    statement = session.get(StatementRow, statement_id)
    if statement is None:
        raise NotFoundError("statement", statement_id)
    target = _body_actor(session, speaker_id, "speaker_id") if speaker_id is not None else None
    session.add(
        CorrectionRow(
            kind=REASSIGN,
            # Who the statement was attributed to: not needed to replay, kept as history.
            actor_key=statement.speaker.key if statement.speaker else None,
            target_key=target.key if target else None,
            target_name=target.name if target else None,
            article_hash=statement.article.content_hash,
            content_start=statement.content_start,
            content_end=statement.content_end,
            note=note,
            api_key_id=api_key_id,
        )
    )
    reassign(session, [statement], target)
    return statement


# --- applying them to stored rows ------------------------------------------------------


def merge_into(session: Session, source: ActorRow, target: ActorRow) -> None:
    """Move everything of ``source`` to ``target`` and delete ``source``. No record."""
    moved = StatementRow.speaker_id == source.id
    # Claims kept apart as two speakers' may now be one: the matcher looks again.
    queue_rematch(session, list(session.scalars(select(StatementRow.id).where(moved))))
    session.execute(update(StatementRow).where(moved).values(speaker_id=target.id))
    session.execute(
        update(ClaimRow).where(ClaimRow.speaker_id == source.id).values(speaker_id=target.id)
    )
    _give_aliases(target, [source.name, *(alias.alias for alias in source.aliases)])
    if target.wikidata_id is None:
        target.wikidata_id = source.wikidata_id
    session.delete(source)
    session.flush()
    # Loaded statements and claims still point at the deleted actor: reload on next use.
    session.expire_all()


def split_into(
    session: Session, source: ActorRow, alias_key: str, target: ActorRow, *, alias: str | None
) -> int:
    """Move the statements and aliases of ``source`` naming ``alias_key`` (``alias`` as
    written, which ``target`` gets in any case); how many statements moved."""
    statements = session.scalars(
        select(StatementRow).where(StatementRow.speaker_id == source.id).order_by(StatementRow.id)
    ).all()
    moved = [s for s in statements if mention_matches(s.speaker_text, alias_key)]
    for statement in moved:
        statement.speaker_id = target.id
    leaving = [row for row in source.aliases if mention_matches(row.alias, alias_key)]
    _give_aliases(target, [*([alias] if alias else []), *(row.alias for row in leaving)])
    for row in leaving:
        source.aliases.remove(row)
    session.flush()
    regroup_after_speaker_change(session, moved)
    _refresh_claim_speakers(session, [s.id for s in moved])
    session.expire_all()  # the moved statements' loaded speaker is the old one
    return len(moved)


def reassign(session: Session, statements: Sequence[StatementRow], target: ActorRow | None) -> None:
    new_id = target.id if target else None
    changed = [statement for statement in statements if statement.speaker_id != new_id]
    for statement in changed:
        # The role was what the article called the previous speaker.
        statement.speaker_role = None
        statement.speaker_id = new_id
    session.flush()
    # Another speaker may mean another claim (api/services/claim_regroup.py).
    regroup_after_speaker_change(session, changed)
    _refresh_claim_speakers(session, [s.id for s in statements])
    session.expire_all()  # the statements' loaded speaker is the old one


def actor_by_key(session: Session, key: str, name: str) -> ActorRow:
    """The actor with this key, created (named ``name``) when there is none."""
    actor = session.scalar(select(ActorRow).where(ActorRow.key == key))
    if actor is None:
        display = name or key.partition(":")[2]
        actor = ActorRow(key=key, name=display, kind=key_kind(key))
        actor.aliases.append(ActorAliasRow(alias=display, key=name_key(display)))
        session.add(actor)
        session.flush()
    return actor


def _give_aliases(actor: ActorRow, aliases: Iterable[str]) -> None:
    for alias in aliases:
        key = name_key(alias)
        if key and all(existing.key != key for existing in actor.aliases):
            actor.aliases.append(ActorAliasRow(alias=alias, key=key))


def _refresh_claim_speakers(session: Session, statement_ids: list[int]) -> None:
    """A claim speaks with its first statement that has a speaker, as the pipeline's
    claim store makes it: after a statement moved, its claim follows."""
    if not statement_ids:
        return
    claim_ids = session.scalars(
        select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id.in_(statement_ids))
    ).all()
    for claim_id in set(claim_ids):
        first = session.scalar(
            select(StatementRow.speaker_id)
            .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
            .where(ClaimStatementRow.claim_id == claim_id, StatementRow.speaker_id.is_not(None))
            .order_by(StatementRow.id)
            .limit(1)
        )
        claim = session.get(ClaimRow, claim_id)
        if claim is not None:
            claim.speaker_id = first
    session.flush()


# --- where a merged actor went -----------------------------------------------------------


def successor(session: Session, actor_id: int) -> int | None:
    """The id of the actor that a merged actor ``actor_id`` became (following later
    merges), or None when no merge recorded that id."""
    key = session.scalar(
        select(CorrectionRow.target_key)
        .where(CorrectionRow.kind == MERGE, CorrectionRow.actor_id == actor_id)
        .order_by(CorrectionRow.id.desc())
        .limit(1)
    )
    for _ in range(MAX_MERGE_HOPS):
        if key is None:
            return None
        found = session.scalar(select(ActorRow.id).where(ActorRow.key == key))
        if found is not None:
            return found
        key = session.scalar(
            select(CorrectionRow.target_key)
            .where(CorrectionRow.kind == MERGE, CorrectionRow.actor_key == key)
            .order_by(CorrectionRow.id.desc())
            .limit(1)
        )
    return None


def _path_actor(session: Session, actor_id: int) -> ActorRow:
    actor = session.get(ActorRow, actor_id)
    if actor is not None:
        return actor
    into = successor(session, actor_id)
    if into is not None:
        raise MergedActorError(actor_id, into)
    raise NotFoundError("actor", actor_id)


def _body_actor(session: Session, actor_id: int, field: str) -> ActorRow:
    actor = session.get(ActorRow, actor_id)
    if actor is not None:
        return actor
    into = successor(session, actor_id)
    where = f"was merged into actor {into}" if into is not None else "does not exist"
    raise InvalidCorrectionError(field, f"actor {actor_id} {where}")


class CorrectionService:
    """The corrections for the HTTP layer: each returns the id of what it changed."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def merge(self, actor_id: int, body: schemas.ActorMerge, *, api_key_id: int) -> int:
        def run(session: Session) -> int:
            return merge_actors(
                session, actor_id, body.into, note=body.note, api_key_id=api_key_id
            ).id

        return await self._session.run_sync(run)

    async def split(
        self, actor_id: int, body: schemas.AliasSplit, *, api_key_id: int
    ) -> tuple[int, bool]:
        def run(session: Session) -> tuple[int, bool]:
            target, created = split_alias(session, actor_id, body, api_key_id=api_key_id)
            return target.id, created

        return await self._session.run_sync(run)

    async def reassign(
        self, statement_id: int, body: schemas.SpeakerReassignment, *, api_key_id: int
    ) -> int:
        def run(session: Session) -> int:
            return reassign_speaker(
                session, statement_id, body.speaker_id, note=body.note, api_key_id=api_key_id
            ).id

        return await self._session.run_sync(run)

    async def successor(self, actor_id: int) -> int | None:
        return await self._session.run_sync(successor, actor_id)
