"""The claim several outlets share, claims merged by a later statement, and grouping that
does not depend on the order the seed articles arrive in.

From the articles themselves:
- Ground News: a draft "said the United States would lead ceasefire monitoring if a peace
  deal is agreed"; Macron: "The supervision of a ceasefire in Ukraine will be done under
  U.S. leadership"; "According to the Moscow Times, Washington agrees to lead the
  international ceasefire verification mechanism ...".
- The text of 6 January, as reported by AFP: "the United States would oversee the
  ceasefire monitoring and verification mechanism, working alongside European partners".
- Charter 97, after Reuters: the coalition leaders' statement "said the allies would
  participate in a proposed U.S.-led cease-fire verification mechanism".
Clash Report and the Paris summit report say it too, but as their own narration, which
carries no statement.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport
from api.services.provenance import Trace, appearance, carriers
from api.storage.models import (
    ArticleRow,
    ClaimMergeRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)
from schemas import DiffOp
from tests.ingest.conftest import in_three_orders
from tests.ingest.test_seed_claims import claim_of

pytestmark = pytest.mark.nlp

GROUND, SIX_JAN, CHARTER = (
    "000_16943aabc2b94002.txt",
    "001_b16eecb884c7e125.txt",
    "004_ebb0fcdf10aa2aac.txt",
)
MONITORING = [
    (GROUND, "the United States would lead ceasefire monitoring"),
    (GROUND, "The supervision of a ceasefire"),
    (GROUND, "Washington agrees to lead"),
    (SIX_JAN, "the United States would oversee"),
    (CHARTER, "the allies would participate"),
]


def claim_statements(session: Session, claim_id: int) -> list[StatementRow]:
    return list(
        session.scalars(
            select(StatementRow)
            .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
            .where(ClaimStatementRow.claim_id == claim_id)
        )
    )


def test_us_led_monitoring_is_one_claim_across_three_outlets(
    ingested: RunReport, db_session: Session
) -> None:
    claims = {claim_of(db_session, seed, opening) for seed, opening in MONITORING}
    assert len(claims) == 1
    (claim_id,) = claims
    statements = claim_statements(db_session, claim_id)
    assert len(statements) == len(MONITORING)
    assert len({s.article_id for s in statements}) == 3
    # The most multi-outlet claim of the seeds.
    widest = max(
        len({s.article_id for s in claim_statements(db_session, c)})
        for c in db_session.scalars(select(ClaimRow.id))
    )
    assert widest == 3


def test_statements_that_bridge_claims_merged_them_and_the_merge_is_recorded(
    ingested: RunReport, db_session: Session
) -> None:
    claim_id = claim_of(db_session, GROUND, "the United States would lead ceasefire")
    merges = db_session.scalars(select(ClaimMergeRow)).all()
    # Ground News's three statements are never compared with one another (one article):
    # each started a claim, and Charter 97's and the 6 January text's bridged them.
    assert {m.into_id for m in merges} == {claim_id}
    assert len(merges) == 2
    for merge in merges:
        assert db_session.get(ClaimRow, merge.claim_id) is None


def test_the_provenance_lists_every_appearance_in_time_order(
    ingested: RunReport, db_session: Session
) -> None:
    claim = db_session.get_one(ClaimRow, claim_of(db_session, SIX_JAN, "the United States"))
    statements = claim_statements(db_session, claim.id)
    trace = Trace(claim=claim, statements=statements, copies={}, relations=[], statement_claims={})
    found = carriers(trace)
    assert [c.article.origin.rsplit("/", 1)[-1] for c in found] == [
        SIX_JAN,  # 6 January
        GROUND,  # 7 January, three statements
        GROUND,
        GROUND,
        CHARTER,  # 8 January
    ]
    items = [appearance(trace, carrier) for carrier in found]
    dates = [item.published_date for item in items]
    assert dates == sorted(dates) and None not in dates
    for item, carrier in zip(items, found, strict=True):
        # The exact wording at its offsets, and a diff that rebuilds it from the canonical.
        assert carrier.article.text[item.content.start : item.content.end] == item.text
        kept = [op.text for op in item.diff if op.op is not DiffOp.DELETE]
        assert " ".join(kept).split() == item.text.split()
    assert [item.outlet.name for item in items if item.outlet] == [
        "Ground News",
        "Ground News",
        "Ground News",
        "Charter 97",
    ]


def partition(session: Session) -> set[frozenset[tuple[str, int]]]:
    """The claims as sets of statements named by article text and offset, not by id."""
    rows = session.execute(
        select(ClaimStatementRow.claim_id, ArticleRow.content_hash, StatementRow.content_start)
        .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
    ).all()
    claims: dict[int, set[tuple[str, int]]] = {}
    for claim_id, content_hash, start in rows:
        claims.setdefault(claim_id, set()).add((content_hash, start))
    return {frozenset(members) for members in claims.values()}


def test_the_claims_do_not_depend_on_the_order_articles_arrive(db_session: Session) -> None:
    seen = in_three_orders(db_session, partition)
    assert seen[0] == seen[1] == seen[2]
    assert max(len(claim) for claim in seen[0]) == len(MONITORING)
