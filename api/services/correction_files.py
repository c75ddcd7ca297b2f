"""``statements corrections export`` / ``import``: the editors' corrections as a JSON file.

The file (``schemas.CorrectionFile``) lists every correction oldest first, by stable keys
only, so it applies to any database holding (or about to hold) the same articles: a
rebuilt one, a staging copy. An import is idempotent: a correction already stored is
skipped. Each new one is stored and applied to the rows already there; what is ingested
afterwards gets them from the pipeline's replay (api/pipeline/corrections.py). To
rebuild: ``statements migrate``, ``statements corrections import FILE``, then
``statements ingest`` the articles.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

import schemas
from api.services.corrections import (
    MERGE,
    REASSIGN,
    SPLIT,
    ImportSummary,
    actor_by_key,
    merge_into,
    reassign,
    split_into,
)
from api.storage.models import ActorRow, ArticleRow, CorrectionRow, StatementRow

Identity = tuple[object, ...]


class CorrectionFileError(ValueError):
    """The file is not a corrections file this version can read."""


def export_corrections(session: Session) -> schemas.CorrectionFile:
    rows = session.scalars(select(CorrectionRow).order_by(CorrectionRow.id)).all()
    return schemas.CorrectionFile(corrections=[_record(row) for row in rows])


def encode_corrections(session: Session) -> bytes:
    """The export as indented JSON, one correction per block: diffs read well."""
    return msgspec.json.format(msgspec.json.encode(export_corrections(session))) + b"\n"


def decode_corrections(data: bytes) -> schemas.CorrectionFile:
    try:
        decoded = msgspec.json.decode(data, type=schemas.CorrectionFile)
    except msgspec.DecodeError as exc:  # also ValidationError: the wrong shape
        raise CorrectionFileError(f"not a corrections file: {exc}") from exc
    if decoded.format != "statements-corrections" or decoded.version != 1:
        raise CorrectionFileError(
            f"unsupported corrections file {decoded.format!r} version {decoded.version}"
        )
    return decoded


def import_corrections(session: Session, data: schemas.CorrectionFile) -> ImportSummary:
    """Store the corrections not yet stored, in order, applying each to stored rows. No commit."""
    known = {_identity(_record(row)) for row in session.scalars(select(CorrectionRow))}
    added = skipped = applied = 0
    for record in data.corrections:
        identity = _identity(record)
        if identity in known:
            skipped += 1
            continue
        known.add(identity)
        session.add(
            CorrectionRow(
                kind=record.kind.value,
                actor_key=record.actor_key,
                alias_key=record.alias_key,
                target_key=record.target_key,
                target_name=record.target_name,
                alias=record.alias,
                article_hash=record.article_hash,
                content_start=record.content_start,
                content_end=record.content_end,
                note=record.note,
                **({"created_at": record.created_at} if record.created_at else {}),
            )
        )
        session.flush()
        added += 1
        applied += _apply(session, record)
    return ImportSummary(added=added, skipped=skipped, applied=applied)


def _apply(session: Session, record: schemas.CorrectionRecord) -> bool:
    """Apply one correction to the rows already stored; whether it changed any."""
    kind = record.kind.value
    if kind == REASSIGN:
        statements = session.scalars(
            select(StatementRow)
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .where(
                ArticleRow.content_hash == record.article_hash,
                StatementRow.content_start == record.content_start,
                StatementRow.content_end == record.content_end,
            )
        ).all()
        if not statements:
            return False
        target = (
            actor_by_key(session, record.target_key, record.target_name or "")
            if record.target_key
            else None
        )
        reassign(session, statements, target)
        return True
    source = session.scalar(select(ActorRow).where(ActorRow.key == record.actor_key))
    if source is None or record.target_key is None or record.target_key == source.key:
        return False
    target = actor_by_key(session, record.target_key, record.target_name or "")
    if kind == MERGE:
        merge_into(session, source, target)
        return True
    if kind == SPLIT and record.alias_key:
        split_into(session, source, record.alias_key, target, alias=record.alias)
        return True
    return False


def _record(row: CorrectionRow) -> schemas.CorrectionRecord:
    return schemas.CorrectionRecord(
        kind=schemas.CorrectionKind(row.kind),
        actor_key=row.actor_key,
        alias_key=row.alias_key,
        target_key=row.target_key,
        target_name=row.target_name,
        alias=row.alias,
        article_hash=row.article_hash,
        content_start=row.content_start,
        content_end=row.content_end,
        note=row.note,
        created_at=row.created_at,
    )


def _identity(record: schemas.CorrectionRecord) -> Identity:
    """What makes two corrections the same one: the same correction made at the same
    time (the same one made again later is a correction of its own)."""
    return (
        record.created_at,
        record.kind.value,
        record.actor_key,
        record.alias_key,
        record.target_key,
        record.article_hash,
        record.content_start,
        record.content_end,
    )
