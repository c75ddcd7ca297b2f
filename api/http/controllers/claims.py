"""/v1/claims: what several statements assert, and how it travelled between outlets."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

import schemas
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import ClaimIdPath
from api.http.problems import problem_responses
from api.services import ClaimService, Window


class ClaimController(Controller):
    path = "/claims"
    tags = ["claims"]

    @get(
        "/",
        operation_id="listClaims",
        summary="List claims",
        description="Claims in id order, with their outlets and first publication date.",
        response_headers=[LINK_HEADER],
        responses=problem_responses(400, 500),
    )
    async def list_claims(
        self,
        request: Request[Any, Any, Any],
        claim_service: NamedDependency[ClaimService],
        window: NamedDependency[Window],
    ) -> Response[schemas.ClaimPage]:
        page = await claim_service.page(window)
        return page_response(request, page, schemas.ClaimPage)

    @get(
        "/{claim_id:int}",
        operation_id="getClaim",
        summary="Get a claim",
        description="One claim and its supporting statements in publication order.",
        responses=problem_responses(400, 404, 500),
    )
    async def get_claim(
        self, claim_service: NamedDependency[ClaimService], claim_id: ClaimIdPath
    ) -> schemas.ClaimDetail:
        return await claim_service.get(claim_id)

    @get(
        "/{claim_id:int}/provenance",
        operation_id="getClaimProvenance",
        summary="Trace a claim",
        description=(
            "Every appearance of the claim ordered by publication date, then article id: "
            "outlet, exact wording and span, credited upstream sources and a word-level "
            "diff against the claim's canonical text. `first` is the earliest appearance; "
            "`upstream` lists the credited sources in the order they first appear."
        ),
        responses=problem_responses(400, 404, 500),
    )
    async def get_claim_provenance(
        self, claim_service: NamedDependency[ClaimService], claim_id: ClaimIdPath
    ) -> schemas.Provenance:
        return await claim_service.provenance(claim_id)
