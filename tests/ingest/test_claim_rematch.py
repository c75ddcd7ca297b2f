"""Editors' speaker corrections regroup claims: at once when a claim would mix two
speakers, and through the matcher when the queue is drained (ingest, worker, command).

On the seeds: Macron's "several thousand" troops, carried by Clash Report (002, "France
could contribute ...") and by 003 ("... French troops could be deployed ..."), is one
claim. An editor who gives 003's statement to Starmer takes it out of Macron's claim;
one who gives it back to Macron sees it join again once the matcher has run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.cli import main
from api.pipeline.claim_merge import merged_into
from api.pipeline.claim_rematch import drain_rematches
from api.pipeline.run import RunReport, ingest_paths
from api.services.corrections import reassign_speaker
from api.storage.engine import make_engine
from api.storage.models import ActorRow, ClaimRematchRow, ClaimRow, StatementRow
from tests.conftest import empty_database_url
from tests.ingest.conftest import SEEDS
from tests.ingest.test_seed_claims import claim_of

pytestmark = pytest.mark.nlp

CLASH = "002_6abd8a862fe6f02b.txt"
THIRD = "003_fb0bc581b9d15f48.txt"
CLASH_TROOPS = "France could contribute"
THIRD_TROOPS = "“several thousand” French troops"


def _actor(session: Session, name: str) -> int:
    return session.scalars(select(ActorRow.id).where(ActorRow.name == name)).one()


def _statement(session: Session, opening: str) -> StatementRow:
    return session.scalars(select(StatementRow).where(StatementRow.text.startswith(opening))).one()


def _queued(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ClaimRematchRow)) or 0


def _give(session: Session, opening: str, speaker: str) -> None:
    statement = _statement(session, opening)
    reassign_speaker(session, statement.id, _actor(session, speaker), note=None, api_key_id=None)
    session.commit()


def test_a_statement_given_to_another_person_leaves_the_claim_at_once(
    ingested: RunReport, db_session: Session
) -> None:
    troops = claim_of(db_session, CLASH, CLASH_TROOPS)
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == troops

    _give(db_session, THIRD_TROOPS, "Keir Starmer")

    moved = claim_of(db_session, THIRD, THIRD_TROOPS)
    assert moved != troops
    own = db_session.get_one(ClaimRow, moved)
    assert own.text.startswith(THIRD_TROOPS)
    assert own.speaker is not None and own.speaker.name == "Keir Starmer"
    left = db_session.get_one(ClaimRow, troops)
    assert left.text.startswith(CLASH_TROOPS)
    assert left.speaker is not None and left.speaker.name == "Emmanuel Macron"
    assert _queued(db_session) == 1

    # Starmer's statement matches no claim of Starmer's: the matcher leaves it alone.
    report = drain_rematches(db_session)
    assert (report.statements, report.merged, report.split) == (1, 0, 0)
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == moved
    assert _queued(db_session) == 0


def test_given_back_it_joins_the_claim_again_once_the_matcher_has_run(
    ingested: RunReport, db_session: Session
) -> None:
    troops = claim_of(db_session, CLASH, CLASH_TROOPS)
    _give(db_session, THIRD_TROOPS, "Keir Starmer")
    moved = claim_of(db_session, THIRD, THIRD_TROOPS)

    _give(db_session, THIRD_TROOPS, "Emmanuel Macron")
    # Alone in its claim, nothing to detach: the matcher decides what it joins.
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == moved

    report = drain_rematches(db_session)
    assert report.merged == 1
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == troops
    assert merged_into(db_session, moved) == troops  # its short-lived id keeps answering


def test_the_claim_left_takes_its_wording_from_the_statements_that_remain(
    ingested: RunReport, db_session: Session
) -> None:
    troops = claim_of(db_session, CLASH, CLASH_TROOPS)
    assert db_session.get_one(ClaimRow, troops).text.startswith(CLASH_TROOPS)

    _give(db_session, CLASH_TROOPS, "Keir Starmer")  # the canonical statement leaves

    left = db_session.get_one(ClaimRow, troops)
    assert left.text.startswith(THIRD_TROOPS)
    assert left.speaker is not None and left.speaker.name == "Emmanuel Macron"
    assert claim_of(db_session, CLASH, CLASH_TROOPS) != troops


def test_a_statement_given_nobody_stays_where_it_is(
    ingested: RunReport, db_session: Session
) -> None:
    troops = claim_of(db_session, CLASH, CLASH_TROOPS)
    statement = _statement(db_session, THIRD_TROOPS)
    reassign_speaker(db_session, statement.id, None, note=None, api_key_id=None)
    db_session.commit()
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == troops
    drain_rematches(db_session)
    assert claim_of(db_session, THIRD, THIRD_TROOPS) == troops


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_statements_claims_rematch_drains_the_queue(backend: str, tmp_path: Path) -> None:
    with empty_database_url(backend, tmp_path, "statements_rematch_cli") as url:
        runner = CliRunner()
        assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                ingest_paths(session, [SEEDS], progress=False)
                troops = claim_of(session, CLASH, CLASH_TROOPS)
                _give(session, THIRD_TROOPS, "Keir Starmer")
                _give(session, THIRD_TROOPS, "Emmanuel Macron")
                assert _queued(session) == 2

            result = runner.invoke(main, ["--database-url", url, "claims", "rematch"])
            assert result.exit_code == 0, result.output
            assert "2 statements matched again: 1 claims merged" in result.output

            with Session(engine) as session:
                assert _queued(session) == 0
                assert claim_of(session, THIRD, THIRD_TROOPS) == troops
        finally:
            engine.dispose()
