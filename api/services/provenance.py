"""A claim's provenance from loaded rows: appearances (copies and the narration that
states the claim included), upstream chains, the combined lineage and the relations to
other claims. Pure: api/services/claim_traces.py loads the rows (for ``ClaimService``
and for the stored provenance documents) and this module only shapes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import schemas
from api.services import converters
from api.services.diff import word_diff
from api.storage.models import (
    ArticleRow,
    ClaimRelationRow,
    ClaimRow,
    NarrationSentenceRow,
    SourceRow,
    StatementRow,
)


@dataclass(frozen=True)
class RelationRows:
    """One ``claim_relations`` row with the rows it points at."""

    row: ClaimRelationRow
    earlier: StatementRow | None
    later: StatementRow | None
    later_article: ArticleRow | None
    evidence: str | None  # the later article's text between the evidence offsets


@dataclass(frozen=True)
class Mention:
    """A sentence of an article's own narration that states the claim."""

    id: int
    sentence: NarrationSentenceRow
    article: ArticleRow  # without its text


@dataclass(frozen=True)
class Trace:
    """Everything a claim's provenance is made of, loaded by ``claim_traces.traces``."""

    claim: ClaimRow
    statements: list[StatementRow]  # the claim's statements, in publication order
    copies: dict[int, list[ArticleRow]]  # article id -> its near-duplicate copies (with text)
    relations: list[RelationRows]
    statement_claims: dict[int, int]  # statement id -> claim id, for the related statements
    versions: dict[int, ArticleRow] = field(default_factory=dict)  # earlier versions, by id
    mentions: list[Mention] = field(default_factory=list)  # narration stating the claim


@dataclass(frozen=True)
class Carrier:
    """An article that carried a statement: its own article, or a copy of one (``via``)."""

    statement: StatementRow
    article: ArticleRow
    via: list[ArticleRow]  # the copied articles, original first; empty for the original
    content: schemas.Span


def order_key(published: dt.date | None, article_id: int, statement_id: int) -> tuple[object, ...]:
    """Earliest publication first, undated last; article id, then statement id, break ties.

    Sorted in Python because SQLite and PostgreSQL disagree on where NULLs sort.
    """
    return (published is None, published or dt.date.min, article_id, statement_id)


def locate(text: str, wording: str) -> schemas.Span | None:
    """Where ``text`` carries ``wording``, whitespace aside; None when it does not."""
    start = text.find(wording)
    if start != -1:
        return schemas.Span(start=start, end=start + len(wording), text=wording)
    pattern = r"\s+".join(re.escape(word) for word in wording.split())
    match = re.search(pattern, text) if pattern else None
    if match is None:
        return None
    return schemas.Span(start=match.start(), end=match.end(), text=match.group(0))


def carriers(trace: Trace) -> list[Carrier]:
    """Every article that carried one of the claim's statements, in publication order."""
    found: list[Carrier] = []
    for statement in trace.statements:
        found.append(Carrier(statement, statement.article, [], converters.content_span(statement)))
        found.extend(_copies(trace, statement, statement.article, []))
    return sorted(
        found, key=lambda c: order_key(c.article.published_date, c.article.id, c.statement.id)
    )


def _copies(
    trace: Trace, statement: StatementRow, article: ArticleRow, via: list[ArticleRow]
) -> Iterator[Carrier]:
    for copy in trace.copies.get(article.id, []):
        # A copy cut short may have lost the statement: then it did not carry the claim.
        content = locate(copy.text, statement.text)
        if content is not None and copy not in via:
            yield Carrier(statement, copy, [*via, article], content)
            yield from _copies(trace, statement, copy, [*via, article])


def _same_name(a: str, b: str) -> bool:
    def key(name: str) -> str:
        return name.casefold().removeprefix("the ").strip()

    return key(a) == key(b)


