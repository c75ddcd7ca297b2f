"""Read service for claims: what several statements assert, and how it travelled.

The provenance rows are loaded here; api/services/provenance.py shapes them for the API
and api/services/prov.py as W3C PROV-JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

import schemas
from api.services import converters, prov
from api.services.errors import NotFoundError
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.services.provenance import Mention, RelationRows, Trace, order_key, provenance_of
from api.services.statements import StatementService, statement_query
from api.storage.models import (
    ArticleRow,
    ClaimMentionRow,
    ClaimMergeRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    NarrationSentenceRow,
    SourceRow,
    StatementRow,
)


class MergedClaimError(NotFoundError):
    """The claim was merged into another when a later statement matched both:
    ``into_id`` is the claim it became."""

    def __init__(self, claim_id: int, into_id: int) -> None:
        super().__init__("claim", claim_id)
        self.into_id = into_id
        self.args = (f"claim {claim_id} was merged into claim {into_id}",)


class ClaimService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, window: Window) -> Slice[schemas.Claim]:
        query = in_window(select(ClaimRow), ClaimRow.id, window)
        rows, has_more = split_window((await self._session.scalars(query)).all(), window)
        items = await self._summaries(rows)
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, claim_id: int) -> schemas.ClaimDetail:
        """The claim and its supporting statements in publication order."""
        row = await self._claim_row(claim_id)
        (claim,) = await self._summaries([row])
        statements = await StatementService(self._session).convert(
            await self._statement_rows(claim_id)
        )
        return schemas.ClaimDetail(claim=claim, statements=statements)

    async def provenance(self, claim_id: int) -> schemas.Provenance:
        """Every appearance of the claim in publication order (near-duplicate copies
        included), each with its upstream chain and a word diff against the claim's text;
        the chains merged; and the relations to other claims, both ways."""
        trace = await self.trace(claim_id)
        (claim,) = await self._summaries([trace.claim])
        return provenance_of(trace, claim)

    async def prov_document(self, claim_id: int, base_url: str) -> schemas.ProvDocument:
        """The same lineage as a W3C PROV-JSON document; identifiers resolve under
        ``base_url`` (the API's ``/v1/``)."""
        return prov.document(await self.trace(claim_id, with_versions=True), base_url)

    async def trace(self, claim_id: int, *, with_versions: bool = False) -> Trace:
        """The rows a provenance is made of, in a handful of queries whatever their number."""
        row = await self._claim_row(claim_id)
        statements = await self._statement_rows(claim_id)
        articles = {statement.article_id: statement.article for statement in statements}
        copies = await self._copies(list(articles))
        relations, statement_claims = await self._relations(
            claim_id, [statement.id for statement in statements]
        )
        versions: dict[int, ArticleRow] = {}
        if with_versions:
            known = [*articles.values(), *(c for cs in copies.values() for c in cs)]
            versions = await self._earlier_versions(known)
        return Trace(
            claim=row,
            statements=statements,
            copies=copies,
            relations=relations,
            statement_claims=statement_claims,
            versions=versions,
            mentions=await self._mentions(claim_id),
        )

    async def _mentions(self, claim_id: int) -> list[Mention]:
        """The narration sentences that state the claim (api/pipeline/claim_mentions.py),
        found through the claim's statements, so they follow the claim when it changes."""
        rows = await self._session.execute(
            select(ClaimMentionRow.id, NarrationSentenceRow, ArticleRow)
            .join(NarrationSentenceRow, NarrationSentenceRow.id == ClaimMentionRow.sentence_id)
            .join(ArticleRow, ArticleRow.id == NarrationSentenceRow.article_id)
            .options(
                defer(ArticleRow.text, raiseload=True),
                defer(ArticleRow.minhash, raiseload=True),
            )
            .where(ClaimMentionRow.statement_id.in_(_statements_of(claim_id)))
            .order_by(ClaimMentionRow.id)
        )
        mentions: dict[int, Mention] = {}
        for mention_id, sentence, article in rows:
            # One sentence may match several statements of a merged claim: listed once.
            mentions.setdefault(sentence.id, Mention(mention_id, sentence, article))
        return list(mentions.values())

    async def _copies(self, article_ids: list[int]) -> dict[int, list[ArticleRow]]:
        """Near-duplicate copies of the articles, and copies of those, with their texts."""
        copies: dict[int, list[ArticleRow]] = defaultdict(list)
        seen = set(article_ids)
        frontier = list(article_ids)
        while frontier:
            rows = (
                await self._session.scalars(
                    select(ArticleRow)
                    .options(defer(ArticleRow.minhash, raiseload=True))
                    .where(ArticleRow.duplicate_of_id.in_(frontier))
                    .order_by(ArticleRow.id)
                )
            ).all()
            frontier = []
            for copy in rows:
                if copy.id in seen or copy.duplicate_of_id is None:
                    continue
                seen.add(copy.id)
                copies[copy.duplicate_of_id].append(copy)
                frontier.append(copy.id)
        return dict(copies)

    async def _relations(
        self, claim_id: int, statement_ids: list[int]
    ) -> tuple[list[RelationRows], dict[int, int]]:
        """The relations either side of which is the claim or one of its statements."""
        conditions = [
            ClaimRelationRow.claim_id == claim_id,
            ClaimRelationRow.later_claim_id == claim_id,
        ]
        if statement_ids:
            conditions += [
                ClaimRelationRow.statement_id.in_(statement_ids),
                ClaimRelationRow.later_statement_id.in_(statement_ids),
            ]
        rows = (
            await self._session.scalars(
                select(ClaimRelationRow).where(or_(*conditions)).order_by(ClaimRelationRow.id)
            )
        ).all()
        if not rows:
            return [], {}
        related = {i for r in rows for i in (r.statement_id, r.later_statement_id) if i is not None}
        statements = {
            s.id: s
            for s in await self._session.scalars(
                statement_query().where(StatementRow.id.in_(related))
            )
        }
        claims = {
            statement_id: claim
            for statement_id, claim in await self._session.execute(
                select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                    ClaimStatementRow.statement_id.in_(related)
                )
            )
        }
        later_ids = {r.later_article_id for r in rows if r.later_article_id is not None}
        later_articles = {
            a.id: a
            for a in await self._session.scalars(
                select(ArticleRow)
                .options(
                    defer(ArticleRow.text, raiseload=True),
                    defer(ArticleRow.minhash, raiseload=True),
                )
                .where(ArticleRow.id.in_(later_ids))
            )
        }
        evidence = await self._evidence(rows)
        return [
            RelationRows(
                row=r,
                earlier=statements.get(r.statement_id) if r.statement_id else None,
                later=statements.get(r.later_statement_id) if r.later_statement_id else None,
                later_article=later_articles.get(r.later_article_id)
                if r.later_article_id
                else None,
                evidence=evidence.get(r.id),
            )
            for r in rows
        ], claims

    async def _evidence(self, rows: Sequence[ClaimRelationRow]) -> dict[int, str]:
        """Each relation's evidence words, cut from its later article's text in SQL."""
        found: dict[int, str] = {}
        for r in rows:
            if r.later_article_id is None or r.evidence_start is None or r.evidence_end is None:
                continue
            words = await self._session.scalar(
                select(
                    func.substr(
                        ArticleRow.text, r.evidence_start + 1, r.evidence_end - r.evidence_start
                    )
                ).where(ArticleRow.id == r.later_article_id)
            )
            if words is not None:
                found[r.id] = words
        return found

    async def _earlier_versions(self, articles: Sequence[ArticleRow]) -> dict[int, ArticleRow]:
        """The versions the articles revise, back to each first version."""
        versions: dict[int, ArticleRow] = {}
        known = {a.id for a in articles}
        wanted = {a.previous_version_id for a in articles} - {None} - known
        while wanted:
            rows = (
                await self._session.scalars(
                    select(ArticleRow)
                    .options(
                        defer(ArticleRow.text, raiseload=True),
                        defer(ArticleRow.minhash, raiseload=True),
                    )
                    .where(ArticleRow.id.in_(wanted))
                )
            ).all()
            for a in rows:
                versions[a.id] = a
            known |= wanted  # type: ignore[arg-type]
            wanted = {a.previous_version_id for a in rows} - {None} - known - set(versions)
        return versions

    async def _claim_row(self, claim_id: int) -> ClaimRow:
        row = await self._session.get(ClaimRow, claim_id)
        if row is None:
            into = await self._session.scalar(
                select(ClaimMergeRow.into_id).where(ClaimMergeRow.claim_id == claim_id)
            )
            if into is not None:
                raise MergedClaimError(claim_id, into)
            raise NotFoundError("claim", claim_id)
        return row

    async def _statement_rows(self, claim_id: int) -> list[StatementRow]:
        query = statement_query().where(StatementRow.id.in_(_statements_of(claim_id)))
        rows = (await self._session.scalars(query)).all()
        return sorted(rows, key=lambda r: order_key(r.article.published_date, r.article_id, r.id))

    async def _summaries(self, rows: Sequence[ClaimRow]) -> list[schemas.Claim]:
        """Claim structs with counts, outlets and first dates for all rows in two queries."""
        ids = [row.id for row in rows]
        if not ids:
            return []
        stats = await self._session.execute(
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
        narrated = await self._session.execute(
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
        outlets = await self._outlets(ids)
        return [
            converters.claim(
                row,
                statement_count=counts.get(row.id, (0, None))[0],
                outlets=converters.sorted_source_refs(outlets[row.id]),
                first_published_date=counts.get(row.id, (0, None))[1],
            )
            for row in rows
        ]

    async def _outlets(self, claim_ids: list[int]) -> defaultdict[int, list[SourceRow]]:
        result = await self._session.execute(
            select(ClaimStatementRow.claim_id, SourceRow)
            .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .where(ClaimStatementRow.claim_id.in_(claim_ids))
        )
        narrated = await self._session.execute(
            select(ClaimStatementRow.claim_id, SourceRow)
            .join(ClaimMentionRow, ClaimMentionRow.statement_id == ClaimStatementRow.statement_id)
            .join(NarrationSentenceRow, NarrationSentenceRow.id == ClaimMentionRow.sentence_id)
            .join(ArticleRow, ArticleRow.id == NarrationSentenceRow.article_id)
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .where(ClaimStatementRow.claim_id.in_(claim_ids))
        )
        outlets: defaultdict[int, list[SourceRow]] = defaultdict(list)
        # Outlets that state the claim as their own narration carried it too.
        for claim_id, source in [*result, *narrated]:
            outlets[claim_id].append(source)
        return outlets


def _statements_of(claim_id: int) -> Select[int]:
    return select(ClaimStatementRow.statement_id).where(ClaimStatementRow.claim_id == claim_id)
