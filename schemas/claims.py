"""Claims (what several statements assert) and their provenance."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

import msgspec

from schemas import examples as x
from schemas.common import ActorRef, SourceRef, Span
from schemas.examples import ex
from schemas.statements import ArticleRef, Statement


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """What one or more statements assert, in canonical wording."""

    id: Annotated[int, ex(21)]
    text: Annotated[str, ex(x.TROOPS)]
    speaker: Annotated[ActorRef | None, ex(x.MACRON, None)]
    statement_count: Annotated[int, ex(2)]
    outlets: Annotated[list[SourceRef], ex([x.CLASH_REPORT])]
    first_published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)]


class ClaimPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of claims; pass ``next_cursor`` as ``cursor`` for the next."""

    items: Annotated[list[Claim], ex([x.TROOPS_CLAIM])]
    has_more: Annotated[bool, ex(True, False)]
    next_cursor: Annotated[str | None, ex(x.CLAIM_CURSOR, None)]


class ClaimDetail(msgspec.Struct, frozen=True, kw_only=True):
    """A claim and its supporting statements in publication order."""

    claim: Annotated[Claim, ex(x.CARNAGE_CLAIM)]
    statements: Annotated[list[Statement], ex([x.CARNAGE_STATEMENT])]


class DiffOp(enum.StrEnum):
    """How a run of words differs from the claim's canonical text."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class WordDiff(msgspec.Struct, frozen=True, kw_only=True):
    """A run of whitespace-separated words and how it differs from the canonical text."""

    op: Annotated[DiffOp, ex("insert", "equal", "delete")]
    text: Annotated[str, ex("non-combat, reassurance role")]


class ChainRole(enum.StrEnum):
    """A link's part in carrying a claim from where it started to an outlet's readers."""

    SPEAKER = "speaker"  # who said it, or the document that says it: the origin
    CREDITED = "credited"  # a source the article credits ("according to Reuters")
    OUTLET = "outlet"  # the outlet that published the article
    COPY = "copy"  # an outlet that ran a near-duplicate copy of that article


class ChainLink(msgspec.Struct, frozen=True, kw_only=True):
    """One link of an upstream chain: who passed the claim on, in what part.

    ``actor`` is set for a speaker, ``source`` for the other roles; both are always
    present (the defaults only keep nested examples valid, as for ``Statement``).
    """

    hop: Annotated[
        int,
        ex(0, 1, 2),
        msgspec.Meta(
            description=(
                "Position in the chain: 0 for the origin, then one more per relay. Links "
                "with the same hop are parallel (an article crediting two agencies)."
            )
        ),
    ]
    role: Annotated[ChainRole, ex("speaker", "credited", "outlet")]
    name: Annotated[str, ex("draft document", "Suspilne", "Ground News")]
    actor: Annotated[ActorRef | None, ex(x.DRAFT_DOCUMENT, None)] = None
    source: Annotated[SourceRef | None, ex(x.SUSPILNE, None)] = None


class CopiedFrom(msgspec.Struct, frozen=True, kw_only=True):
    """The original article a near-duplicate (syndicated) copy reproduces."""

    article: Annotated[ArticleRef, ex(x.CHARTER_ARTICLE)]
    similarity: Annotated[float | None, ex(0.94, None)]


class AppearanceKind(enum.StrEnum):
    """How an article carried the claim."""

    STATEMENT = "statement"  # attributed: a statement of the claim
    NARRATION = "narration"  # stated as the outlet's own narration, attributed to nobody


class Appearance(msgspec.Struct, frozen=True, kw_only=True):
    """One statement supporting the claim, as one outlet carried it; or a sentence of an
    article's own narration that states the claim (``kind`` narration: no statement,
    speaker or credits; ``content`` is the sentence).

    A near-duplicate copy of an appearance's article is an appearance of its own
    (``copy_of`` set): the copy's article, outlet and date, the original's statement
    (``statement_id``), and ``content`` located in the copy's text. Copies are listed only
    when their text carries the statement's wording.
    """

    statement_id: Annotated[
        int | None,
        ex(27, None),
        msgspec.Meta(description="The statement; null for narration."),
    ]
    article: Annotated[ArticleRef, ex(x.CLASH_ARTICLE)]
    outlet: Annotated[SourceRef | None, ex(x.CLASH_REPORT, None)]
    published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)]
    text: Annotated[str, ex(x.CARNAGE)]
    content: Annotated[Span, ex(x.CARNAGE_SPAN)]
    speaker: Annotated[ActorRef | None, ex(x.WITKOFF, None)]
    credited: Annotated[list[SourceRef], ex([], [x.REUTERS, x.AFP])]
    # The second: how another outlet worded Macron's "several thousand" troops.
    diff: Annotated[list[WordDiff], ex([{"op": "equal", "text": x.CARNAGE}], x.TROOPS_DIFF)]
    chain: Annotated[
        list[ChainLink],
        ex(x.SUSPILNE_CHAIN),
        msgspec.Meta(
            description=(
                "The upstream chain of this appearance, origin first: the speaker, the "
                "sources the article credits, the outlet, and for a copy the outlet that "
                "ran it. A media speaker that is also the credited source appears once."
            )
        ),
    ]
    # Always present; null for an original. The default keeps nested examples valid.
    copy_of: Annotated[
        CopiedFrom | None,
        ex(None, x.CHARTER_COPIED_FROM),
        msgspec.Meta(description="For a near-duplicate copy: the article it copies."),
    ] = None
    # Always present. The default keeps nested examples valid.
    kind: Annotated[AppearanceKind, ex("statement", "narration")] = AppearanceKind.STATEMENT


class LineageNode(msgspec.Struct, frozen=True, kw_only=True):
    """A speaker or a source in the combined lineage, with every role it played."""

    key: Annotated[str, ex("actor:4", "source:2")]
    name: Annotated[str, ex("draft document", "Suspilne")]
    roles: Annotated[list[ChainRole], ex(["speaker"], ["credited", "outlet"])]
    actor: Annotated[ActorRef | None, ex(x.DRAFT_DOCUMENT, None)] = None
    source: Annotated[SourceRef | None, ex(x.SUSPILNE, None)] = None


class LineageEdge(msgspec.Struct, frozen=True, kw_only=True):
    """The claim passed from ``upstream`` to ``downstream`` (node keys) in these articles."""

    upstream: Annotated[str, ex("actor:4")]
    downstream: Annotated[str, ex("source:2")]
    article_ids: Annotated[list[int], ex([1])]
    first_published_date: Annotated[dt.date | None, ex(x.SUMMIT_DATE, None)] = None


class Lineage(msgspec.Struct, frozen=True, kw_only=True):
    """Every appearance's chain merged into one graph: who relayed the claim to whom.

    ``origins`` are the nodes nothing is upstream of (where the claim started, as far as
    the articles say); edges are ordered by first publication.
    """

    origins: Annotated[list[str], ex(["actor:4"])]
    nodes: Annotated[list[LineageNode], ex(x.SUSPILNE_LINEAGE["nodes"])]
    edges: Annotated[list[LineageEdge], ex(x.SUSPILNE_LINEAGE["edges"])]


class RelationKind(enum.StrEnum):
    """How a later text treated an earlier claim."""

    DROPPED = "dropped"  # the later text no longer carries it (a draft's commitment)
    SOFTENED = "softened"  # it carries it with weaker wording ("will" -> "could")
    CONTRADICTED = "contradicted"  # it says the opposite


class RelationRole(enum.StrEnum):
    """Which side of a relation the claim being traced is on."""

    EARLIER = "earlier"  # this claim is what the later text dropped, softened, contradicted
    LATER = "later"  # this claim is the later text's (instead, or reporting the omission)


class RelatedStatement(msgspec.Struct, frozen=True, kw_only=True):
    """A statement that shows one side of a relation, with its article."""

    id: Annotated[int, ex(3)]
    claim_id: Annotated[int | None, ex(3, None)]
    text: Annotated[str, ex(x.DRAFT_COMMITMENT)]
    content: Annotated[Span, ex(x.DRAFT_COMMITMENT_SPAN)]
    speaker: Annotated[ActorRef | None, ex(x.DRAFT, None)]
    article: Annotated[ArticleRef, ex(x.GROUND_ARTICLE)]


class ClaimRelation(msgspec.Struct, frozen=True, kw_only=True):
    """A later text dropped, softened or contradicted a claim, and the words that show it."""

    id: Annotated[int, ex(3)]
    kind: Annotated[RelationKind, ex("dropped", "softened")]
    role: Annotated[RelationRole, ex("earlier", "later")]
    other_claim_id: Annotated[
        int | None,
        ex(54, None),
        msgspec.Meta(description="The claim on the other side, when there is one."),
    ]
    earlier: Annotated[
        RelatedStatement | None,
        ex(x.DRAFT_COMMITMENT_STATEMENT, None),
        msgspec.Meta(description="The statement that shows the earlier claim."),
    ]
    later_article: Annotated[
        ArticleRef | None,
        ex(x.CHARTER_ARTICLE, None),
        msgspec.Meta(
            description="The later text: the article that dropped, softened or "
            "contradicted the claim, or reports that it was."
        ),
    ]
    later: Annotated[
        RelatedStatement | None,
        ex(x.REMOVED_LANGUAGE_STATEMENT, None),
        msgspec.Meta(
            description=(
                "Softened or contradicted: what the later text says instead. Dropped: the "
                "statement that reports the omission, when one was extracted; null when the "
                "later text simply no longer carries the claim."
            )
        ),
    ]
    evidence: Annotated[
        Span | None,
        ex(x.REMOVED_LANGUAGE_EVIDENCE, None),
        msgspec.Meta(
            description="The later article's words that report the change (offsets into its text)."
        ),
    ]
    confidence: Annotated[float, ex(0.75)]
    detail: Annotated[str | None, ex(x.REMOVED_LANGUAGE_DETAIL, None)]


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """How a claim travelled: every appearance in publication order (copies included),
    the chains that brought it to each outlet, and what later texts did to it."""

    claim: Annotated[Claim, ex(x.SUSPILNE_CLAIM)]
    first: Annotated[Appearance | None, ex(x.SUSPILNE_APPEARANCE, None)]
    appearances: Annotated[list[Appearance], ex([x.SUSPILNE_APPEARANCE])]
    upstream: Annotated[list[SourceRef], ex([x.SUSPILNE], [])]
    lineage: Annotated[Lineage, ex(x.SUSPILNE_LINEAGE)]
    relations: Annotated[list[ClaimRelation], ex([x.REMOVED_LANGUAGE_RELATION], [])]


class ProvDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A claim's provenance as a W3C PROV-JSON document (https://www.w3.org/submissions/prov-json/).

    Records are keyed by identifier: qualified names whose prefixes ``prefix`` declares
    (``claim:21``, ``article:3``, ...) and ``_:`` blank identifiers for relation records.
    """

    prefix: Annotated[dict[str, str], ex(x.PROV_PREFIX)]
    entity: Annotated[dict[str, dict[str, Any]], ex(x.PROV_ENTITIES)]
    activity: Annotated[dict[str, dict[str, Any]], ex(x.PROV_ACTIVITIES)]
    agent: Annotated[dict[str, dict[str, Any]], ex(x.PROV_AGENTS)]
    was_generated_by: Annotated[dict[str, dict[str, Any]], ex(x.PROV_GENERATIONS)] = msgspec.field(
        name="wasGeneratedBy"
    )
    was_associated_with: Annotated[dict[str, dict[str, Any]], ex(x.PROV_ASSOCIATIONS)] = (
        msgspec.field(name="wasAssociatedWith")
    )
    was_attributed_to: Annotated[dict[str, dict[str, Any]], ex(x.PROV_ATTRIBUTIONS)] = (
        msgspec.field(name="wasAttributedTo")
    )
    was_derived_from: Annotated[dict[str, dict[str, Any]], ex(x.PROV_DERIVATIONS)] = msgspec.field(
        name="wasDerivedFrom"
    )
    was_influenced_by: Annotated[dict[str, dict[str, Any]], ex(x.PROV_INFLUENCES, {})] = (
        msgspec.field(name="wasInfluencedBy")
    )
