"""Shared building blocks of the wire contract."""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from schemas import examples as x
from schemas.examples import ex


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

    start: Annotated[int, ex(2699)]
    end: Annotated[int, ex(2723)]
    text: Annotated[str, ex(x.CARNAGE)]


class ActorRef(msgspec.Struct, frozen=True, kw_only=True):
    """A speaker, by reference: fetch ``/v1/actors/{id}`` for the rest."""

    id: Annotated[int, ex(11)]
    name: Annotated[str, ex("Steve Witkoff")]
    kind: Annotated[ActorKind, ex("person")]


class SourceRef(msgspec.Struct, frozen=True, kw_only=True):
    """An outlet or credited agency, by reference."""

    id: Annotated[int, ex(5)]
    name: Annotated[str, ex("Clash Report")]
    kind: Annotated[SourceKind, ex("outlet")]


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One offending request parameter of a 400 problem."""

    field: Annotated[str, ex("limit")]
    message: Annotated[str, ex("Expected `int` >= 1")]


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: Annotated[
        str,
        ex(
            "https://statements.dev/problems/invalid-request",
            "https://statements.dev/problems/not-found",
        ),
    ]
    title: Annotated[str, ex("Bad Request", "Not Found")]
    status: Annotated[int, ex(400, 404)]
    detail: Annotated[str | None, ex("Invalid value for limit.")] = None
    instance: Annotated[str | None, ex("/v1/statements")] = None
    errors: Annotated[list[FieldError], ex([x.LIMIT_ERROR], [])] = msgspec.field(
        default_factory=list
    )
