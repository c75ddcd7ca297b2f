"""Example values for the OpenAPI spec, taken from the seed corpus (``seeds/``).

One small, consistent world: the Paris summit of 6-7 January 2026 as Clash Report,
Ground News and Charter 97 carried it, with Steve Witkoff's "This carnage has to stop"
and Emmanuel Macron's "several thousand" troops. Ids, offsets and counts are what
``statements ingest seeds/`` stores in a fresh database.

Litestar renders ``msgspec.Meta(examples=...)`` on a Struct field as that property's
``examples`` in ``components/schemas`` (it has no Struct-level examples); on a field
whose type is an enum or a Struct it also gives that type's component the same
``examples``. Values are written in their wire form (dates as ISO strings).

Litestar drops ``None`` members from objects when it writes the document, so an object
nested in an example must have no null member: a null would vanish and leave the example
invalid. ``null`` itself is fine as one of a property's examples. ``tests/docs`` decodes
every example with its field's type and validates it against the generated spec.
"""

from __future__ import annotations

from typing import Any

import msgspec


def ex(*values: Any) -> msgspec.Meta:
    """``Annotated[T, ex(a, b)]``: documents example values ``a`` and ``b`` for a field."""
    return msgspec.Meta(examples=list(values))


# Outlets and credited agencies (SourceRef)
CLASH_REPORT: dict[str, Any] = {"id": 5, "name": "Clash Report", "kind": "outlet"}
CHARTER_97: dict[str, Any] = {"id": 6, "name": "Charter 97", "kind": "outlet"}
REUTERS: dict[str, Any] = {"id": 7, "name": "Reuters", "kind": "agency"}
AFP: dict[str, Any] = {"id": 4, "name": "AFP", "kind": "agency"}

# Speakers (ActorRef)
WITKOFF: dict[str, Any] = {"id": 11, "name": "Steve Witkoff", "kind": "person"}
MACRON: dict[str, Any] = {"id": 5, "name": "Emmanuel Macron", "kind": "person"}

CLASH_TITLE = "European Allies Set Post-Ceasefire Force for Ukraine"
CLASH_URL = "https://news.example/clash-report/european-allies-set-post-ceasefire-force"
SUMMIT_DATE = "2026-01-07"
INGESTED_AT = "2026-01-10T12:00:00Z"

# The article a statement was found in (ArticleRef)
CLASH_ARTICLE: dict[str, Any] = {
    "id": 3,
    "title": CLASH_TITLE,
    "url": CLASH_URL,
    "published_date": SUMMIT_DATE,
    "source": CLASH_REPORT,
}
INFERRED: dict[str, Any] = {"title": True, "outlet": True, "published": True}

# "This carnage has to stop," Witkoff said. (Clash Report, 7 January 2026)
CARNAGE = "This carnage has to stop"
CARNAGE_SPAN: dict[str, Any] = {"start": 2699, "end": 2723, "text": CARNAGE}
CARNAGE_CUE: dict[str, Any] = {"start": 2734, "end": 2738, "text": "said"}
CARNAGE_MENTION: dict[str, Any] = {"start": 2726, "end": 2733, "text": "Witkoff"}
CARNAGE_STATEMENT: dict[str, Any] = {
    "id": 27,
    "kind": "direct",
    "text": CARNAGE,
    "content": CARNAGE_SPAN,
    "quotes": [CARNAGE_SPAN],
    "cue": CARNAGE_CUE,
    "speaker": WITKOFF,
    "speaker_mention": CARNAGE_MENTION,
    "speaker_role": "U.S. envoy",
    "confidence": 0.855,
    "article": CLASH_ARTICLE,
    "source": CLASH_REPORT,
    "via": [],
    "date": SUMMIT_DATE,
    "date_inferred": True,
    "claim_id": 27,
}
CARNAGE_CLAIM: dict[str, Any] = {
    "id": 27,
    "text": CARNAGE,
    "speaker": WITKOFF,
    "statement_count": 1,
    "outlets": [CLASH_REPORT],
    "first_published_date": SUMMIT_DATE,
}

