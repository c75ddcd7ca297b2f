"""The rows claims' provenances are made of, loaded for many claims at once.

Plain functions on a sync ``Session``: ``ClaimService`` runs them through
``AsyncSession.run_sync`` for one claim, and the provenance renderer
(api/services/provenance_documents.py) for a few hundred claims inside a writer's
commit. A batch costs the same handful of queries as a single claim.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, defer

import schemas
from api.services import converters
from api.services.provenance import Mention, RelationRows, Trace, order_key
from api.services.statements import statement_query
from api.storage.models import (
    ArticleRow,
    ClaimMentionRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    NarrationSentenceRow,
    SourceRow,
    StatementRow,
)

_Query = TypeVar("_Query", bound=Select[Any])


def _without_text(query: _Query) -> _Query:
    return query.options(
        defer(ArticleRow.text, raiseload=True), defer(ArticleRow.minhash, raiseload=True)
    )


def traces(
    session: Session, claims: Sequence[ClaimRow], *, with_versions: bool = False
) -> dict[int, Trace]:
    """Each claim's ``Trace`` by claim id: what ``provenance_of`` and PROV-JSON shape."""
    ids = [claim.id for claim in claims]
    statements = statements_by_claim(session, ids)
    articles = {s.article_id: s.article for rows in statements.values() for s in rows}
    copies = copies_of(session, list(articles))
    relations, statement_claims = relations_of(session, ids, statements)
    mentions = mentions_of(session, ids)
    found: dict[int, Trace] = {}
    for claim in claims:
        own = statements.get(claim.id, [])
        own_copies = _reachable(copies, {s.article_id for s in own})
        versions: dict[int, ArticleRow] = {}
        if with_versions:
            known = [*(s.article for s in own), *(c for cs in own_copies.values() for c in cs)]
            versions = earlier_versions(session, known)
        found[claim.id] = Trace(
            claim=claim,
            statements=own,
            copies=own_copies,
            relations=relations.get(claim.id, []),
            statement_claims=statement_claims,
            versions=versions,
            mentions=mentions.get(claim.id, []),
        )
    return found


