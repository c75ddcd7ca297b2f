"""A claim's lineage as a W3C PROV-JSON document (https://www.w3.org/submissions/prov-json/).

The mapping onto PROV-DM:

- **agents**: outlets and credited agencies (``source:N``, ``prov:Organization``) and
  speakers (``actor:N``: ``prov:Person`` for people, ``prov:Organization`` for the
  other kinds, documents typed ``stmt:Document`` as well);
- **entities**: the claim (``claim:N``: what the speaker said, attributed to them), each
  statement that carries it (``statement:N``: its exact words and offsets in its
  article), each article (``article:N``) with its copies and earlier versions, and each
  credited agency's report of the claim (``stmt:report-C-S``, attributed to the agency);
- **activities**: each article's publication (``stmt:publication-N``), associated with
  its outlet, generating the article and the statements it prints;
- **derivations**: PROV-JSON writes the PROV-N subtypes as ``wasDerivedFrom`` records
  typed ``prov:PrimarySource``, ``prov:Quotation`` or ``prov:Revision``: every
  statement ``hadPrimarySource`` the claim; a statement that quotes words
  (``direct``/``partial``) ``wasQuotedFrom`` the claim, or from the credited report it
  relays (a paraphrase is a plain derivation from the report); a report
  ``hadPrimarySource`` the claim; a copy ``wasQuotedFrom`` the article it copies; a
  new version ``wasRevisionOf`` the version it revises;
- **attributions** (``wasAttributedTo``): articles to their outlets, the claim to its
  speaker, reports to their agencies;
- the relations to other claims as ``wasInfluencedBy`` records typed ``stmt:Dropped``,
  ``stmt:Softened`` or ``stmt:Contradicted``, from the earlier statement to the later
  statement (or to the later article when it has none).

Qualified-name values are typed ``xsd:QName`` (PROV-JSON section 3.1.2); the ``prov``
and ``xsd`` prefixes are predefined and not declared. Relation records get ``_:`` blank
identifiers. PROV-JSON has no registered media type: it is served as application/json.
"""

from __future__ import annotations

from typing import Any

import schemas
from api.services.provenance import Carrier, Trace, carriers
from api.storage.models import ActorRow, ArticleRow, SourceRow, StatementRow

STMT_NAMESPACE = "https://statements.dev/ns#"
QUOTING_KINDS = frozenset({"direct", "partial"})
RELATION_TYPES = {"dropped": "Dropped", "softened": "Softened", "contradicted": "Contradicted"}


def qname(value: str) -> dict[str, str]:
    return {"$": value, "type": "xsd:QName"}


def typed(value: str, datatype: str) -> dict[str, str]:
    return {"$": value, "type": datatype}


class _Document:
    """The PROV-JSON containers, filled record by record."""

    def __init__(self, base_url: str) -> None:
        self.prefix = {
            "stmt": STMT_NAMESPACE,
            **{kind: f"{base_url}{kind}s/" for kind in ("claim", "statement", "article")},
            "actor": f"{base_url}actors/",
            "source": f"{base_url}sources/",
        }
        self.records: dict[str, dict[str, dict[str, Any]]] = {
            key: {}
            for key in (
                "entity",
                "activity",
                "agent",
                "wasGeneratedBy",
                "wasAssociatedWith",
                "wasAttributedTo",
                "wasDerivedFrom",
                "wasInfluencedBy",
            )
        }

    def relation(self, kind: str, record: dict[str, Any]) -> None:
        records = self.records[kind]
        records[f"_:{kind}{len(records) + 1}"] = record

    def source(self, row: SourceRow) -> str:
        key = f"source:{row.id}"
        self.records["agent"].setdefault(
            key,
            {
                "prov:type": qname("prov:Organization"),
                "prov:label": row.name,
                "stmt:sourceKind": row.kind,
            },
        )
        return key

    def actor(self, row: ActorRow) -> str:
        key = f"actor:{row.id}"
        types = [qname("prov:Person" if row.kind == "person" else "prov:Organization")]
        if row.kind == "document":
            types.append(qname("stmt:Document"))
        self.records["agent"].setdefault(
            key,
            {
                "prov:type": types if len(types) > 1 else types[0],
                "prov:label": row.name,
                "stmt:actorKind": row.kind,
            },
        )
        return key

    def article(self, row: ArticleRow) -> str:
        key = f"article:{row.id}"
        if key in self.records["entity"]:
            return key
        entity: dict[str, Any] = {"prov:type": qname("stmt:Article"), "stmt:version": row.version}
        if row.title:
            entity["prov:label"] = row.title
        if row.url:
            entity["stmt:url"] = typed(row.url, "xsd:anyURI")
        if row.published_date:
            entity["stmt:publishedDate"] = typed(row.published_date.isoformat(), "xsd:date")
        self.records["entity"][key] = entity
        publication = f"stmt:publication-{row.id}"
        activity: dict[str, Any] = {"prov:type": qname("stmt:Publication")}
        if row.published_at is not None:
            activity["prov:startTime"] = row.published_at.isoformat()
        self.records["activity"][publication] = activity
        self.relation("wasGeneratedBy", {"prov:entity": key, "prov:activity": publication})
        if row.source is not None:
            outlet = self.source(row.source)
            self.relation("wasAssociatedWith", {"prov:activity": publication, "prov:agent": outlet})
            self.relation("wasAttributedTo", {"prov:entity": key, "prov:agent": outlet})
        return key

    def statement(self, row: StatementRow, claim_id: int | None) -> str:
        key = f"statement:{row.id}"
        if key in self.records["entity"]:
            return key
        article = self.article(row.article)
        entity: dict[str, Any] = {
            "prov:type": qname("stmt:Statement"),
            "prov:value": row.text,
            "stmt:kind": row.kind,
            "stmt:article": qname(article),
            "stmt:start": row.content_start,
            "stmt:end": row.content_end,
        }
        if claim_id is not None:
            entity["stmt:claim"] = qname(f"claim:{claim_id}")
        if row.speaker is not None:
            entity["stmt:speaker"] = qname(self.actor(row.speaker))
        self.records["entity"][key] = entity
        self.relation(
            "wasGeneratedBy",
            {"prov:entity": key, "prov:activity": f"stmt:publication-{row.article_id}"},
        )
        return key

    def derivation(self, kind: str | None, generated: str, used: str, **extra: Any) -> None:
        record: dict[str, Any] = {"prov:generatedEntity": generated, "prov:usedEntity": used}
        if kind is not None:
            record["prov:type"] = qname(f"prov:{kind}")
        self.relation("wasDerivedFrom", {**record, **extra})

    def result(self) -> schemas.ProvDocument:
        r = self.records
        return schemas.ProvDocument(
            prefix=self.prefix,
            entity=r["entity"],
            activity=r["activity"],
            agent=r["agent"],
            was_generated_by=r["wasGeneratedBy"],
            was_associated_with=r["wasAssociatedWith"],
            was_attributed_to=r["wasAttributedTo"],
            was_derived_from=r["wasDerivedFrom"],
            was_influenced_by=r["wasInfluencedBy"],
        )


