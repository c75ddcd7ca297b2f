"""The seed corpus's provenance, written from the articles themselves.

- Ground News and a text published on 6 January report a draft of the Paris declaration:
  the United States would "commit to support the multinational force if attacked" (Ground
  News) and "Washington would formally commit to supporting this European-led force if
  it came under attack by Russia" (the text of 6 January).
- Clash Report: "language in an earlier draft committing Washington to “support” the
  European-led force “in case of a new attack” by Russia did not appear in the final
  communique released Tuesday evening".
- Charter 97, after Reuters: the US role was "softened from an earlier draft, notably
  removing language describing the use of U.S. capabilities to support multinational
  forces in Ukraine".
- What outlets credit: "according to a draft document ... published by Suspilne" and
  "According to the Moscow Times" (Ground News), "As reported by AFP" (6 January),
  "According to Reuters" (Charter 97).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport, ingest_paths
from api.services import prov
from api.services.converters import content_span
from api.services.provenance import Carrier, Trace, chain
from api.storage.models import (
    ArticleRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)
from tests.ingest.conftest import SEEDS

pytestmark = pytest.mark.nlp

COMMITMENT_6_JAN = "Washington would formally commit to supporting this European-led force"
COMMITMENT_GROUND = "commit to support the multinational force if attacked"
CLASH_EVIDENCE = "did not appear in the final communique"
CHARTER_EVIDENCE = "removing language describing the use of U.S. capabilities"


def statement(session: Session, contains: str) -> StatementRow:
    rows = session.scalars(select(StatementRow).where(StatementRow.text.contains(contains))).all()
    assert len(rows) == 1, f"{len(rows)} statements contain {contains!r}"
    return rows[0]


def outlet(article: ArticleRow | None) -> str | None:
    return article.source.name if article is not None and article.source else None


def evidence(session: Session, relation: ClaimRelationRow) -> str:
    article = session.get(ArticleRow, relation.later_article_id)
    assert article is not None and relation.evidence_start is not None
    return article.text[relation.evidence_start : relation.evidence_end]


def relations(session: Session) -> list[ClaimRelationRow]:
    return list(session.scalars(select(ClaimRelationRow).order_by(ClaimRelationRow.id)))


def test_the_draft_commitment_the_final_text_dropped(
    ingested: RunReport, db_session: Session
) -> None:
    draft = statement(db_session, COMMITMENT_6_JAN)
    assert draft.speaker is not None and draft.speaker.kind == "document"

    (dropped,) = [r for r in relations(db_session) if r.statement_id == draft.id]

    assert dropped.kind == "dropped"
    later = db_session.get(ArticleRow, dropped.later_article_id)
    assert outlet(later) == "Clash Report"
    words = evidence(db_session, dropped)
    assert words.startswith("However, language in an earlier draft committing Washington")
    assert CLASH_EVIDENCE in words
    claim_id = db_session.scalar(
        select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == draft.id)
    )
    assert dropped.claim_id == claim_id
    assert 0.5 < dropped.confidence <= 0.95


def test_the_same_commitment_in_ground_news_is_dropped_and_reported_removed(
    ingested: RunReport, db_session: Session
) -> None:
    draft = statement(db_session, COMMITMENT_GROUND)
    found = {
        outlet(db_session.get(ArticleRow, r.later_article_id)): r
        for r in relations(db_session)
        if r.statement_id == draft.id
    }

    assert set(found) == {"Clash Report", "Charter 97"}
    assert CLASH_EVIDENCE in evidence(db_session, found["Clash Report"])
    charter = found["Charter 97"]
    assert charter.kind == "dropped"
    assert CHARTER_EVIDENCE in evidence(db_session, charter)
    # Charter 97's sentence is itself a statement (Reuters, "the publication noted"): the
    # relation points at it, and so the claim it belongs to shows the relation too.
    reporting = db_session.get(StatementRow, charter.later_statement_id)
    assert reporting is not None and CHARTER_EVIDENCE in reporting.text
    assert reporting.speaker is not None and reporting.speaker.name == "Reuters"
    assert charter.later_claim_id is not None


def test_every_relation_in_the_seeds_is_about_the_dropped_commitment(
    ingested: RunReport, db_session: Session
) -> None:
    """Precision: nothing else in the five articles was dropped, softened or contradicted
    by a later text."""
    found = relations(db_session)
    assert found
    for relation in found:
        earlier = db_session.get(StatementRow, relation.statement_id)
        assert earlier is not None
        assert "commit to support" in earlier.text, earlier.text
        assert relation.kind == "dropped"


def test_relations_do_not_depend_on_the_order_articles_arrive(db_session: Session) -> None:
    for path in sorted(SEEDS.glob("*.txt"), reverse=True):
        ingest_paths(db_session, [Path(path)], progress=False)

    pairs = {
        (
            db_session.get(StatementRow, r.statement_id).text[:40],  # type: ignore[union-attr]
            outlet(db_session.get(ArticleRow, r.later_article_id)),
        )
        for r in relations(db_session)
    }
    assert pairs == {
        (COMMITMENT_6_JAN[:40], "Clash Report"),
        ("the United States would provide intellig", "Clash Report"),
        ("the United States would provide intellig", "Charter 97"),
    }


def chain_of(session: Session, contains: str) -> list[tuple[int, str, str]]:
    row = statement(session, contains)
    carrier = Carrier(row, row.article, [], content_span(row))
    return [(link.hop, link.role.value, link.name) for link in chain(carrier)]


@pytest.mark.parametrize(
    ("contains", "expected"),
    [
        # "According to the Moscow Times, Washington agrees to lead ..." (Ground News)
        ("Washington agrees to lead the international ceasefire",
         [(0, "credited", "The Moscow Times"), (1, "outlet", "Ground News")]),
        # "According to Reuters, the pledge came at a summit ..." (Charter 97)
        ("the pledge came at a summit",
         [(0, "credited", "Reuters"), (1, "outlet", "Charter 97")]),
    ],
)  # fmt: skip
def test_according_to_chains(
    ingested: RunReport, db_session: Session, contains: str, expected: list[tuple[int, str, str]]
) -> None:
    assert chain_of(db_session, contains) == expected


def test_a_draft_published_by_suspilne_relayed_by_ground_news(
    ingested: RunReport, db_session: Session
) -> None:
    links = chain_of(db_session, "is prepared to play a key role")

    assert [(hop, role) for hop, role, _ in links] == [
        (0, "speaker"),
        (1, "credited"),
        (2, "outlet"),
    ]
    assert "draft" in links[0][2]
    assert [name for _, _, name in links[1:]] == ["Suspilne", "Ground News"]


def test_as_reported_by_afp(ingested: RunReport, db_session: Session) -> None:
    # The text of 6 January names no outlet of its own: the chain ends with AFP.
    links = chain_of(db_session, "would oversee the ceasefire monitoring")
    assert [(hop, role) for hop, role, _ in links] == [(0, "speaker"), (1, "credited")]
    assert "draft" in links[0][2]
    assert links[1][2] == "AFP"


def test_the_moscow_times_claim_as_prov_json(ingested: RunReport, db_session: Session) -> None:
    row = statement(db_session, "Washington agrees to lead the international ceasefire")
    claim_id = db_session.scalar(
        select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == row.id)
    )
    claim = db_session.get(ClaimRow, claim_id)
    assert claim is not None
    trace = Trace(claim=claim, statements=[row], copies={}, relations=[], statement_claims={})

    doc = prov.document(trace, "https://api.example/v1/")

    sources = {a["prov:label"]: k for k, a in doc.agent.items() if k.startswith("source:")}
    moscow, ground = sources["The Moscow Times"], sources["Ground News"]
    report = f"stmt:report-{claim.id}-{moscow.removeprefix('source:')}"
    attributed = {(r["prov:entity"], r["prov:agent"]) for r in doc.was_attributed_to.values()}
    assert (report, moscow) in attributed
    assert (f"article:{row.article_id}", ground) in attributed
    derived = {
        (r["prov:generatedEntity"], r["prov:usedEntity"], r.get("prov:type", {}).get("$"))
        for r in doc.was_derived_from.values()
    }
    assert (f"statement:{row.id}", report, None) in derived  # a paraphrase of the report
    assert (report, f"claim:{claim.id}", "prov:PrimarySource") in derived
    assert doc.entity[f"statement:{row.id}"]["prov:value"] == row.text