def chain(carrier: Carrier) -> list[schemas.ChainLink]:
    """Origin -> credited sources -> outlet (-> the outlets of copies), hop by hop."""
    statement = carrier.statement
    outlets = [a.source for a in [*carrier.via, carrier.article]]
    original_outlet = outlets[0]
    credited = [
        c.source
        for c in sorted(statement.credits, key=lambda c: (c.source.name, c.source.id))
        if original_outlet is None or c.source.id != original_outlet.id
    ]
    links: list[schemas.ChainLink] = []
    speaker = statement.speaker
    # "According to Reuters" names Reuters twice, as speaker and as credited source.
    if speaker is not None and not (
        speaker.kind == "media" and any(_same_name(speaker.name, s.name) for s in credited)
    ):
        links.append(
            schemas.ChainLink(
                hop=0,
                role=schemas.ChainRole.SPEAKER,
                name=speaker.name,
                actor=converters.actor_ref(speaker),
            )
        )
    hop = len(links)
    for source in credited:
        links.append(_source_link(hop, schemas.ChainRole.CREDITED, source))
    hop += 1 if credited else 0
    for index, outlet in enumerate(outlets):
        if outlet is not None:
            role = schemas.ChainRole.OUTLET if index == 0 else schemas.ChainRole.COPY
            links.append(_source_link(hop, role, outlet))
            hop += 1
    return links


def _source_link(hop: int, role: schemas.ChainRole, source: SourceRow) -> schemas.ChainLink:
    return schemas.ChainLink(
        hop=hop, role=role, name=source.name, source=converters.source_ref(source)
    )


def appearance(trace: Trace, carrier: Carrier) -> schemas.Appearance:
    statement, article = carrier.statement, carrier.article
    copy_of = None
    if carrier.via:
        original = carrier.via[-1]
        copy_of = schemas.CopiedFrom(
            article=converters.article_ref(original), similarity=article.duplicate_similarity
        )
    return schemas.Appearance(
        statement_id=statement.id,
        article=converters.article_ref(article),
        outlet=converters.source_ref(article.source) if article.source is not None else None,
        published_date=article.published_date,
        text=statement.text,
        content=carrier.content,
        speaker=converters.actor_ref(statement.speaker),
        credited=converters.sorted_source_refs(credit.source for credit in statement.credits),
        diff=word_diff(trace.claim.text, statement.text),
        chain=chain(carrier),
        copy_of=copy_of,
    )


def narration(trace: Trace, mention: Mention) -> schemas.Appearance:
    """A narration sentence as an appearance: the outlet is the whole chain."""
    article, sentence = mention.article, mention.sentence
    chain = (
        []
        if article.source is None
        else [_source_link(0, schemas.ChainRole.OUTLET, article.source)]
    )
    return schemas.Appearance(
        statement_id=None,
        article=converters.article_ref(article),
        outlet=converters.source_ref(article.source) if article.source is not None else None,
        published_date=article.published_date,
        text=sentence.text,
        content=schemas.Span(
            start=sentence.start_offset, end=sentence.end_offset, text=sentence.text
        ),
        speaker=None,
        credited=[],
        diff=word_diff(trace.claim.text, sentence.text),
        chain=chain,
        kind=schemas.AppearanceKind.NARRATION,
    )


def _node_key(link: schemas.ChainLink) -> str:
    if link.actor is not None:
        return f"actor:{link.actor.id}"
    assert link.source is not None
    return f"source:{link.source.id}"


