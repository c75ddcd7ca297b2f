"""The claims the five seed articles form: the quotes two outlets share, the claims
several outlets share, what must stay apart, and the gold clusters' scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.evaluation.claim_clusters import bcubed, default_gold_path, pairwise, read_gold
from api.evaluation.claim_runner import placed_statements, predicted_labels
from api.pipeline.claims import claim_keys
from api.pipeline.run import RunReport
from api.storage.models import (
    ArticleRow,
    ClaimKeyRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)
from tests.ingest.conftest import SEEDS

pytestmark = pytest.mark.nlp


def claim_of(session: Session, seed: str, opening: str) -> int:
    """The claim of the statement of seed file ``seed`` whose text starts with ``opening``."""
    claim_id = session.scalar(
        select(ClaimStatementRow.claim_id)
        .join(StatementRow, StatementRow.id == ClaimStatementRow.statement_id)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
        .where(ArticleRow.origin.endswith(seed), StatementRow.text.startswith(opening))
    )
    assert claim_id is not None, f"no statement of {seed} starts with {opening!r}"
    return claim_id


def test_the_several_thousand_quote_two_outlets_carry_is_one_claim(
    ingested: RunReport, db_session: Session
) -> None:
    clash = claim_of(db_session, "002_6abd8a862fe6f02b.txt", "France could contribute")
    assert claim_of(db_session, "003_fb0bc581b9d15f48.txt", "“several thousand”") == clash
    claim = db_session.get_one(ClaimRow, clash)
    assert claim.speaker is not None and claim.speaker.name == "Emmanuel Macron"
    assert "several thousand" in claim.text


def test_the_military_hubs_quote_is_one_claim_though_one_outlet_names_nobody(
    ingested: RunReport, db_session: Session
) -> None:
    starmer = claim_of(db_session, "002_6abd8a862fe6f02b.txt", "after a ceasefire, the UK")
    assert claim_of(db_session, "003_fb0bc581b9d15f48.txt", "plans to set up military hubs") == (
        starmer
    )
    # The quoted wording, with its speaker, is the canonical one.
    claim = db_session.get_one(ClaimRow, starmer)
    assert "“military hubs”" in claim.text
    assert claim.speaker is not None and claim.speaker.name == "Keir Starmer"


def test_us_led_ceasefire_monitoring_is_shared_across_outlets(
    ingested: RunReport, db_session: Session
) -> None:
    ground_news = claim_of(db_session, "000_16943aabc2b94002.txt", "the United States would lead")
    draft = claim_of(db_session, "001_b16eecb884c7e125.txt", "the United States would oversee")
    assert draft == ground_news
    moscow_times = claim_of(db_session, "000_16943aabc2b94002.txt", "Washington agrees to lead")
    charter97 = claim_of(db_session, "004_ebb0fcdf10aa2aac.txt", "the allies would participate")
    assert charter97 == moscow_times
    # Washington backing the European force if it is attacked: the draft, by two outlets.
    assert claim_of(db_session, "000_16943aabc2b94002.txt", "the United States would provide") == (
        claim_of(db_session, "001_b16eecb884c7e125.txt", "Washington would formally commit")
    )


def test_different_people_talking_of_progress_stay_apart(
    ingested: RunReport, db_session: Session
) -> None:
    witkoff = claim_of(db_session, "002_6abd8a862fe6f02b.txt", "“a lot of progress”")
    starmer = claim_of(db_session, "003_fb0bc581b9d15f48.txt", "the talks made")
    assert witkoff != starmer


def test_seed_gold_clusters_and_the_index(ingested: RunReport, db_session: Session) -> None:
    keys: dict[int, set[int]] = {}
    for key, statement_id in db_session.execute(select(ClaimKeyRow.key, ClaimKeyRow.statement_id)):
        keys.setdefault(statement_id, set()).add(key)
    statements = db_session.execute(select(StatementRow.id, StatementRow.text)).all()
    assert len(statements) > 50
    for statement_id, text in statements:
        assert keys.get(statement_id, set()) == claim_keys(text)
    gold = read_gold(default_gold_path())["seeds"]
    texts = {path.name: path.read_text(encoding="utf-8") for path in Path(SEEDS).glob("*.txt")}
    predicted = predicted_labels(gold, placed_statements(db_session, texts))
    truth = gold.labels()
    assert sum(not isinstance(label, tuple) for label in predicted.values()) == len(truth)
    scores = bcubed(truth, predicted)
    assert scores.precision == 1.0
    # 0.81 with the first matcher, 0.86 before synonyms and merging bridged claims.
    assert scores.recall > 0.92
    assert pairwise(truth, predicted).recall >= 13 / 17