def statements_by_claim(
    session: Session, claim_ids: Collection[int]
) -> dict[int, list[StatementRow]]:
    """Each claim's statements in publication order."""
    rows = session.execute(
        statement_query()
        .add_columns(ClaimStatementRow.claim_id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .where(ClaimStatementRow.claim_id.in_(claim_ids))
    )
    found: dict[int, list[StatementRow]] = defaultdict(list)
    for statement, claim_id in rows:
        found[claim_id].append(statement)
    for statements in found.values():
        statements.sort(key=lambda r: order_key(r.article.published_date, r.article_id, r.id))
    return dict(found)


def copies_of(session: Session, article_ids: Collection[int]) -> dict[int, list[ArticleRow]]:
    """Near-duplicate copies of the articles, and copies of those, with their texts."""
    copies: dict[int, list[ArticleRow]] = defaultdict(list)
    seen = set(article_ids)
    frontier = list(article_ids)
    while frontier:
        rows = session.scalars(
            select(ArticleRow)
            .options(defer(ArticleRow.minhash, raiseload=True))
            .where(ArticleRow.duplicate_of_id.in_(frontier))
            .order_by(ArticleRow.id)
        ).all()
        frontier = []
        for copy in rows:
            if copy.id in seen or copy.duplicate_of_id is None:
                continue
            seen.add(copy.id)
            copies[copy.duplicate_of_id].append(copy)
            frontier.append(copy.id)
    return dict(copies)


def _reachable(
    copies: dict[int, list[ArticleRow]], article_ids: Iterable[int]
) -> dict[int, list[ArticleRow]]:
    """The part of ``copies`` that descends from ``article_ids``."""
    found: dict[int, list[ArticleRow]] = {}
    frontier = list(article_ids)
    while frontier:
        article_id = frontier.pop()
        if article_id in found or article_id not in copies:
            continue
        found[article_id] = copies[article_id]
        frontier.extend(copy.id for copy in copies[article_id])
    return found


def relations_of(
    session: Session, claim_ids: Sequence[int], statements: dict[int, list[StatementRow]]
) -> tuple[dict[int, list[RelationRows]], dict[int, int]]:
    """Per claim, the relations either side of which is it or one of its statements;
    and the current claim of every statement those relations name."""
    claim_of = {s.id: claim_id for claim_id, rows in statements.items() for s in rows}
    conditions = [
        ClaimRelationRow.claim_id.in_(claim_ids),
        ClaimRelationRow.later_claim_id.in_(claim_ids),
    ]
    if claim_of:
        conditions += [
            ClaimRelationRow.statement_id.in_(claim_of),
            ClaimRelationRow.later_statement_id.in_(claim_of),
        ]
    rows = session.scalars(
        select(ClaimRelationRow).where(or_(*conditions)).order_by(ClaimRelationRow.id)
    ).all()
    if not rows:
        return {}, {}
    related = {i for r in rows for i in (r.statement_id, r.later_statement_id) if i is not None}
    by_id = {
        s.id: s for s in session.scalars(statement_query().where(StatementRow.id.in_(related)))
    }
    statement_claims = {
        statement_id: claim
        for statement_id, claim in session.execute(
            select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_(related)
            )
        )
    }
    later_ids = {r.later_article_id for r in rows if r.later_article_id is not None}
    later_articles = {
        a.id: a
        for a in session.scalars(
            _without_text(select(ArticleRow)).where(ArticleRow.id.in_(later_ids))
        )
    }
    evidence = _evidence(session, rows)
    wanted = set(claim_ids)
    found: dict[int, list[RelationRows]] = defaultdict(list)
    for r in rows:
        loaded = RelationRows(
            row=r,
            earlier=by_id.get(r.statement_id) if r.statement_id else None,
            later=by_id.get(r.later_statement_id) if r.later_statement_id else None,
            later_article=later_articles.get(r.later_article_id) if r.later_article_id else None,
            evidence=evidence.get(r.id),
        )
        sides = {
            r.claim_id,
            r.later_claim_id,
            claim_of.get(r.statement_id or 0),
            claim_of.get(r.later_statement_id or 0),
        }
        for claim_id in sorted(c for c in sides if c in wanted):
            found[claim_id].append(loaded)
    return dict(found), statement_claims


def _evidence(session: Session, rows: Sequence[ClaimRelationRow]) -> dict[int, str]:
    """Each relation's evidence words, cut from its later article's text in SQL."""
    ids = [
        r.id
        for r in rows
        if r.later_article_id is not None
        and r.evidence_start is not None
        and r.evidence_end is not None
    ]
    if not ids:
        return {}
    words = func.substr(
        ArticleRow.text,
        ClaimRelationRow.evidence_start + 1,
        ClaimRelationRow.evidence_end - ClaimRelationRow.evidence_start,
    )
    result = session.execute(
        select(ClaimRelationRow.id, words)
        .join(ArticleRow, ArticleRow.id == ClaimRelationRow.later_article_id)
        .where(ClaimRelationRow.id.in_(ids))
    )
    return {relation_id: text for relation_id, text in result if text is not None}


def mentions_of(session: Session, claim_ids: Collection[int]) -> dict[int, list[Mention]]:
    """The narration sentences that state each claim (api/pipeline/claim_mentions.py),
    found through the claim's statements, so they follow the claim when it changes."""
    rows = session.execute(
        _without_text(select(ArticleRow))
        .add_columns(ClaimStatementRow.claim_id, ClaimMentionRow.id, NarrationSentenceRow)
        .join(NarrationSentenceRow, NarrationSentenceRow.article_id == ArticleRow.id)
        .join(ClaimMentionRow, ClaimMentionRow.sentence_id == NarrationSentenceRow.id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == ClaimMentionRow.statement_id)
        .where(ClaimStatementRow.claim_id.in_(claim_ids))
        .order_by(ClaimMentionRow.id)
    )
    found: dict[int, dict[int, Mention]] = defaultdict(dict)
    for article, claim_id, mention_id, sentence in rows:
        # One sentence may match several statements of a merged claim: listed once.
        found[claim_id].setdefault(sentence.id, Mention(mention_id, sentence, article))
    return {claim_id: list(mentions.values()) for claim_id, mentions in found.items()}


