"""Editors' corrections survive re-ingestion: in the same database, and in a rebuilt one.

The corrections an editor might make on the seeds:

- merge "European officials" (004) into "Officials" (004): one anonymous group;
- split "draft document" off the draft: the text Suspilne published (000: "a draft
  document from the so-called coalition of the willing published by Suspilne") is not
  taken to be the one AFP reported (001);
- reassign "plans to set up military hubs ..." (003: "France and the UK announced", no
  single speaker found) to France.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

import schemas
from api.cli import main
from api.pipeline.run import ingest_paths
from api.services.correction_files import (
    decode_corrections,
    encode_corrections,
    import_corrections,
)
from api.services.corrections import merge_actors, reassign_speaker, split_alias
from api.storage.engine import make_engine
from api.storage.models import ActorRow, StatementRow
from tests.conftest import empty_database_url
from tests.ingest.conftest import SEEDS

pytestmark = pytest.mark.nlp

HUBS = "plans to set up military hubs"
Speakers = dict[tuple[str, int, int], tuple[str | None, str | None]]
Actors = dict[str, tuple[str, str, str | None, tuple[str, ...]]]


def _actor(session: Session, name: str) -> ActorRow:
    return session.scalars(select(ActorRow).where(ActorRow.name == name)).one()


def _statement(session: Session, starts_with: str) -> StatementRow:
    query = select(StatementRow).where(StatementRow.text.startswith(starts_with))
    return session.scalars(query).one()


def state(session: Session) -> tuple[Speakers, Actors]:
    """Every statement's speaker (by key) and role, and every actor, by stable keys only."""
    session.expire_all()
    speakers = {
        (row.article.content_hash, row.content_start, row.content_end): (
            row.speaker.key if row.speaker else None,
            row.speaker_role,
        )
        for row in session.scalars(select(StatementRow))
    }
    actors = {
        actor.key: (
            actor.name,
            actor.kind,
            actor.wikidata_id,
            tuple(sorted(alias.alias for alias in actor.aliases)),
        )
        for actor in session.scalars(select(ActorRow))
    }
    return speakers, actors


def _correct(session: Session) -> None:
    merge_actors(
        session,
        _actor(session, "European officials").id,
        _actor(session, "Officials").id,
        note="one anonymous group",
        api_key_id=None,
    )
    split = schemas.AliasSplit(alias="draft document", name="Suspilne draft")
    split_alias(session, _actor(session, "draft").id, split, api_key_id=None)
    reassign_speaker(
        session,
        _statement(session, HUBS).id,
        _actor(session, "France").id,
        note=None,
        api_key_id=None,
    )


class Corrected:
    """A database holding the seeds, corrected; its state then, and its corrections file."""

    def __init__(self, session: Session, exported: bytes) -> None:
        self.session = session
        self.exported = exported
        self.state = state(session)