def document(trace: Trace, base_url: str) -> schemas.ProvDocument:
    """The claim's lineage as PROV-JSON; identifiers resolve under ``base_url``."""
    doc = _Document(base_url)
    claim = f"claim:{trace.claim.id}"
    doc.records["entity"][claim] = {
        "prov:type": qname("stmt:Claim"),
        "prov:label": trace.claim.text,
    }
    if trace.claim.speaker is not None:
        doc.relation(
            "wasAttributedTo", {"prov:entity": claim, "prov:agent": doc.actor(trace.claim.speaker)}
        )
    carried = carriers(trace)
    for carrier in carried:
        if carrier.via:
            _copy(doc, carrier)
        else:
            _original(doc, claim, trace.claim.id, carrier.statement)
    # Every version of the articles that carried the claim, and what each one revises.
    articles = {**trace.versions, **{c.article.id: c.article for c in carried}}
    for row in articles.values():
        previous = articles.get(row.previous_version_id or 0)
        if previous is not None:
            doc.derivation("Revision", doc.article(row), doc.article(previous))
        else:
            doc.article(row)
    _relations(doc, trace)
    return doc.result()


def _original(doc: _Document, claim: str, claim_id: int, row: StatementRow) -> None:
    statement = doc.statement(row, claim_id)
    doc.derivation("PrimarySource", statement, claim)
    quoting = "Quotation" if row.kind in QUOTING_KINDS else None
    credits = sorted(row.credits, key=lambda c: (c.source.name, c.source.id))
    if not credits and quoting:
        doc.derivation(quoting, statement, claim)
    for credit in credits:
        report = f"stmt:report-{claim_id}-{credit.source_id}"
        if report not in doc.records["entity"]:
            doc.records["entity"][report] = {
                "prov:type": qname("stmt:Report"),
                "prov:label": f"{credit.source.name}'s report of the claim",
            }
            doc.relation(
                "wasAttributedTo", {"prov:entity": report, "prov:agent": doc.source(credit.source)}
            )
            doc.derivation("PrimarySource", report, claim)
        doc.derivation(quoting, statement, report)


def _copy(doc: _Document, carrier: Carrier) -> None:
    copied = carrier.via[-1]
    extra: dict[str, Any] = {}
    if carrier.article.duplicate_similarity is not None:
        extra["stmt:similarity"] = carrier.article.duplicate_similarity
    doc.derivation("Quotation", doc.article(carrier.article), doc.article(copied), **extra)


def _relations(doc: _Document, trace: Trace) -> None:
    for rel in trace.relations:
        row = rel.row
        if rel.earlier is None:
            continue
        earlier = doc.statement(rel.earlier, trace.statement_claims.get(rel.earlier.id))
        if rel.later is not None:
            later = doc.statement(rel.later, trace.statement_claims.get(rel.later.id))
        elif rel.later_article is not None:
            later = doc.article(rel.later_article)
        else:
            continue
        record: dict[str, Any] = {
            "prov:influencee": later,
            "prov:influencer": earlier,
            "prov:type": qname(f"stmt:{RELATION_TYPES[row.kind]}"),
            "stmt:confidence": row.confidence,
        }
        if row.detail:
            record["stmt:detail"] = row.detail
        doc.relation("wasInfluencedBy", record)
