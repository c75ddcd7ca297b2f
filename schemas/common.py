"""Shared building blocks of the wire contract."""

from __future__ import annotations

import enum

import msgspec


class StatementKind(enum.StrEnum):
    """How the words reached the article."""

    DIRECT = "direct"  # the whole content is inside quote marks
    PARTIAL = "partial"  # reported speech carrying quoted fragments
    REPORTED = "reported"  # reported (indirect) speech, no quote marks
    ACCORDING_TO = "according_to"  # "according to X, ...", "as reported by X, ..."


class ActorKind(enum.StrEnum):
    """What kind of speaker an actor is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GOVERNMENT = "government"
    DOCUMENT = "document"
    GROUP = "group"  # anonymous groups: "officials", "diplomats"
    MEDIA = "media"


class SourceKind(enum.StrEnum):
    OUTLET = "outlet"  # publishes the article we ingested
    AGENCY = "agency"  # credited upstream: wire services, other outlets


class Span(msgspec.Struct, frozen=True, kw_only=True):
    """Characters ``text[start:end]`` of the stored article text."""

    start: int
    end: int
    text: str


class ActorRef(msgspec.Struct, frozen=True, kw_only=True):
    """A speaker, by reference: fetch ``/v1/actors/{id}`` for the rest."""

    id: int
    name: str
    kind: ActorKind


class SourceRef(msgspec.Struct, frozen=True, kw_only=True):
    """An outlet or credited agency, by reference."""

    id: int
    name: str
    kind: SourceKind


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One offending request parameter of a 400 problem."""

    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = msgspec.field(default_factory=list)
