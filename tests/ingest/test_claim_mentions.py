"""Outlets that state a claim in their own words, found at ingestion (narration mentions).

On the seeds, the United States leading ceasefire monitoring is attributed in 000 (the
draft, Macron, the Moscow Times), 001 (the draft, per AFP) and 004 (the coalition
leaders' statement), and stated as the outlet's own narration in 002 (Clash Report:
"The United States would lead a ceasefire monitoring mechanism ...") and 003 ("... a
US-led ceasefire monitoring mechanism ...").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport
from api.storage.models import (
    ArticleRow,
    ClaimMentionRow,
    ClaimRow,
    ClaimStatementRow,
    NarrationSentenceRow,
    StatementRow,
)
from tests.ingest.conftest import in_three_orders
from tests.ingest.test_seed_claims import claim_of

pytestmark = pytest.mark.nlp

CLASH_NARRATION = (
    "The United States would lead a ceasefire monitoring mechanism with European "
    "participation once fighting stops."
)
THIRD_NARRATION = "The coalition also agreed on legally and politically binding guarantees"
HEADLINE = "US Signals Readiness to Back European-Led Security Force in Ukraine After Ceasefire"


def mentions(session: Session) -> set[tuple[str, int, int, str, frozenset[tuple[str, int]]]]:
    """Each mention: its article (by file), offsets, words, and the statements of its
    claim (by file and offset), so that ids play no part."""
    rows = session.execute(
        select(
            ArticleRow.origin,
            NarrationSentenceRow.start_offset,
            NarrationSentenceRow.end_offset,
            NarrationSentenceRow.text,
            ClaimStatementRow.claim_id,
        )
        .join(NarrationSentenceRow, NarrationSentenceRow.article_id == ArticleRow.id)
        .join(ClaimMentionRow, ClaimMentionRow.sentence_id == NarrationSentenceRow.id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == ClaimMentionRow.statement_id)
    ).all()
    members: dict[int, frozenset[tuple[str, int]]] = {}
    for claim_id in {row[4] for row in rows}:
        members[claim_id] = frozenset(
            (Path(origin).name, start)
            for origin, start in session.execute(
                select(ArticleRow.origin, StatementRow.content_start)
                .join(StatementRow, StatementRow.article_id == ArticleRow.id)
                .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
                .where(ClaimStatementRow.claim_id == claim_id)
            )
        )
    return {
        (Path(origin).name, start, end, words, members[claim_id])
        for origin, start, end, words, claim_id in rows
    }


def test_us_monitoring_is_carried_by_five_articles_two_as_narration(
    ingested: RunReport, db_session: Session
) -> None:
    monitoring = claim_of(db_session, "000_16943aabc2b94002.txt", "the United States would lead")
    found = {
        (origin, start, end, words)
        for origin, start, end, words, claim in mentions(db_session)
        if ("000_16943aabc2b94002.txt", 392) in claim
    }
    assert {origin for origin, *_ in found} == {
        "002_6abd8a862fe6f02b.txt",
        "003_fb0bc581b9d15f48.txt",
    }
    for origin, start, end, words in found:
        text = db_session.scalars(
            select(ArticleRow.text).where(ArticleRow.origin.endswith(origin))
        ).one()
        assert text[start:end] == words  # the offsets point at the exact characters
    clash = next(f for f in found if f[0].startswith("002"))
    assert clash[3] == CLASH_NARRATION
    third = next(f for f in found if f[0].startswith("003"))
    assert third[3].startswith(THIRD_NARRATION) and "US-led ceasefire monitoring" in third[3]
    assert db_session.get_one(ClaimRow, monitoring).text.startswith("the United States would")


def test_precision_a_headline_sharing_three_words_is_no_mention(
    ingested: RunReport, db_session: Session
) -> None:
    every = mentions(db_session)
    assert all(not words.startswith("US Signals Readiness") for *_, words, _ in every)
    # The headline is kept as narration all the same: a later claim may be its own.
    headline = db_session.scalars(
        select(NarrationSentenceRow).where(NarrationSentenceRow.text.startswith(HEADLINE))
    ).one()
    article = db_session.get_one(ArticleRow, headline.article_id)
    assert article.text[headline.start_offset : headline.end_offset] == HEADLINE
    # Sentences that are part of a statement are no narration.
    assert all(not words.startswith("Macron said") for *_, words, _ in every)
    # Two mentions of the US-led monitoring; two of guarantees that activate after a
    # truce, Washington's stance in 003 ("openly supporting security guarantees that
    # would activate after a truce") and Clash Report's own words in 002.
    monitoring = {found for found in every if ("000_16943aabc2b94002.txt", 392) in found[4]}
    guarantees = every - monitoring
    assert len(monitoring) == 2
    assert {origin for origin, *_ in guarantees} == {"002_6abd8a862fe6f02b.txt"}
    assert len(guarantees) == 2
    assert all("security guarantees" in words for *_, words, _ in guarantees)
    assert all(
        {origin for origin, _ in claim} == {"003_fb0bc581b9d15f48.txt"} for *_, claim in guarantees
    )


def test_mentions_do_not_depend_on_the_order_articles_arrive(db_session: Session) -> None:
    seen = in_three_orders(db_session, mentions)
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0]) == 4
