"""The ``statements`` command from a user's seat: migrate, ingest, export, openapi."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from pytest_httpx import HTTPXMock
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.cli import main
from api.storage.engine import make_engine
from api.storage.text_index import IndexTerm, TextIndexReader
from schemas import Statement
from tests.conftest import POSTGRES_URL, require_postgres, scratch_name

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SCRATCH_DATABASE = scratch_name("statements_cli_check")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cli_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own, migrated and given the seeds once through the CLI."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
        admin = None
    else:
        require_postgres()
        admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {SCRATCH_DATABASE}"))
        parsed = make_url(POSTGRES_URL).set(database=SCRATCH_DATABASE)
        url = parsed.render_as_string(hide_password=False)
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0
    result = runner.invoke(main, ["--database-url", url, "ingest", "--no-progress", str(SEEDS)])
    assert result.exit_code == 0, result.output
    yield url
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)"))
        admin.dispose()


@pytest.mark.nlp
def test_ingest_reports_the_run_and_a_second_run_changes_nothing(cli_database: str) -> None:
    result = CliRunner().invoke(
        main, ["--database-url", cli_database, "ingest", "--no-progress", str(SEEDS)]
    )
    assert result.exit_code == 0
    assert "0 ingested, 5 unchanged, 0 failed" in result.stderr


@pytest.mark.nlp
def test_export_writes_every_statement_in_the_api_schema(cli_database: str) -> None:
    result = CliRunner().invoke(
        main, ["--database-url", cli_database, "export", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout_bytes.splitlines()
    statements = [msgspec.json.decode(line, type=Statement, strict=True) for line in lines]
    assert len(statements) >= 40
    assert [s.id for s in statements] == sorted(s.id for s in statements)
    carnage = next(s for s in statements if s.text == "This carnage has to stop")
    assert carnage.speaker is not None and carnage.speaker.name == "Steve Witkoff"
    assert carnage.kind.value == "direct"
    assert carnage.article.source is not None and carnage.article.source.name == "Clash Report"
    assert str(carnage.date) == "2026-01-07"


@pytest.mark.nlp
def test_index_builds_the_search_index_once_then_applies_what_changed(
    cli_database: str, tmp_path: Path
) -> None:
    folder = tmp_path / "search-index"
    command = ["--database-url", cli_database, "index", "--path", str(folder)]
    first = CliRunner().invoke(main, command)
    assert first.exit_code == 0, first.output
    built = re.search(r"(\d+) statements built, 0 queued applied", first.stderr)
    assert built is not None and int(built.group(1)) >= 40
    again = CliRunner().invoke(main, command)
    assert "0 statements built, 0 queued applied" in again.stderr
    hits = TextIndexReader(folder).best([IndexTerm(("carnage",))], (1.0, 0.5, 0.5), 10, 10**9)
    assert len(hits) >= 1
    unset = CliRunner().invoke(
        main, ["--database-url", cli_database, "index"], env={"STATEMENTS_SEARCH_INDEX_PATH": ""}
    )
    assert unset.exit_code == 2 and "STATEMENTS_SEARCH_INDEX_PATH" in unset.output


def test_ingest_bad_inputs_names_each_file_and_exits_non_zero(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "invalid.txt").write_bytes(b"caf\xc3(\n")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        main,
        [
            "--database-url",
            url,
            "ingest",
            "--no-progress",
            str(tmp_path / "empty.txt"),
            str(tmp_path / "binary.txt"),
            str(tmp_path / "invalid.txt"),
            str(missing),
        ],
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4
    for name in ("empty.txt", "binary.txt", "invalid.txt", "missing.txt"):
        assert any(name in line for line in errors), name
    assert "0 ingested, 0 unchanged, 4 failed" in result.stderr


def test_bad_database_url_is_a_clear_usage_error() -> None:
    result = CliRunner().invoke(main, ["--database-url", "mysql://nope/db", "migrate"])
    assert result.exit_code == 2
    assert "unsupported database 'mysql'" in result.output


def test_openapi_command_writes_the_spec(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = CliRunner().invoke(main, ["openapi", "--output", str(target)])
    assert result.exit_code == 0, result.output
    spec = msgspec.json.decode(target.read_bytes())
    assert spec["openapi"].startswith("3.1")
    assert "/v1/statements" in spec["paths"]


def test_the_api_process_never_loads_spacy() -> None:
    probe = (
        "import sys\n"
        "from api.http.app import create_app\n"
        "from api.settings import load_settings\n"
        "create_app(load_settings({'database_url': 'sqlite:///:memory:'}))\n"
        "import api.services.export\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'spacy', 'thinc'}"
        " or m.startswith('api.pipeline'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_an_api_on_sqlite_never_loads_the_postgresql_driver() -> None:
    # The driver and its libraries are 11 MB of the API's resident memory.
    probe = (
        "import sys\n"
        "from api.http.app import create_app\n"
        "from api.settings import load_settings\n"
        "create_app(load_settings({'database_url': 'sqlite:///:memory:'}))\n"
        "sys.exit(1 if 'psycopg' in sys.modules else 0)\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.nlp
def test_ingest_a_url_with_the_operators_contact_in_the_user_agent(
    tmp_path: Path, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'fetch.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0
    page = (
        "<html><head><title>Allies meet</title></head><body><article><h1>Allies meet</h1>"
        "<p>“We will stand by Ukraine for as long as it takes,” Emmanuel Macron said on "
        "Tuesday in Paris, where the leaders of the coalition met for a summit.</p>"
        "</article></body></html>"
    )
    httpx_mock.add_response(url="https://news.example/allies", html=page)
    monkeypatch.setenv("STATEMENTS_FETCH_CONTACT_URL", "https://desk.example/contact")
    result = runner.invoke(
        main,
        [
            "--database-url", url, "ingest", "--no-progress",
            "--fetch-cache", str(tmp_path / "cache.json"), "https://news.example/allies",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 ingested" in result.stderr
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["User-Agent"].endswith("(+https://desk.example/contact)")
