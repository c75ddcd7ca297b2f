"""/v1/claims: what several statements assert, and how it travelled between outlets."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_308_PERMANENT_REDIRECT

import schemas
from api.http.controllers.statements import stored_or_rendered
from api.http.pagination import LINK_HEADER, page_response
from api.http.params import ClaimIdPath
from api.http.problems import problem_responses
from api.http.response_cache import CACHED
from api.services import ClaimService, Window
from api.services.claims import MergedClaimError
from api.services.statement_reader import StatementReader

PROVENANCE_DESCRIPTION = """\
How the claim travelled: who said it, who published it first, who relayed it to whom, how
the wording changed, and what later texts did to it.

- `appearances`: every statement supporting the claim, ordered by publication date, then
  article id (undated last): outlet, article, exact wording and its offsets in the stored
  article text, the sources the article credits, a word-level `diff` against the claim's
  canonical text, and its upstream `chain` (origin first: the speaker, the credited
  sources, the outlet). Outlets that ran a near-duplicate (syndicated) copy of an
  appearance's article are appearances too, with `copy_of` set, their own outlet and
  date, and the wording located in the copy's text.
- `first`: the earliest appearance. `upstream`: the credited sources in the order they
  first appear.
- `lineage`: every chain merged into one graph (`origins`, `nodes`, `edges`).
- `relations`: where a later text dropped, softened or contradicted the claim (`role`
  `earlier`), and where this claim is that later text's wording or its report of the
  change (`role` `later`), each with the statements and the later article's words
  (`evidence`) that show it, and a confidence. Found at ingestion: a sentence reporting
  that a draft's wording did not survive ("did not appear in the final communique",
  "removing language ..."), matched to the draft statement it describes; a later
  statement of the same speaker, or a final document after a draft, with weaker wording
  ("will" -> "could", "guarantee" -> "support") or the opposite polarity; a new version
  of an article that no longer carries a statement.

The same lineage as W3C PROV-JSON: `/v1/claims/{claim_id}/provenance.prov.json`.
"""

PROV_JSON_DESCRIPTION = """\
The claim's provenance as a [W3C PROV-JSON](https://www.w3.org/submissions/prov-json/)
document, for provenance tools and archives. PROV-JSON is a W3C Member Submission with
no registered media type of its own: it is served as `application/json`.

- `prefix`: `stmt` (this API's vocabulary) and `claim`, `statement`, `article`, `actor`,
  `source`, which resolve to this API's resources (`claim:21` is `/v1/claims/21`).
- `agent`: outlets and credited agencies (`source:N`, `prov:Organization`) and speakers
  (`actor:N`, `prov:Person` or `prov:Organization`; documents also `stmt:Document`).
- `entity`: the claim, each statement carrying it (`prov:value` its exact words,
  `stmt:start`/`stmt:end` its offsets), each article (with copies and earlier versions),
  and each credited agency's report of the claim (`stmt:report-C-S`).
- `activity`: each article's publication (`stmt:publication-N`).
- `wasGeneratedBy` (publication -> article and statements), `wasAssociatedWith`
  (publication -> outlet), `wasAttributedTo` (article -> outlet, claim -> speaker, report
  -> agency).
- `wasDerivedFrom`, where PROV-JSON puts the PROV-N subtypes, told apart by `prov:type`:
  `prov:PrimarySource` (hadPrimarySource: statement or report -> claim),
  `prov:Quotation` (wasQuotedFrom: a quoting statement -> the claim or the credited
  report; a near-duplicate copy -> the article it copies), `prov:Revision`
  (wasRevisionOf: a new version -> the version it revises); none for a paraphrase of a
  credited report.
- `wasInfluencedBy`: the relations to other claims (`prov:type` `stmt:Dropped`,
  `stmt:Softened` or `stmt:Contradicted`, with `stmt:confidence`).

Relation records have `_:` blank identifiers; qualified-name values are typed `xsd:QName`.
"""


MERGED_RESPONSE = {
    HTTP_308_PERMANENT_REDIRECT: ResponseSpec(
        data_container=None,
        description=(
            "The claim was merged into another when a later statement matched both: "
            "`Location` is the same request for that claim (query kept)."
        ),
    )
}


def redirect_merged_claim(request: Request[Any, Any, Any], exc: MergedClaimError) -> Response[Any]:
    """A merged claim's reads move to the claim it became (path suffix and query kept), as
    a merged actor's do (api/http/controllers/actors.py)."""
    path = request.url.path
    prefix = path[: path.rindex("/claims/") + len("/claims/")]
    rest = path[len(prefix) :].partition("/")[2]
    location = f"{prefix}{exc.into_id}" + (f"/{rest}" if rest else "")
    if request.url.query:
        location += f"?{request.url.query}"
    return Response(
        None,
        status_code=HTTP_308_PERMANENT_REDIRECT,
        # A merge is for good, but a SQLite id can be given to a new claim later.
        headers={"Location": location, "Cache-Control": "no-store"},
    )


class ClaimController(Controller):
    path = "/claims"
    tags = ["claims"]
    exception_handlers = {MergedClaimError: redirect_merged_claim}

    @get(
        "/",
        operation_id="listClaims",
        cache=CACHED,
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
        cache=CACHED,
        summary="Get a claim",
        description="One claim and its supporting statements in publication order.",
        responses={**problem_responses(400, 404, 500), **MERGED_RESPONSE},
    )
    async def get_claim(
        self, claim_service: NamedDependency[ClaimService], claim_id: ClaimIdPath
    ) -> schemas.ClaimDetail:
        return await claim_service.get(claim_id)

    @get(
        "/{claim_id:int}/provenance",
        operation_id="getClaimProvenance",
        cache=CACHED,
        summary="Trace a claim",
        description=PROVENANCE_DESCRIPTION,
        responses={**problem_responses(400, 404, 500), **MERGED_RESPONSE},
    )
    async def get_claim_provenance(
        self,
        request: Request[Any, Any, Any],
        statement_reader: NamedDependency[StatementReader],
        claim_id: ClaimIdPath,
    ) -> Response[schemas.Provenance]:
        found = await statement_reader.provenance(claim_id)
        return stored_or_rendered(request, statement_reader, found)

    @get(
        "/{claim_id:int}/provenance.prov.json",
        operation_id="getClaimProvenanceProvJson",
        cache=CACHED,
        summary="Trace a claim as W3C PROV-JSON",
        description=PROV_JSON_DESCRIPTION,
        media_type=MediaType.JSON,
        responses={**problem_responses(400, 404, 500), **MERGED_RESPONSE},
    )
    async def get_claim_provenance_prov_json(
        self,
        request: Request[Any, Any, Any],
        claim_service: NamedDependency[ClaimService],
        claim_id: ClaimIdPath,
    ) -> schemas.ProvDocument:
        return await claim_service.prov_document(claim_id, api_root(request))


def api_root(request: Request[Any, Any, Any]) -> str:
    """This API's ``/v1/`` URL as the client reached it (host, scheme and any prefix)."""
    path = request.url.path
    root = path[: path.rindex("/claims/") + 1]
    return f"{request.url.scheme}://{request.url.netloc}{root}"
