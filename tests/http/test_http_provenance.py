"""/v1/claims/{id}/provenance and its PROV-JSON sibling: upstream chains, the combined
lineage, near-duplicate copies as appearances, relations to other claims both ways, and
the W3C PROV-JSON document (structure and content). Built on the factories' newsroom
(tests/http/factories.py): claim c1 is Macron's "stand by Ukraine" in s1 (The Guardian,
6 Jan, via Reuters), s3 (Le Monde, 7 Jan, via Reuters and AFP) and s6 (The Guardian,
8 Jan); c2 is the Kremlin's s4.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import ActorRow, ArticleRow, ClaimRelationRow, SourceRow, StatementRow
from tests.http.factories import Factory, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
JAN = {day: dt.date(2026, 1, day) for day in range(1, 15)}
MACRON = "Emmanuel Macron"


def ref(source_id: int, name: str, kind: str = "outlet") -> dict[str, Any]:
    return {"id": source_id, "name": name, "kind": kind}


def chain_of(appearance: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(link["hop"], link["role"], link["name"]) for link in appearance["chain"]]


async def provenance(client: Client, claim_id: int) -> dict[str, Any]:
    response = await client.get(f"/v1/claims/{claim_id}/provenance")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- Upstream chains and the combined lineage.


async def test_each_appearance_has_its_chain_from_the_speaker_to_the_outlet(
    client: Client, newsroom: Newsroom
) -> None:
    first, middle, last = (await provenance(client, newsroom.c1))["appearances"]

    assert chain_of(first) == [(0, "speaker", MACRON), (1, "credited", "Reuters"),
                               (2, "outlet", "The Guardian")]  # fmt: skip
    # Two agencies credited together are parallel: the same hop, in name order.
    assert chain_of(middle) == [(0, "speaker", MACRON), (1, "credited", "AFP"),
                                (1, "credited", "Reuters"), (2, "outlet", "Le Monde")]  # fmt: skip
    assert chain_of(last) == [(0, "speaker", MACRON), (1, "outlet", "The Guardian")]
    speaker, agency = middle["chain"][0], middle["chain"][1]
    assert speaker["actor"] == {"id": newsroom.macron, "name": MACRON, "kind": "person"}
    assert speaker["source"] is None
    assert agency["source"] == ref(newsroom.afp, "AFP", "agency")
    assert agency["actor"] is None


async def test_a_media_speaker_that_is_also_the_credited_source_is_one_link(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    factory = Factory(async_session)
    outlet = await factory.source("Charter 97")
    reuters_actor = await factory.actor("Reuters", kind="media")
    article = await factory.article(
        "According to Reuters, the pledge came at a summit.", source=outlet, published=JAN[8]
    )
    reuters = await async_session.get(SourceRow, newsroom.reuters)
    assert reuters is not None
    statement = await factory.statement(
        article, "the pledge came at a summit", speaker=reuters_actor, kind="according_to",
        credits=[reuters],
    )  # fmt: skip
    claim = await factory.claim("the pledge came at a summit", reuters_actor, [statement])
    await async_session.commit()

    (appearance,) = (await provenance(client, claim.id))["appearances"]

    assert chain_of(appearance) == [(0, "credited", "Reuters"), (1, "outlet", "Charter 97")]


async def test_the_lineage_merges_every_chain(client: Client, newsroom: Newsroom) -> None:
    lineage = (await provenance(client, newsroom.c1))["lineage"]
    n = newsroom
    macron, reuters, afp = f"actor:{n.macron}", f"source:{n.reuters}", f"source:{n.afp}"
    guardian, lemonde = f"source:{n.guardian}", f"source:{n.lemonde}"

    assert lineage["origins"] == [macron]
    assert [(node["key"], node["roles"]) for node in lineage["nodes"]] == [
        (macron, ["speaker"]),
        (reuters, ["credited"]),
        (guardian, ["outlet"]),
        (afp, ["credited"]),
        (lemonde, ["outlet"]),
    ]
    edges = {(e["upstream"], e["downstream"]): e for e in lineage["edges"]}
    assert set(edges) == {
        (macron, reuters), (reuters, guardian), (macron, afp), (afp, lemonde),
        (reuters, lemonde), (macron, guardian),
    }  # fmt: skip
    assert edges[(macron, reuters)]["article_ids"] == [n.a1, n.a_mid]
    assert edges[(macron, reuters)]["first_published_date"] == "2026-01-06"
    assert edges[(macron, guardian)]["article_ids"] == [n.a_late]
    assert edges[(macron, guardian)]["first_published_date"] == "2026-01-08"


# --- Near-duplicate copies.


@dataclass
class Copies:
    kyiv: int
    late: int
    prefix: str


async def add_copies(newsroom: Newsroom, session: AsyncSession) -> Copies:
    """Le Monde's article (s3) run by Kyiv Wire on 9 January, Kyiv Wire's copy run again by
    Odesa Daily on 10 January, and a copy cut short before the quote."""
    factory = Factory(session)
    a_mid = await _article(session, newsroom.a_mid)
    kyiv = await factory.source("Kyiv Wire")
    odesa = await factory.source("Odesa Daily")
    cut = await factory.source("Cut Short Times")
    prefix = "KYIV (Kyiv Wire) - "
    copy = await factory.article(
        prefix + a_mid.text, source=kyiv, published=JAN[9], duplicate_of=a_mid, similarity=0.93
    )
    # Re-wrapped: the wording is found across the changed whitespace.
    rewrapped = copy.text.replace("stand by Ukraine", "stand by\n  Ukraine")
    late = await factory.article(
        rewrapped, source=odesa, published=JAN[10], duplicate_of=copy, similarity=0.91
    )
    await factory.article(
        "Macron said France would", source=cut, published=JAN[9], duplicate_of=a_mid,
        similarity=0.72,
    )  # fmt: skip
    await session.commit()
    return Copies(kyiv=copy.id, late=late.id, prefix=prefix)


async def _article(session: AsyncSession, article_id: int) -> ArticleRow:
    row = await session.get(ArticleRow, article_id)
    assert row is not None
    return row


async def test_outlets_that_ran_a_copy_are_appearances_with_their_own_outlet_and_date(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    copies = await add_copies(newsroom, async_session)
    s3 = await async_session.get(StatementRow, newsroom.s3)
    assert s3 is not None

    body = await provenance(client, newsroom.c1)

    appearances = body["appearances"]
    assert [(a["statement_id"], a["article"]["id"]) for a in appearances] == [
        (newsroom.s1, newsroom.a1),
        (newsroom.s3, newsroom.a_mid),
        (newsroom.s6, newsroom.a_late),
        (newsroom.s3, copies.kyiv),  # 9 January
        (newsroom.s3, copies.late),  # 10 January; the copy cut short is not there
    ]
    original, copy, late = appearances[1], appearances[3], appearances[4]
    assert original["copy_of"] is None
    assert copy["outlet"]["name"] == "Kyiv Wire"
    assert copy["published_date"] == "2026-01-09"
    assert copy["copy_of"] == {"article": original["article"], "similarity": 0.93}
    assert copy["text"] == s3.text
    assert copy["content"] == {
        "start": s3.content_start + len(copies.prefix),
        "end": s3.content_end + len(copies.prefix),
        "text": s3.text,
    }
    assert copy["diff"] == original["diff"]
    assert chain_of(copy) == [*chain_of(original), (3, "copy", "Kyiv Wire")]
    assert chain_of(late) == [*chain_of(copy), (4, "copy", "Odesa Daily")]
    assert late["copy_of"]["article"]["id"] == copies.kyiv
    assert late["content"]["text"] == 'France would "stand by\n  Ukraine" as long as it takes'
    # The copies' outlets are in the lineage, downstream of the outlet they copied.
    edges = {(e["upstream"], e["downstream"]) for e in body["lineage"]["edges"]}
    kyiv_key = f"source:{copy['outlet']['id']}"
    assert (f"source:{newsroom.lemonde}", kyiv_key) in edges


async def test_a_copy_published_first_is_first(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    factory = Factory(async_session)
    a1 = await _article(async_session, newsroom.a1)
    wire = await factory.source("Early Wire")
    early = await factory.article(
        a1.text, source=wire, published=JAN[5], duplicate_of=a1, similarity=0.99
    )
    await async_session.commit()

    body = await provenance(client, newsroom.c1)

    assert body["first"]["article"]["id"] == early.id
    assert body["first"]["statement_id"] == newsroom.s1
    assert body["first"]["outlet"]["name"] == "Early Wire"


# --- Relations to other claims, both ways.


@dataclass
class Related:
    final: int
    evidence: str
    softer_claim: int
    softer_statement: int
    dropped: int
    softened: int


async def add_relations(newsroom: Newsroom, session: AsyncSession) -> Related:
    factory = Factory(session)
    macron = await _actor(session, newsroom.macron)
    evidence = "The pledge to stand by Ukraine did not appear in the final communique."
    final = await factory.article(f"Leaders met. {evidence}", published=JAN[9])
    softer_article = await factory.article(
        "Macron said France could stand by Ukraine for a while.", published=JAN[12]
    )
    softer = await factory.statement(
        softer_article, "France could stand by Ukraine for a while", speaker=macron,
        kind="reported",
    )  # fmt: skip
    softer_claim = await factory.claim(
        "France could stand by Ukraine for a while", macron, [softer]
    )
    start = final.text.index(evidence)
    dropped = ClaimRelationRow(
        kind="dropped", claim_id=newsroom.c1, statement_id=newsroom.s1,
        later_article_id=final.id, evidence_start=start, evidence_end=start + len(evidence),
        confidence=0.8, detail="reported dropped",
    )  # fmt: skip
    softened = ClaimRelationRow(
        kind="softened", claim_id=newsroom.c1, statement_id=newsroom.s6,
        later_article_id=softer_article.id, later_claim_id=softer_claim.id,
        later_statement_id=softer.id, confidence=0.7, detail="will -> could",
    )  # fmt: skip
    session.add_all([dropped, softened])
    await session.commit()
    return Related(final.id, evidence, softer_claim.id, softer.id, dropped.id, softened.id)


async def _actor(session: AsyncSession, actor_id: int) -> ActorRow:
    row = await session.get(ActorRow, actor_id)
    assert row is not None
    return row


async def test_relations_show_what_later_texts_did_to_the_claim(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    related = await add_relations(newsroom, async_session)

    relations = (await provenance(client, newsroom.c1))["relations"]

    dropped, softened = relations  # the later text's publication order
    assert dropped["id"] == related.dropped
    assert (dropped["kind"], dropped["role"], dropped["other_claim_id"]) == (
        "dropped",
        "earlier",
        None,
    )
    assert dropped["earlier"]["id"] == newsroom.s1
    assert dropped["earlier"]["claim_id"] == newsroom.c1
    assert dropped["earlier"]["article"]["id"] == newsroom.a1
    assert dropped["later_article"]["id"] == related.final
    assert dropped["later"] is None
    assert dropped["evidence"]["text"] == related.evidence
    assert dropped["evidence"]["start"] == len("Leaders met. ")
    assert (dropped["confidence"], dropped["detail"]) == (0.8, "reported dropped")

    assert (softened["kind"], softened["role"], softened["other_claim_id"]) == (
        "softened",
        "earlier",
        related.softer_claim,
    )
    assert softened["earlier"]["id"] == newsroom.s6
    assert softened["later"]["id"] == related.softer_statement
    assert softened["later"]["text"] == "France could stand by Ukraine for a while"
    assert softened["evidence"] is None


async def test_the_later_claim_shows_the_relation_from_its_side(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    related = await add_relations(newsroom, async_session)

    (relation,) = (await provenance(client, related.softer_claim))["relations"]

    assert relation["id"] == related.softened
    assert (relation["role"], relation["other_claim_id"]) == ("later", newsroom.c1)
    assert relation["earlier"]["id"] == newsroom.s6
    assert relation["later"]["claim_id"] == related.softer_claim
    # Claim c2 takes no part in either relation.
    assert (await provenance(client, newsroom.c2))["relations"] == []


async def test_a_relation_follows_its_statements_when_claims_are_regrouped(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    # Stored when s1 belonged to c2; s1 is in c1 now.
    row = ClaimRelationRow(
        kind="contradicted", claim_id=newsroom.c2, statement_id=newsroom.s1, confidence=0.6
    )
    async_session.add(row)
    await async_session.commit()

    assert [r["id"] for r in (await provenance(client, newsroom.c1))["relations"]] == [row.id]
    assert (await provenance(client, newsroom.c2))["relations"] == []


# --- W3C PROV-JSON.

PROV_JSON_RECORDS = {
    "entity", "activity", "agent", "wasGeneratedBy", "used", "wasInformedBy", "wasStartedBy",
    "wasEndedBy", "wasInvalidatedBy", "wasDerivedFrom", "wasAttributedTo", "wasAssociatedWith",
    "actedOnBehalfOf", "wasInfluencedBy", "specializationOf", "alternateOf", "hadMember",
    "mentionOf", "bundle",
}  # fmt: skip
# The formal attributes each relation record must carry (PROV-JSON, after PROV-DM).
FORMAL = {
    "wasGeneratedBy": {"prov:entity"},
    "wasAssociatedWith": {"prov:activity"},
    "wasAttributedTo": {"prov:entity", "prov:agent"},
    "wasDerivedFrom": {"prov:generatedEntity", "prov:usedEntity"},
    "wasInfluencedBy": {"prov:influencee", "prov:influencer"},
}
QUALIFIED = re.compile(r"^(?:[A-Za-z0-9_-]+:[^\s]+|_:[A-Za-z0-9_-]+)$")


async def prov_json(client: Client, claim_id: int) -> dict[str, Any]:
    response = await client.get(f"/v1/claims/{claim_id}/provenance.prov.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def derivations(doc: dict[str, Any], prov_type: str | None) -> set[tuple[str, str]]:
    found = set()
    for record in doc["wasDerivedFrom"].values():
        typed = record.get("prov:type")
        if (typed["$"] if typed else None) == prov_type:
            found.add((record["prov:generatedEntity"], record["prov:usedEntity"]))
    return found


def check_structure(doc: dict[str, Any]) -> None:
    """A well-formed PROV-JSON document: known record kinds, declared prefixes, qualified
    identifiers, formal attributes present, every reference declared."""
    assert {"prefix", "entity", "activity", "agent"} <= set(doc)
    assert set(doc) - {"prefix"} <= PROV_JSON_RECORDS
    prefixes = set(doc["prefix"]) | {"prov", "xsd", "_"}
    for name, uri in doc["prefix"].items():
        assert re.fullmatch(r"[A-Za-z0-9_-]+", name) and name not in {"prov", "xsd"}
        assert re.fullmatch(r"https?://\S+[/#]", uri), uri
    declared = {key for kind in ("entity", "activity", "agent") for key in doc[kind]}
    for kind, records in doc.items():
        if kind == "prefix":
            continue
        for identifier, record in records.items():
            assert QUALIFIED.match(identifier), identifier
            assert identifier.split(":")[0] in prefixes, identifier
            for attribute in record:
                assert attribute.split(":")[0] in {"prov", "stmt"}, (identifier, attribute)
            if kind in FORMAL:
                assert identifier.startswith(f"_:{kind}"), identifier
                assert FORMAL[kind] <= set(record), (identifier, record)
                for attribute in FORMAL[kind] | {"prov:activity", "prov:agent"}:
                    if attribute in record:
                        assert record[attribute] in declared, (identifier, attribute)
            prov_type = record.get("prov:type")
            for typed in prov_type if isinstance(prov_type, list) else [prov_type]:
                if typed is not None:
                    assert typed["type"] == "xsd:QName"
                    assert typed["$"].split(":")[0] in prefixes


async def test_prov_json_is_a_well_formed_document(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    await add_copies(newsroom, async_session)
    await add_relations(newsroom, async_session)

    doc = await prov_json(client, newsroom.c1)

    check_structure(doc)
    # Identifiers resolve to this API's resources.
    assert doc["prefix"]["claim"] == "http://testserver.local/v1/claims/"
    assert doc["prefix"]["article"] == "http://testserver.local/v1/articles/"


async def test_prov_json_carries_the_lineage(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    copies = await add_copies(newsroom, async_session)
    related = await add_relations(newsroom, async_session)
    factory = Factory(async_session)
    a1 = await _article(async_session, newsroom.a1)
    macron = await _actor(async_session, newsroom.macron)
    revised = await factory.new_version(a1, a1.text + " Updated at noon.")
    s1_again = await factory.statement(revised, "We will stand by Ukraine", speaker=macron)
    await factory.attach(newsroom.c1, [s1_again])
    await async_session.commit()
    n = newsroom

    doc = await prov_json(client, n.c1)

    claim = f"claim:{n.c1}"
    entities, agents = doc["entity"], doc["agent"]
    assert entities[claim]["prov:label"] == "We will stand by Ukraine for as long as it takes."
    s1 = entities[f"statement:{n.s1}"]
    assert s1["prov:value"] == "We will stand by Ukraine for as long as it takes."
    assert (s1["stmt:start"], s1["stmt:end"]) == (40, 89)
    assert s1["stmt:article"] == {"$": f"article:{n.a1}", "type": "xsd:QName"}
    assert entities[f"article:{n.a1}"]["stmt:publishedDate"] == {
        "$": "2026-01-06",
        "type": "xsd:date",
    }
    # Outlets and speakers are agents.
    assert agents[f"actor:{n.macron}"]["prov:type"] == {"$": "prov:Person", "type": "xsd:QName"}
    assert agents[f"source:{n.guardian}"]["prov:label"] == "The Guardian"
    assert agents[f"source:{n.reuters}"]["stmt:sourceKind"] == "agency"
    attributions = {(r["prov:entity"], r["prov:agent"]) for r in doc["wasAttributedTo"].values()}
    assert (claim, f"actor:{n.macron}") in attributions
    assert (f"article:{n.a1}", f"source:{n.guardian}") in attributions
    reuters_report = f"stmt:report-{n.c1}-{n.reuters}"
    assert (reuters_report, f"source:{n.reuters}") in attributions
    # hadPrimarySource: every statement, and the agencies' reports, from the claim.
    primary = derivations(doc, "prov:PrimarySource")
    assert {(f"statement:{s}", claim) for s in (n.s1, n.s3, n.s6)} <= primary
    assert (reuters_report, claim) in primary
    # wasQuotedFrom: s1 quotes Reuters' report, s6 (uncredited) the claim itself; the
    # copy quotes the article it copies.
    quoted = derivations(doc, "prov:Quotation")
    assert (f"statement:{n.s1}", reuters_report) in quoted
    assert (f"statement:{n.s6}", claim) in quoted
    assert (f"article:{copies.kyiv}", f"article:{n.a_mid}") in quoted
    assert (f"article:{copies.late}", f"article:{copies.kyiv}") in quoted
    # wasRevisionOf: the second version of a1.
    assert derivations(doc, "prov:Revision") == {(f"article:{revised.id}", f"article:{n.a1}")}
    # Publication: the outlet's activity generates the article and its statements.
    generated = {(r["prov:entity"], r["prov:activity"]) for r in doc["wasGeneratedBy"].values()}
    assert (f"statement:{n.s1}", f"stmt:publication-{n.a1}") in generated
    associated = {(r["prov:activity"], r["prov:agent"]) for r in doc["wasAssociatedWith"].values()}
    assert (f"stmt:publication-{n.a1}", f"source:{n.guardian}") in associated
    # The relations: dropped by the final text, softened by Macron's later wording.
    influences = {
        (r["prov:influencer"], r["prov:influencee"], r["prov:type"]["$"])
        for r in doc["wasInfluencedBy"].values()
    }
    assert influences == {
        (f"statement:{n.s1}", f"article:{related.final}", "stmt:Dropped"),
        (f"statement:{n.s6}", f"statement:{related.softer_statement}", "stmt:Softened"),
    }
    check_structure(doc)


@pytest.mark.parametrize("suffix", ["/provenance", "/provenance.prov.json"])
async def test_unknown_claim_is_a_404_problem(
    client: Client, newsroom: Newsroom, suffix: str
) -> None:
    response = await client.get(f"/v1/claims/424242{suffix}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "claim 424242 does not exist"


@pytest.mark.parametrize("suffix", ["/provenance", "/provenance.prov.json"])
async def test_provenance_reads_are_cached_with_etags(
    client: Client, newsroom: Newsroom, suffix: str
) -> None:
    identity = {"Accept-Encoding": "identity"}
    path = f"/v1/claims/{newsroom.c1}{suffix}"
    first = await client.get(path, headers=identity)
    etag = first.headers["etag"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'
    assert first.headers["cache-control"] == "public, max-age=60"

    again = await client.get(path, headers={**identity, "If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""


async def test_the_prov_json_operation_is_documented(client: Client) -> None:
    spec = (await client.get("/docs/openapi.json")).json()
    operation = spec["paths"]["/v1/claims/{claim_id}/provenance.prov.json"]["get"]

    assert operation["operationId"] == "getClaimProvenanceProvJson"
    content = operation["responses"]["200"]["content"]
    assert content == {
        "application/json": {"schema": {"$ref": "#/components/schemas/ProvDocument"}}
    }
    assert "PROV-JSON" in operation["description"]
    assert "no registered media type" in operation["description"]
    properties = spec["components"]["schemas"]["ProvDocument"]["properties"]
    assert {"prefix", "entity", "activity", "agent", "wasDerivedFrom", "wasAttributedTo"} <= set(
        properties
    )
    described = spec["paths"]["/v1/claims/{claim_id}/provenance"]["get"]["description"]
    assert "provenance.prov.json" in described