MACRON_ALIASES = [
    "Emmanuel Macron",
    "French President Emmanuel Macron",
    "President Emmanuel Macron",
]
MACRON_ACTOR: dict[str, Any] = {
    "id": 5,
    "name": "Emmanuel Macron",
    "kind": "person",
    "aliases": MACRON_ALIASES,
    "roles": ["French President", "President"],
    "wikidata_id": "Q3052772",
    "statement_count": 8,
}
CLASH_SOURCE: dict[str, Any] = {
    "id": 5,
    "name": "Clash Report",
    "kind": "outlet",
    "article_count": 1,
    "statement_count": 21,
}
# Charter 97's report of 8 January 2026, whose page prints the time it was published.
CHARTER_TITLE = "Reuters: US Backs Security Guarantees For Ukraine For The First Time"
CHARTER_URL = "https://news.example/charter97/us-backs-security-guarantees-for-ukraine"
CHARTER_HASH = "9e194c04d9f7ceb6e66dcc98d9edc8dc182dfe6301e9c54951f873bed1323278"
CHARTER_DATE = "2026-01-08"
CHARTER_PUBLISHED_AT = "2026-01-08T14:52:00"
CHARTER_TEXT = (
    "Reuters: US Backs Security Guarantees For Ukraine For The First Time\n\n"
    "The focus has shifted.\n\n"
    "The United States for the first time backed a broad coalition of Ukraine's allies, "
    "pledging to provide security guarantees that would include commitments to support "
    "the country in the event of another Russian attack."
)
CHARTER_HTML = (
    "<html><head><title>Reuters: US Backs Security Guarantees For Ukraine For The First "
    "Time</title></head><body><article><h1>Reuters: US Backs Security Guarantees For Ukraine "
    "For The First Time</h1><p>The focus has shifted.</p></article></body></html>"
)
# The versions at Charter 97's URL (ArticleVersion): here only the first.
CHARTER_VERSIONS: list[dict[str, Any]] = [
    {
        "id": 5,
        "version": 1,
        "content_hash": CHARTER_HASH,
        "ingested_at": INGESTED_AT,
        "statement_count": 11,
    }
]
# Another outlet running the same story: a near-duplicate copy of Charter 97's report
# (ArticleDuplicate, ArticleSummary). Not in the seeds: they hold no copies.
KYIV_WIRE: dict[str, Any] = {"id": 8, "name": "Kyiv Wire", "kind": "outlet"}
COPY_URL = "https://news.example/kyiv-wire/us-backs-security-guarantees"
COPY_HASH = "2ac7a181e128f312f62a1d91a85ae4b9c5467ee5fe5411297ff3e26141fb1d45"
CHARTER_COPY: dict[str, Any] = {"id": 8, "url": COPY_URL, "source": KYIV_WIRE, "similarity": 0.94}
COPY_SUMMARY: dict[str, Any] = {
    "id": 8,
    "title": CHARTER_TITLE,
    "url": COPY_URL,
    "source": KYIV_WIRE,
    "published_date": CHARTER_DATE,
    "published_at": CHARTER_PUBLISHED_AT,
    "inferred": INFERRED,
    "content_hash": COPY_HASH,
    "statement_count": 0,
    "ingested_at": INGESTED_AT,
    "version": 1,
    "duplicate_of": 5,
    "duplicate_similarity": 0.94,
}

# An ingest job (IngestJob)
JOB_CREATED_AT = "2026-01-10T11:59:58Z"
JOB_STARTED_AT = "2026-01-10T11:59:59Z"
JOB_ERROR = "record has no text (needs a non-empty text or html)"

# Macron's "several thousand" troops (Clash Report), and how another outlet's wording of it
# differs word by word.
TROOPS = "France could contribute “several thousand” troops in a postwar setting"
TROOPS_DIFF: list[dict[str, Any]] = [
    {"op": "delete", "text": "France could contribute"},
    {"op": "equal", "text": "“several thousand”"},
    {"op": "insert", "text": "French"},
    {"op": "equal", "text": "troops"},
    {"op": "insert", "text": "could be deployed"},
    {"op": "equal", "text": "in a"},
    {"op": "delete", "text": "postwar setting"},
    {"op": "insert", "text": "non-combat, reassurance role"},
]
TROOPS_CLAIM: dict[str, Any] = {
    "id": 21,
    "text": TROOPS,
    "speaker": MACRON,
    "statement_count": 2,
    "outlets": [CLASH_REPORT],
    "first_published_date": SUMMIT_DATE,
}

