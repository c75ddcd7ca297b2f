"""Read service for claims: what several statements assert, and how it travelled.

The provenance rows are loaded by api/services/claim_traces.py (for one claim here, for
many when provenance documents are rendered); api/services/provenance.py shapes them for
the API and api/services/prov.py as W3C PROV-JSON.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

import schemas
from api.services import claim_traces, prov
from api.services.errors import NotFoundError
from api.services.paging import Slice, Window, in_window, make_slice, split_window
from api.services.provenance import Trace, provenance_of
from api.services.statements import StatementService
from api.storage.models import ClaimMergeRow, ClaimRow


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
        items = await self._session.run_sync(claim_traces.summaries, rows)
        return make_slice(items, has_more, rows[-1].id if rows else None)

    async def get(self, claim_id: int) -> schemas.ClaimDetail:
        """The claim and its supporting statements in publication order."""
        row = await self._claim_row(claim_id)
        (claim,) = await self._session.run_sync(claim_traces.summaries, [row])
        rows = await self._session.run_sync(claim_traces.statements_by_claim, [claim_id])
        statements = await StatementService(self._session).convert(rows.get(claim_id, []))
        return schemas.ClaimDetail(claim=claim, statements=statements)

    async def provenance(self, claim_id: int) -> schemas.Provenance:
        """Every appearance of the claim in publication order (near-duplicate copies
        included), each with its upstream chain and a word diff against the claim's text;
        the chains merged; and the relations to other claims, both ways."""
        trace = await self.trace(claim_id)
        (claim,) = await self._session.run_sync(claim_traces.summaries, [trace.claim])
        return provenance_of(trace, claim)

    async def prov_document(self, claim_id: int, base_url: str) -> schemas.ProvDocument:
        """The same lineage as a W3C PROV-JSON document; identifiers resolve under
        ``base_url`` (the API's ``/v1/``)."""
        return prov.document(await self.trace(claim_id, with_versions=True), base_url)

    async def trace(self, claim_id: int, *, with_versions: bool = False) -> Trace:
        """The rows a provenance is made of, in a handful of queries whatever their number."""
        row = await self._claim_row(claim_id)

        def load(session: Session) -> Trace:
            return claim_traces.traces(session, [row], with_versions=with_versions)[row.id]

        return await self._session.run_sync(load)

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
