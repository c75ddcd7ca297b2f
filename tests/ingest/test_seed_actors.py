"""Actors of the seed corpus, as a reader of the five articles finds them.

- 000 (Ground News): "French President Emmanuel Macron", "Germany's Chancellor Friedrich
  Merz", "Kyiv said", "a draft said", "a draft document ... published by Suspilne",
  "According to the Moscow Times".
- 001: the draft as "Draft language", "The document", "the draft", "The text".
- 002 (Clash Report): "French President Emmanuel Macron", "Macron", "U.S. envoy Steve
  Witkoff", "Witkoff", "President Volodymyr Zelensky", "British Prime Minister Keir
  Starmer", "Starmer", "German Chancellor Friedrich Merz", "a declaration of intent".
- 003: "UK Prime Minister Keir Starmer", "President Emmanuel Macron", "Ukrainian
  President Volodymyr Zelensky", "Russia reacted", "coalition leaders described".
- 004 (Charter 97, after Reuters): "U.S. envoys Steve Whitkoff and Jared Kushner",
  "Whitkoff said", "Kushner ... said", "The publication noted", "The coalition leaders'
  statement", "Officials said", "diplomats said", "European officials".

``machine`` holds the articles ingested alone (no curated actors.toml): what the matcher
does by itself. ``curated`` holds the folder ingested, curated file included. Both are
databases of their own, ingested once per backend for the module's read-only tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline.actor_seed import ActorFileError, load_actor_file, read_actor_file
from api.pipeline.run import RunReport, ingest_paths
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ActorAliasRow, ActorRow, StatementRow
from tests.conftest import empty_database_url
from tests.ingest.conftest import SEEDS

pytestmark = pytest.mark.nlp

ACTORS_FILE = "actors.toml"
PEOPLE = {
    "Emmanuel Macron",
    "Volodymyr Zelensky",
    "Keir Starmer",
    "Friedrich Merz",
    "Steve Witkoff",
    "Jared Kushner",
}


def _seeded(database_url: str, folder: Path, name: str, paths: list[Path]) -> Iterator[Session]:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with empty_database_url(backend, folder, name) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                report = ingest_paths(session, paths, progress=False)
                assert (report.ingested, report.failed) == (5, 0)
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def machine_db(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("machine")
    yield from _seeded(database_url, folder, "seed_actors_machine", sorted(SEEDS.glob("*.txt")))


@pytest.fixture(scope="module")
def curated_db(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("curated")
    yield from _seeded(database_url, folder, "seed_actors_curated", [SEEDS])


@pytest.fixture
def machine(machine_db: Session) -> Iterator[Session]:
    """The seed articles ingested without the curated actor file (read only)."""
    yield machine_db
    machine_db.rollback()


@pytest.fixture
def curated(curated_db: Session) -> Iterator[Session]:
    """The seed folder ingested, curated actor file included (read only)."""
    yield curated_db
    curated_db.rollback()


def _speakers(session: Session, mention: str) -> set[tuple[str, str]]:
    """(kind, name) of the actors of every statement whose speaker mention is ``mention``."""
    rows = session.scalars(select(StatementRow).where(StatementRow.speaker_text == mention)).all()
    assert rows, f"no statement is attributed to {mention!r}"
    return {(r.speaker.kind, r.speaker.name) if r.speaker else ("-", "-") for r in rows}


def _role(session: Session, starts_with: str) -> str | None:
    row = session.scalars(
        select(StatementRow).where(StatementRow.text.startswith(starts_with))
    ).one()
    return row.speaker_role


def _actor(session: Session, name: str) -> ActorRow:
    return session.scalars(select(ActorRow).where(ActorRow.name == name)).one()


def _speaking_people(session: Session) -> list[str]:
    return sorted(
        session.scalars(
            select(ActorRow.name)
            .where(ActorRow.kind == "person")
            .where(ActorRow.id.in_(select(StatementRow.speaker_id)))
        )
    )


# --- one actor per person -----------------------------------------------------------------


def test_the_machine_makes_one_actor_per_person(machine: Session) -> None:
    assert _speaking_people(machine) == sorted(PEOPLE)
    people = machine.scalar(select(func.count()).where(ActorRow.kind == "person"))
    assert people == len(PEOPLE)  # no second Witkoff, no "Merz" beside "Friedrich Merz"


def test_with_the_curated_file_too(curated: Session) -> None:
    assert _speaking_people(curated) == sorted(PEOPLE)


@pytest.mark.parametrize(
    ("mention", "person"),
    [
        ("French President Emmanuel Macron", "Emmanuel Macron"),  # 000 and 002
        ("President Emmanuel Macron", "Emmanuel Macron"),  # 003
        ("Macron", "Emmanuel Macron"),  # 002, a bare surname
        ("Germany's Chancellor Friedrich Merz", "Friedrich Merz"),  # 000, a possessive
        ("German Chancellor Friedrich Merz", "Friedrich Merz"),  # 002
        ("U.S. envoy Steve Witkoff", "Steve Witkoff"),  # 002
        ("Witkoff", "Steve Witkoff"),  # 002
        ("Whitkoff", "Steve Witkoff"),  # 004: Charter 97's spelling
        ("UK Prime Minister Keir Starmer", "Keir Starmer"),  # 003
        ("Starmer", "Keir Starmer"),  # 002
        ("Ukrainian President Volodymyr Zelensky", "Volodymyr Zelensky"),  # 003
        ("Kushner", "Jared Kushner"),  # 004
    ],
)
def test_names_titles_surnames_and_spellings_reach_the_person(
    machine: Session, mention: str, person: str
) -> None:
    assert _speakers(machine, mention) == {("person", person)}


def test_the_misspelt_name_is_an_alias_of_the_person(machine: Session) -> None:
    witkoff = _actor(machine, "Steve Witkoff")
    assert {"Steve Whitkoff", "U.S. envoy Steve Whitkoff"} <= {a.alias for a in witkoff.aliases}


# --- kinds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "speaker"),
    [
        ("Kyiv", ("government", "Ukraine")),  # metonymy, 000
        ("Russia", ("government", "Russia")),  # 003
        ("the Moscow Times", ("media", "The Moscow Times")),  # 000
        ("The publication", ("media", "Reuters")),  # 004, after "According to Reuters"
        ("a draft", ("document", "draft")),  # 000
        ("The draft", ("document", "draft")),
        ("Draft language", ("document", "draft")),  # 001: the same draft
        ("The document", ("document", "draft")),  # 001: the document just spoken of
        ("The text", ("document", "draft")),
        ("a declaration of intent", ("document", "declaration of intent")),  # 002
        ("The coalition leaders' statement", ("document", "coalition leaders' statement")),
        ("Officials", ("group", "Officials")),  # 004
        ("diplomats", ("group", "diplomats")),
        ("European officials", ("group", "European officials")),
        ("coalition leaders", ("group", "coalition leaders")),  # 003
    ],
)
def test_actor_kinds(machine: Session, mention: str, speaker: tuple[str, str]) -> None:
    assert _speakers(machine, mention) == {speaker}


def test_the_draft_is_one_document_across_outlets(machine: Session) -> None:
    draft = _actor(machine, "draft")
    articles = machine.scalars(
        select(StatementRow.article_id).where(StatementRow.speaker_id == draft.id).distinct()
    ).all()
    assert len(articles) == 2  # Ground News (000) and the AFP report (001)
    documents = machine.scalars(select(ActorRow.name).where(ActorRow.kind == "document"))
    assert sorted(documents) == ["coalition leaders' statement", "declaration of intent", "draft"]


# --- roles held when speaking ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "role"),
    [
        ("diplomatic efforts proceed", "German Chancellor"),  # "Germany's Chancellor" (000)
        ("German forces could help monitor", "German Chancellor"),  # 002
        ("the talks made", "UK Prime Minister"),  # 003
        ("a deal depends on Moscow’s choices", "British Prime Minister"),  # 002
        ("France could contribute", "French President"),  # 002
        ("“several thousand” French troops", "President"),  # 003
        ("detailed planning had already been carried out", "Ukrainian President"),  # 003
        ("These are not just words", "President"),  # 002: "President Volodymyr Zelensky"
        ("U.S. President Donald Trump", "U.S. envoy"),  # 004: Whitkoff
        ("if the Ukrainians conclude", "U.S. envoy"),  # 004: "U.S. envoys ... and Jared Kushner"
        ("a deal was 90% ready", None),  # Kyiv
    ],
)
def test_the_role_at_the_time_is_kept_with_the_statement(
    machine: Session, quote: str, role: str | None
) -> None:
    assert _role(machine, quote) == role


def test_an_actor_has_the_roles_outlets_gave(machine: Session) -> None:
    def roles(name: str) -> set[str | None]:
        actor = _actor(machine, name)
        return set(
            machine.scalars(
                select(StatementRow.speaker_role).where(StatementRow.speaker_id == actor.id)
            )
        )

    assert roles("Keir Starmer") == {"British Prime Minister", "UK Prime Minister"}
    assert roles("Friedrich Merz") == {"German Chancellor"}  # not also "Germany's Chancellor"


# --- the curated file -----------------------------------------------------------------------


def test_curated_actors_carry_their_wikidata_ids(curated: Session) -> None:
    ids = {
        name: wikidata
        for name, wikidata in curated.execute(select(ActorRow.name, ActorRow.wikidata_id))
    }
    assert ids["Emmanuel Macron"] == "Q3052772"
    assert ids["Donald Trump"] == "Q22686"
    assert ids["Vladimir Putin"] == "Q7747"
    assert ids["Ukraine"] == "Q212"
    assert ids["Reuters"] == "Q130879"
    assert ids["Volodymyr Zelensky"] is None  # not checked: left without one
    assert ids["Officials"] is None  # the machine's own actors have none


def test_curated_aliases_are_the_actors(curated: Session) -> None:
    # Mentioned in the seeds without speaking: "U.S. President Donald Trump", "Putin",
    # "the top U.S. general in Europe, Alexus Hrynkiewicz".
    general = _actor(curated, "Alexus Grynkewich")
    assert "Alexus Hrynkiewicz" in {alias.alias for alias in general.aliases}
    assert "Kyiv" in {alias.alias for alias in _actor(curated, "Ukraine").aliases}
    assert _speakers(curated, "Whitkoff") == {("person", "Steve Witkoff")}


def _snapshot(session: Session) -> list[tuple[str, str, str | None, tuple[str, ...], int]]:
    session.expire_all()
    return sorted(
        (
            actor.key,
            actor.name,
            actor.wikidata_id,
            tuple(sorted(a.alias for a in actor.aliases)),
            session.scalar(select(func.count()).where(StatementRow.speaker_id == actor.id)) or 0,
        )
        for actor in session.scalars(select(ActorRow))
    )


def test_loading_the_curated_file_again_changes_nothing(
    ingested: RunReport, db_session: Session, seeds_dir: Path
) -> None:
    before = _snapshot(db_session)

    again = load_actor_file(db_session, seeds_dir / ACTORS_FILE)
    rerun = ingest_paths(db_session, [seeds_dir], progress=False)

    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert (rerun.unchanged, rerun.failed) == (5, 0)
    assert _snapshot(db_session) == before


def test_the_curated_file_takes_over_what_the_machine_made(
    db_session: Session, seeds_dir: Path
) -> None:
    ingest_paths(db_session, [seeds_dir / "002_6abd8a862fe6f02b.txt"], progress=False)
    # An outlet wrote "Zelenskyy said": the machine's lone-surname actor.
    stray = ActorRow(key="person:zelenskyy", name="Zelenskyy", kind="person")
    stray.aliases = [ActorAliasRow(alias="Zelenskyy", key="zelenskyy")]
    db_session.add(stray)
    db_session.flush()
    statement = db_session.scalars(
        select(StatementRow).where(StatementRow.speaker_text == "he")
    ).first()
    assert statement is not None
    statement.speaker_id = stray.id
    db_session.flush()

    report = load_actor_file(db_session, seeds_dir / ACTORS_FILE)

    assert report.merged == 1
    gone = select(ActorRow).where(ActorRow.key == "person:zelenskyy")
    assert db_session.scalars(gone).first() is None
    db_session.refresh(statement)
    assert statement.speaker is not None and statement.speaker.name == "Volodymyr Zelensky"
    assert report.updated >= 5  # the people the machine had named, now with aliases and ids
    assert _actor(db_session, "Emmanuel Macron").wikidata_id == "Q3052772"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[[actors]]\nname = 'X'\n", "malformed actor file"),  # no kind
        ("[[actors]]\nname = 'X'\nkind = 'alien'\n", "malformed actor file"),
        ("[[actors]]\nname = 'X'\nkind = 'person'\nwikidata_id = 'X1'\n", "malformed"),
        ("[[actors]]\nname = 'X'\nkind = 'person'\nborn = 1977\n", "malformed"),
        ("[[actors]\n", "malformed actor file"),
        (
            "[[actors]]\nname = 'X'\nkind = 'person'\n[[actors]]\nname = 'x'\nkind = 'person'\n",
            "'person:x' is listed twice",
        ),
    ],
)
def test_a_bad_actor_file_is_refused_with_a_reason(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / ACTORS_FILE
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ActorFileError, match=reason):
        read_actor_file(path)


def test_a_folder_with_a_bad_actor_file_still_ingests_its_articles(
    db_session: Session, tmp_path: Path, seeds_dir: Path
) -> None:
    article = (seeds_dir / "003_fb0bc581b9d15f48.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    (tmp_path / ACTORS_FILE).write_text("[[actors]]\nname = 'X'\n", encoding="utf-8")

    report = ingest_paths(db_session, [tmp_path], progress=False)

    assert (report.ingested, report.failed) == (1, 1)
    assert report.errors[0].item == str(tmp_path / ACTORS_FILE)
    assert "malformed actor file" in report.errors[0].reason