def lineage(appearances: list[schemas.Appearance]) -> schemas.Lineage:
    """The chains merged: nodes and edges in the order the appearances first use them."""
    nodes: dict[str, schemas.LineageNode] = {}
    edges: dict[tuple[str, str], tuple[list[int], dt.date | None]] = {}
    for item in appearances:
        for link in item.chain:
            key = _node_key(link)
            node = nodes.get(key) or schemas.LineageNode(
                key=key, name=link.name, roles=[], actor=link.actor, source=link.source
            )
            if link.role not in node.roles:
                node = schemas.LineageNode(
                    key=key,
                    name=node.name,
                    roles=[*node.roles, link.role],
                    actor=node.actor,
                    source=node.source,
                )
            nodes[key] = node
        for up in item.chain:
            for down in item.chain:
                if down.hop != up.hop + 1:
                    continue
                ids, first = edges.get((_node_key(up), _node_key(down)), ([], None))
                if item.article.id not in ids:
                    ids.append(item.article.id)
                if item.published_date is not None and (
                    first is None or item.published_date < first
                ):
                    first = item.published_date
                edges[(_node_key(up), _node_key(down))] = (ids, first)
    downstream = {down for _, down in edges}
    return schemas.Lineage(
        origins=[key for key in nodes if key not in downstream],
        nodes=list(nodes.values()),
        edges=[
            schemas.LineageEdge(
                upstream=up, downstream=down, article_ids=ids, first_published_date=first
            )
            for (up, down), (ids, first) in edges.items()
        ],
    )


def _related(row: StatementRow | None, claims: dict[int, int]) -> schemas.RelatedStatement | None:
    if row is None:
        return None
    return schemas.RelatedStatement(
        id=row.id,
        claim_id=claims.get(row.id),
        text=row.text,
        content=converters.content_span(row),
        speaker=converters.actor_ref(row.speaker),
        article=converters.article_ref(row.article),
    )


def relations(trace: Trace) -> list[schemas.ClaimRelation]:
    """The claim's relations, both ways, latest text last.

    Which side the claim is on is read through the statements' current claims, so a
    relation follows its statements when claims are regrouped.
    """
    claim_id, claims = trace.claim.id, trace.statement_claims
    out: list[tuple[tuple[object, ...], schemas.ClaimRelation]] = []
    for rel in trace.relations:
        row = rel.row
        earlier_claim = claims.get(row.statement_id or 0, row.claim_id)
        later_claim = claims.get(row.later_statement_id or 0, row.later_claim_id)
        if claim_id not in (earlier_claim, later_claim):
            continue  # stored under this claim, but its statements have since moved on
        earlier_side = earlier_claim == claim_id
        published = rel.later_article.published_date if rel.later_article else None
        evidence = None
        if rel.evidence is not None and row.evidence_start is not None and row.evidence_end:
            evidence = schemas.Span(
                start=row.evidence_start, end=row.evidence_end, text=rel.evidence
            )
        item = schemas.ClaimRelation(
            id=row.id,
            kind=schemas.RelationKind(row.kind),
            role=schemas.RelationRole.EARLIER if earlier_side else schemas.RelationRole.LATER,
            other_claim_id=later_claim if earlier_side else earlier_claim,
            earlier=_related(rel.earlier, claims),
            later_article=converters.article_ref(rel.later_article) if rel.later_article else None,
            later=_related(rel.later, claims),
            evidence=evidence,
            confidence=row.confidence,
            detail=row.detail,
        )
        out.append((order_key(published, row.later_article_id or 0, row.id), item))
    return [item for _, item in sorted(out, key=lambda pair: pair[0])]


def provenance_of(trace: Trace, claim: schemas.Claim) -> schemas.Provenance:
    keyed = [
        (order_key(c.article.published_date, c.article.id, c.statement.id), 0, appearance(trace, c))
        for c in carriers(trace)
    ]
    keyed += [
        (order_key(m.article.published_date, m.article.id, m.id), 1, narration(trace, m))
        for m in trace.mentions
    ]
    items = [item for _, _, item in sorted(keyed, key=lambda k: (k[0], k[1]))]
    upstream: dict[int, schemas.SourceRef] = {}
    for item in items:
        for credited in item.credited:
            # First-credited first: the order in which agencies entered the story.
            upstream.setdefault(credited.id, credited)
    return schemas.Provenance(
        claim=claim,
        first=items[0] if items else None,
        appearances=items,
        upstream=list(upstream.values()),
        lineage=lineage(items),
        relations=relations(trace),
    )
