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

WITKOFF_APPEARANCE: dict[str, Any] = {
    "statement_id": 27,
    "article": CLASH_ARTICLE,
    "outlet": CLASH_REPORT,
    "published_date": SUMMIT_DATE,
    "text": CARNAGE,
    "content": CARNAGE_SPAN,
    "speaker": WITKOFF,
    "credited": [],
    "diff": [{"op": "equal", "text": CARNAGE}],
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