# The offending parameter of a 400 problem
LIMIT_ERROR: dict[str, Any] = {"field": "limit", "message": "Expected `int` >= 1"}

# Cursors as the API issues them (see api/http/pagination.py), each for the page after the
# example item of its list: statement 27, actor 5, article 8, source 5, claim 21.
STATEMENT_CURSOR = "kgEb"
ACTOR_CURSOR = "kgEF"
ARTICLE_CURSOR = "kgEI"
SOURCE_CURSOR = "kgEF"
CLAIM_CURSOR = "kgEV"

# Provenance of the draft security guarantees (Ground News, 7 January 2026): the draft
# published by Suspilne, and the draft commitment that Charter 97 (after Reuters) reports
# removed from the final text.
GROUND_NEWS: dict[str, Any] = {"id": 1, "name": "Ground News", "kind": "outlet"}
SUSPILNE: dict[str, Any] = {"id": 2, "name": "Suspilne", "kind": "agency"}
DRAFT: dict[str, Any] = {"id": 1, "name": "draft", "kind": "document"}
DRAFT_DOCUMENT: dict[str, Any] = {"id": 4, "name": "draft document", "kind": "document"}
REUTERS_ACTOR: dict[str, Any] = {"id": 16, "name": "Reuters", "kind": "media"}
GROUND_TITLE = "U.S. to Promise Ukraine Support to Counter New Russian Attacks"
GROUND_URL = "https://news.example/ground-news/us-to-promise-ukraine-support"
GROUND_ARTICLE: dict[str, Any] = {
    "id": 1,
    "title": GROUND_TITLE,
    "url": GROUND_URL,
    "published_date": SUMMIT_DATE,
    "source": GROUND_NEWS,
}
CHARTER_ARTICLE: dict[str, Any] = {
    "id": 5,
    "title": CHARTER_TITLE,
    "url": CHARTER_URL,
    "published_date": CHARTER_DATE,
    "source": CHARTER_97,
}
CHARTER_COPIED_FROM: dict[str, Any] = {"article": CHARTER_ARTICLE, "similarity": 0.94}
SUSPILNE_TEXT = (
    "The United States is prepared to play a key role in a security guarantees framework "
    "for Ukraine once the active phase of the war ends"
)
SUSPILNE_CHAIN: list[dict[str, Any]] = [
    {"hop": 0, "role": "speaker", "name": "draft document", "actor": DRAFT_DOCUMENT},
    {"hop": 1, "role": "credited", "name": "Suspilne", "source": SUSPILNE},
    {"hop": 2, "role": "outlet", "name": "Ground News", "source": GROUND_NEWS},
]
SUSPILNE_APPEARANCE: dict[str, Any] = {
    "statement_id": 6,
    "article": GROUND_ARTICLE,
    "outlet": GROUND_NEWS,
    "published_date": SUMMIT_DATE,
    "text": SUSPILNE_TEXT,
    "content": {"start": 1390, "end": 1523, "text": SUSPILNE_TEXT},
    "speaker": DRAFT_DOCUMENT,
    "credited": [SUSPILNE],
    "diff": [{"op": "equal", "text": SUSPILNE_TEXT}],
    "chain": SUSPILNE_CHAIN,
}
SUSPILNE_CLAIM: dict[str, Any] = {
    "id": 6,
    "text": SUSPILNE_TEXT,
    "speaker": DRAFT_DOCUMENT,
    "statement_count": 1,
    "outlets": [GROUND_NEWS],
    "first_published_date": SUMMIT_DATE,
}
SUSPILNE_LINEAGE: dict[str, Any] = {
    "origins": ["actor:4"],
    "nodes": [
        {"key": "actor:4", "name": "draft document", "roles": ["speaker"], "actor": DRAFT_DOCUMENT},
        {"key": "source:2", "name": "Suspilne", "roles": ["credited"], "source": SUSPILNE},
        {"key": "source:1", "name": "Ground News", "roles": ["outlet"], "source": GROUND_NEWS},
    ],
    "edges": [
        {
            "upstream": "actor:4",
            "downstream": "source:2",
            "article_ids": [1],
            "first_published_date": SUMMIT_DATE,
        },
        {
            "upstream": "source:2",
            "downstream": "source:1",
            "article_ids": [1],
            "first_published_date": SUMMIT_DATE,
        },
    ],
}
DRAFT_COMMITMENT = (
    "the United States would provide intelligence, logistics, and commit to support the "
    "multinational force if attacked, while European partners lead reassurance measures for "
    "Ukraine's armed forces"
)
DRAFT_COMMITMENT_SPAN: dict[str, Any] = {"start": 649, "end": 841, "text": DRAFT_COMMITMENT}
DRAFT_COMMITMENT_STATEMENT: dict[str, Any] = {
    "id": 3,
    "claim_id": 3,
    "text": DRAFT_COMMITMENT,
    "content": DRAFT_COMMITMENT_SPAN,
    "speaker": DRAFT,
    "article": GROUND_ARTICLE,
}
REMOVED_LANGUAGE = (
    "the statement has not yet been formally endorsed explicitly by the U.S., and details of "
    "that country's role have been softened from an earlier draft, notably removing language "
    "describing the use of U.S. capabilities to support multinational forces in Ukraine"
)
REMOVED_LANGUAGE_STATEMENT: dict[str, Any] = {
    "id": 55,
    "claim_id": 54,
    "text": REMOVED_LANGUAGE,
    "content": {"start": 1805, "end": 2063, "text": REMOVED_LANGUAGE},
    "speaker": REUTERS_ACTOR,
    "article": CHARTER_ARTICLE,
}
REMOVED_LANGUAGE_EVIDENCE: dict[str, Any] = {
    "start": 1778,
    "end": 2064,
    "text": f"The publication noted that {REMOVED_LANGUAGE}.",
}
REMOVED_LANGUAGE_DETAIL = 'the later article reports it dropped from an earlier draft: "removing"'
REMOVED_LANGUAGE_RELATION: dict[str, Any] = {
    "id": 3,
    "kind": "dropped",
    "role": "earlier",
    "other_claim_id": 54,
    "earlier": DRAFT_COMMITMENT_STATEMENT,
    "later_article": CHARTER_ARTICLE,
    "later": REMOVED_LANGUAGE_STATEMENT,
    "evidence": REMOVED_LANGUAGE_EVIDENCE,
    "confidence": 0.75,
    "detail": REMOVED_LANGUAGE_DETAIL,
}

