"""Editors' corrections of the machine's actors, and the file they travel in.

Request bodies refuse unknown fields, so that a misspelt field is a 400 rather than a
correction silently made without it.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.common import ActorKind
from schemas.examples import ex

MAX_ID = 2_147_483_647  # PostgreSQL INTEGER, as every id path parameter
MAX_NOTE_CHARS = 2000
MAX_NAME_CHARS = 300  # actors.name, actor_aliases.alias

ActorId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
Note = (
    Annotated[
        str,
        msgspec.Meta(
            max_length=MAX_NOTE_CHARS,
            examples=[x.MERGE_NOTE],
            description="Why: kept with the correction, for the next editor.",
        ),
    ]
    | None
)


class CorrectionKind(enum.StrEnum):
    """What a correction says."""

    MERGE_ACTORS = "merge_actors"  # actor_key is target_key
    SPLIT_ALIAS = "split_alias"  # mentions of alias_key by actor_key are target_key
    REASSIGN_SPEAKER = "reassign_speaker"  # one statement was said by target_key (or nobody)


class ActorMerge(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Merge this actor into another: one real-world person or body, two actors."""

    into: Annotated[
        ActorId,
        msgspec.Meta(
            examples=[x.WITKOFF["id"]],
            description="The actor that remains; not the merged actor itself.",
        ),
    ]
    note: Note = None


class AliasSplit(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Split an alias off this actor: the name is someone else's.

    Statements whose speaker mention is the alias (titles before it allowed: "U.S. envoy
    Steve Whitkoff" for "Steve Whitkoff") move, with the alias and its titled forms, to
    the actor `into`, or to a new actor named `name` (default: the alias) of `kind`
    (default: this actor's kind). Send `into`, or `name` and/or `kind`, not both.
    """

    alias: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=MAX_NAME_CHARS,
            examples=["Steve Whitkoff"],
            description="One of the actor's aliases (any case), not its own name.",
        ),
    ]
    into: (
        Annotated[
            ActorId,
            msgspec.Meta(examples=[x.WITKOFF["id"]], description="An existing actor to move to."),
        ]
        | None
    ) = None
    name: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=MAX_NAME_CHARS,
                examples=["Steve Whitkoff"],
                description="Name of the new actor (default: the alias).",
            ),
        ]
        | None
    ) = None
    kind: Annotated[ActorKind | None, ex("person", None)] = None
    note: Note = None


class SpeakerReassignment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who said this statement: an actor id, or null for nobody known."""

    speaker_id: Annotated[
        ActorId | None,
        msgspec.Meta(
            examples=[x.WITKOFF["id"], None],
            description=(
                "The statement's speaker from now on; null leaves it without one. A "
                "different speaker does not keep the role the article gave the previous one."
            ),
        ),
    ]
    note: Note = None


class CorrectionRecord(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One correction as ``statements corrections export`` writes it: by stable keys.

    Actor keys are ``<kind>:<name key>`` (``person:steve witkoff``), alias keys a name
    key; a statement is named by its article's content hash and its content offsets.
    """

    kind: Annotated[CorrectionKind, ex("split_alias", "reassign_speaker")]
    actor_key: Annotated[str | None, ex("document:draft", None)] = None
    alias_key: Annotated[str | None, ex("draft document", None)] = None
    target_key: Annotated[str | None, ex("document:suspilne draft", "government:france")] = None
    target_name: Annotated[str | None, ex("Suspilne draft", "France")] = None
    alias: Annotated[str | None, ex("draft document", None)] = None
    article_hash: Annotated[str | None, ex(x.HUBS_HASH, None)] = None
    content_start: Annotated[int | None, ex(974, None)] = None
    content_end: Annotated[int | None, ex(1077, None)] = None
    note: Annotated[str | None, ex(x.SPLIT_RECORD["note"], None)] = None
    created_at: Annotated[dt.datetime | None, ex(x.CORRECTED_AT, None)] = None


class CorrectionFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``statements corrections export`` / ``import``: every correction, oldest first."""

    format: Annotated[str, ex("statements-corrections")] = "statements-corrections"
    version: Annotated[int, ex(1)] = 1
    corrections: Annotated[list[CorrectionRecord], ex([x.SPLIT_RECORD, x.REASSIGN_RECORD])] = (
        msgspec.field(default_factory=list)
    )