@pytest.fixture(scope="module")
def corrected_db(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corrected]:
    """Ingested and corrected once per backend, in a database of its own."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with empty_database_url(backend, tmp_path_factory.mktemp("corrected"), "corrected") as url:
        _cli(url, "migrate")
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                report = ingest_paths(session, [SEEDS], progress=False)
                assert (report.ingested, report.failed) == (5, 0)
                _correct(session)
                session.commit()
                yield Corrected(session, encode_corrections(session))
        finally:
            engine.dispose()


@pytest.fixture
def corrected(corrected_db: Corrected) -> Iterator[Session]:
    yield corrected_db.session
    corrected_db.session.rollback()


def test_the_corrections_hold_in_the_database(corrected: Session) -> None:
    european = _statement(corrected, "the U.S. envoys' participation")
    assert european.speaker is not None and european.speaker.name == "Officials"
    assert (
        corrected.scalars(select(ActorRow).where(ActorRow.name == "European officials")).all() == []
    )
    suspilne = _statement(corrected, "The United States is prepared to play a key role")
    assert suspilne.speaker is not None and suspilne.speaker.name == "Suspilne draft"
    afp = _statement(corrected, "the United States would oversee the ceasefire monitoring")
    assert afp.speaker is not None and afp.speaker.name == "draft"
    hubs = _statement(corrected, HUBS)
    assert hubs.speaker is not None and (hubs.speaker.kind, hubs.speaker.name) == (
        "government",
        "France",
    )


def _cli(url: str, *args: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output


@pytest.fixture
def rebuilt(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same backend, migrated."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with empty_database_url(backend, tmp_path, "rebuilt") as url:
        _cli(url, "migrate")
        yield url


def _state_of(url: str) -> tuple[Speakers, Actors]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return state(session)
    finally:
        engine.dispose()


def test_importing_the_corrections_then_ingesting_reproduces_the_corrected_state(
    corrected_db: Corrected, rebuilt: str, tmp_path: Path
) -> None:
    exported = tmp_path / "corrections.json"
    exported.write_bytes(corrected_db.exported)

    _cli(rebuilt, "corrections", "import", str(exported))
    _cli(rebuilt, "ingest", "--no-progress", str(SEEDS))

    assert _state_of(rebuilt) == corrected_db.state


def test_ingesting_then_importing_the_corrections_reproduces_it_too(
    corrected_db: Corrected, rebuilt: str, tmp_path: Path
) -> None:
    exported = tmp_path / "corrections.json"
    exported.write_bytes(corrected_db.exported)

    _cli(rebuilt, "actors", "import", str(SEEDS / "actors.toml"))
    _cli(rebuilt, "ingest", "--no-progress", *map(str, sorted(SEEDS.glob("*.txt"))))
    assert _state_of(rebuilt) != corrected_db.state  # not corrected yet
    _cli(rebuilt, "corrections", "import", str(exported))

    assert _state_of(rebuilt) == corrected_db.state


def test_the_export_is_by_keys_and_an_import_is_idempotent(
    corrected_db: Corrected, corrected: Session
) -> None:
    exported = decode_corrections(corrected_db.exported)
    assert [(c.kind, c.actor_key, c.alias_key, c.target_key) for c in exported.corrections] == [
        ("merge_actors", "group:european officials", None, "group:officials"),
        ("split_alias", "document:draft", "draft document", "document:suspilne draft"),
        ("reassign_speaker", None, None, "government:france"),
    ]
    hubs = _statement(corrected, HUBS)
    reassigned = exported.corrections[2]
    assert (reassigned.article_hash, reassigned.content_start, reassigned.content_end) == (
        hubs.article.content_hash,
        hubs.content_start,
        hubs.content_end,
    )
    before = state(corrected)

    again = import_corrections(corrected, exported)

    assert (again.added, again.skipped, again.applied) == (0, 3, 0)
    assert state(corrected) == before


def test_ingesting_the_seed_folder_again_keeps_the_corrections(
    corrected: Session,
) -> None:
    # The curated file is loaded again: it lists "draft document" as the draft's alias,
    # but an editor split that name off the draft.
    before = state(corrected)

    report = ingest_paths(corrected, [SEEDS], progress=False)

    assert (report.unchanged, report.failed) == (5, 0)
    assert state(corrected) == before


def test_a_new_article_mentioning_corrected_names_gets_the_corrections(
    corrected: Session, tmp_path: Path
) -> None:
    article = tmp_path / "followup.txt"
    article.write_text(
        "Allies weigh ceasefire monitoring\n\n"
        "European officials said the monitoring would rely on drones and satellites. "
        "A draft document published by Suspilne says Washington would lead the monitoring.",
        encoding="utf-8",
    )

    report = ingest_paths(corrected, [article], progress=False)

    assert (report.ingested, report.statements) == (1, 2)
    drones = _statement(corrected, "the monitoring would rely on drones")
    assert drones.speaker is not None and drones.speaker.name == "Officials"
    lead = _statement(corrected, "Washington would lead the monitoring")
    assert lead.speaker is not None and lead.speaker.name == "Suspilne draft"