def earlier_versions(session: Session, articles: Sequence[ArticleRow]) -> dict[int, ArticleRow]:
    """The versions the articles revise, back to each first version."""
    versions: dict[int, ArticleRow] = {}
    known = {a.id for a in articles}
    wanted = {a.previous_version_id for a in articles if a.previous_version_id is not None} - known
    while wanted:
        rows = session.scalars(
            _without_text(select(ArticleRow)).where(ArticleRow.id.in_(wanted))
        ).all()
        for a in rows:
            versions[a.id] = a
        known |= wanted
        wanted = {a.previous_version_id for a in rows if a.previous_version_id is not None} - known
    return versions


def summaries(session: Session, rows: Sequence[ClaimRow]) -> list[schemas.Claim]:
    """Claim structs with counts, outlets and first dates for all rows in four queries."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    stats = session.execute(
        select(
            ClaimStatementRow.claim_id,
            func.count(StatementRow.id),
            func.min(ArticleRow.published_date),
        )
        .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .where(ClaimStatementRow.claim_id.in_(ids))
        .group_by(ClaimStatementRow.claim_id)
    )
    counts: dict[int, tuple[int, dt.date | None]] = {
        claim_id: (count, first) for claim_id, count, first in stats
    }
    narrated = session.execute(
        select(ClaimStatementRow.claim_id, func.min(ArticleRow.published_date))
        .join(ClaimMentionRow, ClaimMentionRow.statement_id == ClaimStatementRow.statement_id)
        .join(NarrationSentenceRow, NarrationSentenceRow.id == ClaimMentionRow.sentence_id)
        .join(ArticleRow, ArticleRow.id == NarrationSentenceRow.article_id)
        .where(ClaimStatementRow.claim_id.in_(ids))
        .group_by(ClaimStatementRow.claim_id)
    )
    for claim_id, first in narrated:
        # Narration that states the claim counts among the first to publish it.
        count, earliest = counts.get(claim_id, (0, None))
        if first is not None and (earliest is None or first < earliest):
            counts[claim_id] = (count, first)
    outlets = _outlets(session, ids)
    return [
        converters.claim(
            row,
            statement_count=counts.get(row.id, (0, None))[0],
            outlets=converters.sorted_source_refs(outlets[row.id]),
            first_published_date=counts.get(row.id, (0, None))[1],
        )
        for row in rows
    ]


def _outlets(session: Session, claim_ids: list[int]) -> defaultdict[int, list[SourceRow]]:
    carried = session.execute(
        select(ClaimStatementRow.claim_id, SourceRow)
        .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ClaimStatementRow.claim_id.in_(claim_ids))
    )
    narrated = session.execute(
        select(ClaimStatementRow.claim_id, SourceRow)
        .join(ClaimMentionRow, ClaimMentionRow.statement_id == ClaimStatementRow.statement_id)
        .join(NarrationSentenceRow, NarrationSentenceRow.id == ClaimMentionRow.sentence_id)
        .join(ArticleRow, ArticleRow.id == NarrationSentenceRow.article_id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ClaimStatementRow.claim_id.in_(claim_ids))
    )
    outlets: defaultdict[int, list[SourceRow]] = defaultdict(list)
    # Outlets that state the claim as their own narration carried it too.
    for claim_id, source in [*carried, *narrated]:
        outlets[claim_id].append(source)
    return outlets