# Editors' corrections (ActorMerge, AliasSplit, SpeakerReassignment)
MERGE_NOTE = "Same person: Charter 97 spells the surname Whitkoff."

# The Suspilne claim as W3C PROV-JSON (ProvDocument), served at localhost:8000.
PROV_ROOT = "http://127.0.0.1:8000/v1/"
PROV_PREFIX: dict[str, Any] = {
    "stmt": "https://statements.dev/ns#",
    "claim": f"{PROV_ROOT}claims/",
    "statement": f"{PROV_ROOT}statements/",
    "article": f"{PROV_ROOT}articles/",
    "actor": f"{PROV_ROOT}actors/",
    "source": f"{PROV_ROOT}sources/",
}


def _qname(value: str) -> dict[str, str]:
    return {"$": value, "type": "xsd:QName"}


PROV_ENTITIES: dict[str, Any] = {
    "claim:6": {"prov:type": _qname("stmt:Claim"), "prov:label": SUSPILNE_TEXT},
    "article:1": {
        "prov:type": _qname("stmt:Article"),
        "stmt:version": 1,
        "prov:label": GROUND_TITLE,
        "stmt:url": {"$": GROUND_URL, "type": "xsd:anyURI"},
        "stmt:publishedDate": {"$": SUMMIT_DATE, "type": "xsd:date"},
    },
    "statement:6": {
        "prov:type": _qname("stmt:Statement"),
        "prov:value": SUSPILNE_TEXT,
        "stmt:kind": "according_to",
        "stmt:article": _qname("article:1"),
        "stmt:start": 1390,
        "stmt:end": 1523,
        "stmt:claim": _qname("claim:6"),
        "stmt:speaker": _qname("actor:4"),
    },
    "stmt:report-6-2": {
        "prov:type": _qname("stmt:Report"),
        "prov:label": "Suspilne's report of the claim",
    },
}
PROV_ACTIVITIES: dict[str, Any] = {
    "stmt:publication-1": {"prov:type": _qname("stmt:Publication")},
}
PROV_AGENTS: dict[str, Any] = {
    "actor:4": {
        "prov:type": [_qname("prov:Organization"), _qname("stmt:Document")],
        "prov:label": "draft document",
        "stmt:actorKind": "document",
    },
    "source:1": {
        "prov:type": _qname("prov:Organization"),
        "prov:label": "Ground News",
        "stmt:sourceKind": "outlet",
    },
    "source:2": {
        "prov:type": _qname("prov:Organization"),
        "prov:label": "Suspilne",
        "stmt:sourceKind": "agency",
    },
}
PROV_GENERATIONS: dict[str, Any] = {
    "_:wasGeneratedBy1": {"prov:entity": "article:1", "prov:activity": "stmt:publication-1"},
    "_:wasGeneratedBy2": {"prov:entity": "statement:6", "prov:activity": "stmt:publication-1"},
}
PROV_ASSOCIATIONS: dict[str, Any] = {
    "_:wasAssociatedWith1": {"prov:activity": "stmt:publication-1", "prov:agent": "source:1"},
}
PROV_ATTRIBUTIONS: dict[str, Any] = {
    "_:wasAttributedTo1": {"prov:entity": "claim:6", "prov:agent": "actor:4"},
    "_:wasAttributedTo2": {"prov:entity": "article:1", "prov:agent": "source:1"},
    "_:wasAttributedTo3": {"prov:entity": "stmt:report-6-2", "prov:agent": "source:2"},
}
PROV_DERIVATIONS: dict[str, Any] = {
    "_:wasDerivedFrom1": {
        "prov:generatedEntity": "statement:6",
        "prov:usedEntity": "claim:6",
        "prov:type": _qname("prov:PrimarySource"),
    },
    "_:wasDerivedFrom2": {
        "prov:generatedEntity": "stmt:report-6-2",
        "prov:usedEntity": "claim:6",
        "prov:type": _qname("prov:PrimarySource"),
    },
    # A paraphrase of the credited report: a plain derivation (quoted words would make it
    # a prov:Quotation).
    "_:wasDerivedFrom3": {
        "prov:generatedEntity": "statement:6",
        "prov:usedEntity": "stmt:report-6-2",
    },
}
# The draft commitment (statement 3) and Charter 97's report that it was removed.
PROV_INFLUENCES: dict[str, Any] = {
    "_:wasInfluencedBy1": {
        "prov:influencee": "statement:55",
        "prov:influencer": "statement:3",
        "prov:type": _qname("stmt:Dropped"),
        "stmt:confidence": 0.75,
        "stmt:detail": REMOVED_LANGUAGE_DETAIL,
    },
}
# "France and the UK announced plans to set up military hubs" (003): an editor gives the
# statement to France. Corrections as `statements corrections export` writes them.
HUBS_HASH = "6087a1ef2838685c574ec910070f8fde4219687dabbfb0a995051d7eb76105ac"
CORRECTED_AT = "2026-01-10T12:30:00"
SPLIT_RECORD: dict[str, Any] = {
    "kind": "split_alias",
    "actor_key": "document:draft",
    "alias_key": "draft document",
    "target_key": "document:suspilne draft",
    "target_name": "Suspilne draft",
    "alias": "draft document",
    "note": "The draft Suspilne published is not the one AFP reported.",
    "created_at": CORRECTED_AT,
}
REASSIGN_RECORD: dict[str, Any] = {
    "kind": "reassign_speaker",
    "target_key": "government:france",
    "target_name": "France",
    "article_hash": HUBS_HASH,
    "content_start": 974,
    "content_end": 1077,
    "created_at": CORRECTED_AT,
}
